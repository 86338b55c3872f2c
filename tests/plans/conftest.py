"""A toddler's case at the Almaty centre, coordinated by the cast's coordinator, and plans for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.cases.services import case_open
from tirek.catalog.models import Profession, Service
from tirek.people.services import person_register
from tirek.plans.services import plan_activate, plan_approve, plan_create, plan_goal_add, planned_service_add


def _months_ago(months: int) -> dt.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


@pytest.fixture
def months_ago():
    return _months_ago


@pytest.fixture
def toddler(cast):
    """A 20-month-old registered by the Almaty centre, without IIN (not yet registered)."""
    return person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омаров",
        given_name="Әли",
        sex="male",
        birth_date=_months_ago(20),
        iin_missing_reason="newborn",
    )


@pytest.fixture
def case(cast, toddler):
    """The toddler's case, opened ten months ago with the cast's coordinator in charge."""
    opened = _months_ago(10)
    return case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=toddler,
        programme=cast.programme_a,
        referral_source="polyclinic",
        opened_on=opened,
        referral_received_on=opened,
        coordinator=cast.coordinator_a,
    )


@pytest.fixture
def speech(db):
    return Service.objects.get(code="speech_therapy_session"), Profession.objects.get(code="speech_therapist")


@pytest.fixture
def add_goal():
    def add(actor, plan, **extra):
        fields = {
            "domain": "communication",
            "wording": "Су, нан, ойыншық сияқты 10 сөзбен өтініш білдіреді",
            "criterion": "5 жағдайдың 4-інде",
            "target_date": timezone.localdate() + dt.timedelta(days=180),
            **extra,
        }
        return plan_goal_add(actor=actor, plan=plan, **fields)

    return add


@pytest.fixture
def add_service(speech):
    def add(actor, plan, consent: bool = True, **extra):
        service, profession = speech
        fields = {
            "service": service,
            "profession": profession,
            "frequency": 2,
            "frequency_period": "week",
            "minutes": 30,
            "mode": "centre",
            "start_date": timezone.localdate() - dt.timedelta(days=30),
            "family_consent": consent,
            "consent_date": timezone.localdate() - dt.timedelta(days=35) if consent else None,
            **extra,
        }
        return planned_service_add(actor=actor, plan=plan, **fields)

    return add


@pytest.fixture
def draft(cast, case, add_goal, add_service):
    """A draft by the case's coordinator, with one goal and one consented service: ready for approval."""

    def make(author=None, goals: int = 1, services: int = 1):
        author = author or cast.coordinator_a
        plan = plan_create(
            actor=author,
            case=case,
            present_levels={
                "communication": "Жеке буындарды айтады.",
                "physical": "Отырады, тірекпен тұрады.",
            },
            family_concerns="Бала әлі сөйлемейді.",
            family_priorities="Өз қажеттілігін сөзбен айтуы.",
            family_resources="Әжесі күнделікті көмектеседі.",
        )
        for n in range(goals):
            add_goal(author, plan, criterion=f"5 жағдайдың 4-інде ({n + 1})")
        for _n in range(services):
            add_service(author, plan)
        return plan

    return make


@pytest.fixture
def in_force(cast, draft):
    """A plan approved thirty days ago by the manager and in force since."""

    def make(**extra):
        plan = draft(**extra)
        day = timezone.localdate() - dt.timedelta(days=30)
        plan_approve(actor=cast.manager_a, plan=plan, approved_on=day)
        return plan_activate(actor=cast.coordinator_a, plan=plan, active_from=day)

    return make
