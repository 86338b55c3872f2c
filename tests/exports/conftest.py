"""Records to export: cases, sessions and appeals in the Almaty centre (some with names that look like
spreadsheet formulas) and one case in Shymkent; export files go to a temporary MEDIA_ROOT."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tirek.catalog.models import Service
from tirek.services.models import Visit
from tirek.services.services import visit_log
from tirek.support.services import appeal_register

FORMULA_NAMES = ('=HYPERLINK("http://x")', "+7 701 000", "-2+3", "@SUM(A1)")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
def add_visit(cast):
    return lambda case, **kwargs: log_visit(cast, case, **kwargs)


@pytest.fixture
def records(cast, make_case):
    """Almaty: three cases (one named like a formula), six sessions, four appeals from callers named like
    formulas. Shymkent: one case with one session."""
    almaty = [
        make_case(surname="Сейтова", given_name="Аружан"),
        make_case(surname="Қасымов", given_name="Темірлан"),
        make_case(surname=FORMULA_NAMES[0], given_name="Тест"),
    ]
    for index, case in enumerate(almaty):
        log_visit(cast, case, days_ago=2 + index)
        log_visit(cast, case, days_ago=5 + index, mode="home")
    shymkent = make_case(surname="Бекова", given_name="Аяла", organisation=cast.shymkent)
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
