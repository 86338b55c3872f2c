from __future__ import annotations

import itertools
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tirek.operations.demo.organisations import DEMO_PASSWORD
from tirek.operations.demo.services import load_demo_services
from tirek.services.choices import BUSY_STATUSES, VisitMode
from tirek.services.models import GroupActivity, Visit, VisitGoal


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO())
    if not Visit.objects.exists():  # until the demo command loads the sessions itself
        load_demo_services()


def test_the_demo_has_months_of_sessions_of_a_multidisciplinary_team(demo):
    counts = load_demo_services()
    assert counts["created"] == {}  # a second run adds nothing
    assert counts["visits_kenes"] >= 300
    kamkorlyk = Visit.objects.filter(organisation__name_kk__contains="Қамқорлық")
    professions = set(kamkorlyk.exclude(profession=None).values_list("profession__code", flat=True))
    assert {
        "defectologist",
        "psychologist",
        "physiotherapy_instructor",
        "occupational_therapist",
        "rehabilitation_doctor",
    } <= professions
    assert set(Visit.objects.values_list("mode", flat=True)) == set(VisitMode.values)
    assert set(Visit.objects.values_list("format", flat=True)) == {"individual", "group"}
    for status in ("cancelled", "no_show"):
        missed = Visit.objects.filter(status=status)
        assert missed.exists() and not missed.filter(cancellation_reason="").exists()
    assert Visit.objects.filter(status="planned", starts_at__gte=timezone.now()).exists()
    kinds = set(GroupActivity.objects.values_list("kind", flat=True))
    assert {"seminar", "group_class", "group_consultation", "training"} <= kinds
    assert GroupActivity.objects.filter(status="held", participants__attended=True).exists()
    # Sessions of cases with a plan note progress on its goals.
    noted = VisitGoal.objects.select_related("visit", "plan_goal__plan")
    assert noted.count() > 50
    assert all(g.visit.case_id == g.plan_goal.plan.case_id and g.visit.status == "attended" for g in noted)


def test_the_demo_never_double_books_a_specialist(demo):
    busy = defaultdict(list)
    for specialist, start, end in Visit.objects.filter(
        status__in=BUSY_STATUSES, group_activity__isnull=True
    ).values_list("specialist_id", "starts_at", "ends_at"):
        busy[specialist].append((start, end))
    for activity in GroupActivity.objects.exclude(status="cancelled").prefetch_related("facilitators"):
        for facilitator in activity.facilitators.all():
            busy[facilitator.pk].append((activity.starts_at, activity.ends_at))
    for intervals in busy.values():
        intervals.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(intervals))


def test_the_demo_specialists_can_sign_in_and_see_their_day(demo):
    for username in ("kenes.psychologist", "kamkorlyk.physio", "specialist"):
        client = Client()
        signed_in = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
        assert client.get("/visits/day/").status_code == 200
