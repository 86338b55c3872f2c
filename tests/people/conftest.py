from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.operations.demo.people.planning import synthetic_iin
from tirek.people.services import person_register


def make_iin(birth: dt.date, sex: str, serial: int = 1) -> str:
    """A valid synthetic IIN for a birth date and sex (the demo's synthesis)."""
    return synthetic_iin(birth, sex, serial)[0]


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
