from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.core.iin import check_digit
from tirek.people.services import person_register


def make_iin(birth: dt.date, sex: str, serial: int = 1) -> str:
    """A valid synthetic IIN for a birth date and sex (serial bumped past prefixes with no check digit)."""
    century = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + (0 if sex == "male" else 1)
    while True:
        prefix = f"{birth:%y%m%d}{century}{serial:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            return f"{prefix}{digit}"
        serial += 1


@pytest.fixture
def iin():
    return make_iin


@pytest.fixture
def child(cast):
    """A two-year-old registered by the Almaty centre."""
    birth = timezone.localdate().replace(day=1) - dt.timedelta(days=730)
    return person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        iin=make_iin(birth, "female", 11),
        surname="Қасымова",
        given_name="Айгерім",
        patronymic="Нұрланқызы",
        phone="+77011234567",
    )
