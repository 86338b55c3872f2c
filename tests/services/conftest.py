"""Sessions need a case: a child of the Almaty centre with an active case, and the catalogue's services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.catalog.models import Profession, Service


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def at():
    """at(day, hour, minute=0): an aware local time."""
    return _at


@pytest.fixture
def case(make_case):
    """An intake case of the Almaty centre, opened a month ago."""
    return make_case()


@pytest.fixture
def case_b(cast, make_case):
    """A case of the Shymkent unit."""
    return make_case(surname="Бекова", given_name="Аяла", organisation=cast.shymkent)


@pytest.fixture
def speech():
    return Service.objects.get(code="speech_therapy_session")


@pytest.fixture
def group_class():
    return Service.objects.get(code="group_class")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def _member(username: str, organisation, role: str) -> User:
    user = User.objects.create_user(username=username, password="x" * 20, active_organisation=organisation)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def intake_a(cast) -> User:
    """An intake operator of the Almaty centre: may plan sessions, not log them or run groups."""
    return _member("ivan", cast.almaty, "intake")


@pytest.fixture
def analyst_a(cast) -> User:
    """An analyst who is a member of the Almaty centre: no casework role, so no sessions."""
    return _member("arman", cast.almaty, "analyst")


@pytest.fixture
def psychologist_a(cast) -> User:
    user = _member("dana", cast.almaty, "specialist")
    Membership.objects.filter(user=user).update(profession=Profession.objects.get(code="psychologist"))
    return user


@pytest.fixture
def plan_goal(cast, case, speech):
    """A goal of the case's plan, approved by the manager (sessions link their progress notes to it)."""
    from tirek.plans.services import plan_approve, plan_create, plan_goal_add, planned_service_add

    plan = plan_create(actor=cast.manager_a, case=case)
    goal = plan_goal_add(
        actor=cast.manager_a,
        plan=plan,
        domain="communication",
        wording="Су, нан, ойыншық сияқты 10 сөзбен өтініш білдіреді",
        criterion="5 жағдайдың 4-інде",
        target_date=timezone.localdate() + dt.timedelta(days=180),
    )
    planned_service_add(
        actor=cast.manager_a,
        plan=plan,
        service=speech,
        profession=Profession.objects.get(code="speech_therapist"),
        frequency=2,
        frequency_period="week",
        minutes=30,
        mode="centre",
        start_date=case.opened_on,
        family_consent=True,
        consent_date=case.opened_on,
    )
    plan_approve(actor=cast.manager_a, plan=plan, approved_on=case.opened_on)
    return goal
