"""Records to export: cases, sessions and appeals in the Almaty centre (some with names that look like
spreadsheet formulas) and one case in Shymkent; export files go to a temporary MEDIA_ROOT."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tirek.cases.services import case_open
from tirek.catalog.models import Service
from tirek.people.services import person_register
from tirek.services.models import Visit
from tirek.services.services import visit_log
from tirek.support.services import appeal_register

FORMULA_NAMES = ('=HYPERLINK("http://x")', "+7 701 000", "-2+3", "@SUM(A1)")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def months_ago(months: int) -> dt.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


def open_case(cast, *, surname: str, given_name: str = "Әли", organisation=None, days_ago: int = 30):
    organisation = organisation or cast.almaty
    shymkent = organisation == cast.shymkent
    actor = cast.coordinator_b if shymkent else cast.coordinator_a
    person = person_register(
        actor=actor,
        organisation=organisation,
        surname=surname,
        given_name=given_name,
        sex="male",
        birth_date=months_ago(20),
        iin_missing_reason="newborn",
    )
    return case_open(
        actor=actor,
        organisation=organisation,
        person=person,
        programme=cast.programme_b if shymkent else cast.programme_a,
        referral_source="polyclinic",
        opened_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def log_visit(cast, case, *, days_ago: int = 3, mode: str = "centre"):
    """A session `days_ago` days ago, at the specialist's next free half hour of that day."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    taken = Visit.objects.filter(specialist__memberships__organisation=case.organisation, starts_at__date=day)
    minutes = 8 * 60 + 30 * taken.count()
    return visit_log(
        actor=cast.coordinator_a if case.organisation == cast.almaty else cast.coordinator_b,
        case=case,
        status="attended",
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))),
        minutes=30,
        service=Service.objects.get(code="speech_therapy_session"),
        specialist=cast.specialist_a if case.organisation == cast.almaty else cast.specialist_b,
        mode=mode,
    )


@pytest.fixture
def add_case(cast):
    return lambda **kwargs: open_case(cast, **kwargs)


@pytest.fixture
def add_visit(cast):
    return lambda case, **kwargs: log_visit(cast, case, **kwargs)


@pytest.fixture
def records(cast):
    """Almaty: three cases (one named like a formula), six sessions, four appeals from callers named like
    formulas. Shymkent: one case with one session."""
    almaty = [
        open_case(cast, surname="Сейтова", given_name="Аружан"),
        open_case(cast, surname="Қасымов", given_name="Темірлан"),
        open_case(cast, surname=FORMULA_NAMES[0], given_name="Тест"),
    ]
    for index, case in enumerate(almaty):
        log_visit(cast, case, days_ago=2 + index)
        log_visit(cast, case, days_ago=5 + index, mode="home")
    shymkent = open_case(cast, surname="Бекова", given_name="Аяла", organisation=cast.shymkent)
    log_visit(cast, shymkent)
    appeals = [
        appeal_register(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            category="housing",
            channel="phone",
            text="Тұрғын үй туралы",
            caller=name,
        )
        for name in FORMULA_NAMES
    ]
    return SimpleNamespace(almaty=almaty, shymkent=shymkent, appeals=appeals, formula_names=FORMULA_NAMES)
