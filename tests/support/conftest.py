"""Support needs persons, families and cases the organisations serve, and the other casework roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.cases.services import case_open
from tirek.people.services import family_create, person_register
from tirek.support.services import appeal_register


def months_ago(months: int) -> dt.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


def _member(username: str, organisation, role: str) -> User:
    user = User.objects.create_user(username=username, password="x" * 20, active_organisation=organisation)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def intake_a(cast) -> User:
    """A hotline operator of the Almaty centre: registers and handles appeals, hands out aid."""
    return _member("ivan", cast.almaty, "intake")


@pytest.fixture
def analyst_a(cast) -> User:
    """An analyst who is a member of the Almaty centre: aggregates only, no appeals or aid."""
    return _member("arman", cast.almaty, "analyst")


def _person(cast, organisation=None, surname="Омаров", given_name="Әли"):
    organisation = organisation or cast.almaty
    actor = cast.coordinator_b if organisation == cast.shymkent else cast.coordinator_a
    return person_register(
        actor=actor,
        organisation=organisation,
        surname=surname,
        given_name=given_name,
        sex="male",
        birth_date=months_ago(20),
        iin_missing_reason="newborn",
    )


@pytest.fixture
def make_person(cast):
    """make_person(organisation=…, surname=…, given_name=…): a person registered by the organisation."""
    return lambda **kwargs: _person(cast, **kwargs)


@pytest.fixture
def person(cast):
    return _person(cast)


@pytest.fixture
def person_b(cast):
    return _person(cast, cast.shymkent, "Бекова", "Аяла")


@pytest.fixture
def case(cast, person):
    return case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        programme=cast.programme_a,
        referral_source="hotline_150",
        opened_on=timezone.localdate() - dt.timedelta(days=30),
    )


@pytest.fixture
def make_family(cast):
    """make_family(name, organisation=…): a family registered by the organisation, with a child in it."""

    def make(name: str, organisation=None):
        organisation = organisation or cast.almaty
        actor = cast.coordinator_b if organisation == cast.shymkent else cast.coordinator_a
        child = _person(cast, organisation, name, "Бала")
        return family_create(actor=actor, organisation=organisation, name=name, first_member=child)

    return make


@pytest.fixture
def appeal(cast, person):
    """A housing appeal of the Almaty centre's person, registered today, not yet assigned."""
    return appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        category="housing",
        channel="walk_in",
        text="Пәтер кезегіне тұру үшін құжаттар жинауға көмек сұрайды.",
    )


@pytest.fixture
def appeal_b(cast, person_b):
    return appeal_register(
        actor=cast.coordinator_b,
        organisation=cast.shymkent,
        person=person_b,
        category="legal_help",
        channel="phone",
        text="Мұрагерлік бойынша заң кеңесі.",
    )


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()
