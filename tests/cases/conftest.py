from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.people.services import person_register


def months_ago(months: int) -> dt.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


@pytest.fixture
def toddler(cast):
    """A 20-month-old registered by the Almaty centre, without IIN (not yet registered)."""
    return person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омаров",
        given_name="Әли",
        sex="male",
        birth_date=months_ago(20),
        iin_missing_reason="newborn",
    )


@pytest.fixture
def older_child(cast):
    return person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Ахметова",
        given_name="Жанна",
        sex="female",
        birth_date=months_ago(40),
        iin_missing_reason="unknown",
    )
