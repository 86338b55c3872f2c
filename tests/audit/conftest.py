"""The audit trail's readers: a data protection officer in each organisation (a specialist and an intake
operator by role, marked on their membership), and a child of the Almaty centre with an IIN."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.operations.demo.people.planning import synthetic_iin
from tirek.people.services import person_register


def _officer(username: str, organisation, role: str) -> User:
    user = User.objects.create_user(username=username, password="x" * 20, active_organisation=organisation)
    Membership.objects.create(
        user=user, organisation=organisation, role=role, is_data_protection_officer=True
    )
    return user


@pytest.fixture
def officer_a(cast) -> User:
    """The Almaty centre's data protection officer."""
    return _officer("dana", cast.almaty, "specialist")


@pytest.fixture
def officer_b(cast) -> User:
    """The Shymkent unit's data protection officer."""
    return _officer("berik", cast.shymkent, "intake")


def valid_iin(birth: dt.date, sex: str = "female", serial: int = 7) -> str:
    return synthetic_iin(birth, sex, serial)[0]


@pytest.fixture
def iin_for():
    """iin_for(birth, sex="female", serial=7): a valid IIN."""
    return valid_iin


@pytest.fixture
def child_with_iin(cast):
    """A two-year-old girl registered by the Almaty centre, with her IIN."""
    birth = timezone.localdate().replace(day=1) - dt.timedelta(days=730)
    return person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        iin=valid_iin(birth),
        surname="Қасымова",
        given_name="Айгерім",
        sex="female",
        birth_date=birth,
    )
