from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.assessments.models import Instrument
from tirek.cases.services import case_open
from tirek.people.services import person_register


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def register_child(cast, *, age_days: int, gestation_weeks: int | None = None, organisation=None, actor=None):
    person = person_register(
        actor=actor or cast.coordinator_a,
        organisation=organisation or cast.almaty,
        surname="Сейітов",
        given_name="Арман",
        sex="male",
        birth_date=days_ago(age_days),
        iin_missing_reason="newborn",
        gestation_weeks=gestation_weeks,
    )
    return person


@pytest.fixture
def child(cast):
    """A 20-month-old (608 days) registered by the Almaty centre."""
    return register_child(cast, age_days=608)


@pytest.fixture
def case(cast, child):
    """The child's case in programme A: coordinator_a coordinates, nobody else is on the team."""
    return case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        coordinator=cast.coordinator_a,
    )


@pytest.fixture
def case_b(cast):
    person = register_child(cast, age_days=500, organisation=cast.shymkent, actor=cast.coordinator_b)
    return case_open(
        actor=cast.coordinator_b,
        organisation=cast.shymkent,
        person=person,
        programme=cast.programme_b,
        referral_source="pmpk",
        coordinator=cast.coordinator_b,
    )


@pytest.fixture
def intake_a(cast):
    """An intake operator of the Almaty centre (may see cases, may not record assessments)."""
    user = User.objects.create_user(username="dina", password="x", active_organisation=cast.almaty)
    Membership.objects.create(user=user, organisation=cast.almaty, role="intake")
    return user


@pytest.fixture
def mchat():
    return Instrument.objects.get(code="mchat_rf")


@pytest.fixture
def instruments():
    return {i.code: i for i in Instrument.objects.all()}


@pytest.fixture(name="mchat_answers")
def mchat_answers_fixture():
    return mchat_answers


@pytest.fixture(name="register_child")
def register_child_fixture(cast):
    return lambda **kwargs: register_child(cast, **kwargs)


def mchat_answers(failed: int) -> dict:
    """Answers with `failed` items at risk: the first items answered the risky way."""
    answers = {}
    for number in range(1, 21):
        risky = "yes" if number in (2, 5, 12) else "no"
        safe = "no" if risky == "yes" else "yes"
        answers[str(number)] = risky if number <= failed else safe
    return answers
