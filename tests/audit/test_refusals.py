"""Refused accesses leave a trace: another organisation's record asked for (a 404 that the user cannot
tell from a missing id) and every 403 is a permission_denied event, one per actor and kind a minute with the
repeats counted beside it; the viewer filters them. And a data protection officer sees what others did with
the records their organisation holds without a ground of their own: an administrator's reads, an emergency
access."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent, RefusalTally
from tirek.audit.selectors import audit_event_list
from tirek.cases.models import Case
from tirek.cases.services import case_open
from tirek.core.refusals import RecordNotVisible
from tirek.core.scoping import get_visible_or_404

REASON = "The child was brought to our centre alone at night; we need to reach the family now."


def refusals(user=None):
    events = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED)
    return events.filter(actor=user) if user is not None else events


@pytest.fixture
def almaty_case(make_case):
    """A case of the Almaty centre (and its child, whom only the Almaty centre sees)."""
    return make_case()


def test_probing_another_organisations_records_through_the_api_is_recorded(cast, almaty_case):
    shymkent = cast.client(cast.coordinator_b)
    person = almaty_case.person
    assert shymkent.get(f"/api/v1/persons/{person.pk}/").status_code == 404
    assert shymkent.get(f"/api/v1/cases/{almaty_case.pk}/").status_code == 404

    by_kind = {event.object_type: event for event in refusals(cast.coordinator_b)}
    assert set(by_kind) == {"people.person", "cases.case"}
    event = by_kind["cases.case"]
    assert (event.organisation_id, event.object_id) == (cast.shymkent.pk, str(almaty_case.pk))
    asked = json.loads(event.note)
    assert asked == {"status": 404, "method": "GET", "path": f"/api/v1/cases/{almaty_case.pk}/"}
    assert event.refusal_count == 1
    # The answer is the one of a missing id.
    missing = shymkent.get(f"/api/v1/cases/{uuid.uuid4()}/")
    assert missing.json() == shymkent.get(f"/api/v1/cases/{almaty_case.pk}/").json()


def test_probing_another_organisations_records_through_the_pages_is_recorded(cast, almaty_case):
    shymkent = cast.client(cast.manager_b)
    assert shymkent.get(reverse("people:person_detail", args=[almaty_case.person.pk])).status_code == 404
    assert shymkent.get(reverse("cases:case_detail", args=[almaty_case.pk])).status_code == 404
    recorded = {(e.object_type, e.object_id) for e in refusals(cast.manager_b)}
    assert recorded == {("people.person", str(almaty_case.person.pk)), ("cases.case", str(almaty_case.pk))}


def test_a_missing_or_malformed_id_is_no_refusal(cast, almaty_case):
    client = cast.client(cast.coordinator_b)
    assert client.get(f"/api/v1/cases/{uuid.uuid4()}/").status_code == 404
    assert client.get(reverse("cases:case_detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/api/v1/cases/not-a-uuid/").status_code == 404
    assert not refusals().exists()


def test_a_hundred_probes_in_a_minute_are_one_event_counting_a_hundred(cast, almaty_case, make_case):
    other_case = make_case(surname="Ахметов")
    client = cast.client(cast.coordinator_b)
    for number in range(100):
        target = almaty_case if number % 2 else other_case
        assert client.get(f"/api/v1/cases/{target.pk}/").status_code == 404
    (event,) = refusals(cast.coordinator_b)
    assert event.refusal_count == 100
    assert RefusalTally.objects.get().count == 100


def test_the_next_minute_starts_a_new_event(cast, almaty_case):
    client = cast.client(cast.coordinator_b)
    client.get(f"/api/v1/cases/{almaty_case.pk}/")
    client.get(f"/api/v1/cases/{almaty_case.pk}/")
    # The minute of the first refusal has passed (the tally, unlike the trail, may be changed).
    tally = RefusalTally.objects.get()
    RefusalTally.objects.filter(pk=tally.pk).update(started_at=tally.started_at - dt.timedelta(seconds=61))
    client.get(f"/api/v1/cases/{almaty_case.pk}/")
    assert sorted(e.refusal_count for e in refusals(cast.coordinator_b)) == [1, 2]


def test_each_actor_and_kind_is_counted_apart(cast, almaty_case):
    cast.client(cast.coordinator_b).get(f"/api/v1/cases/{almaty_case.pk}/")
    cast.client(cast.coordinator_b).get(f"/api/v1/persons/{almaty_case.person.pk}/")
    cast.client(cast.manager_b).get(f"/api/v1/cases/{almaty_case.pk}/")
    assert refusals().count() == 3


def test_a_403_by_role_writes_one(cast):
    specialist = cast.client(cast.specialist_a)
    assert specialist.get("/api/v1/persons/lookup/", {"iin": "000000000000"}).status_code == 403
    assert specialist.get(reverse("people:person_register")).status_code == 403
    api, page = refusals(cast.specialist_a).order_by("pk")
    assert api.organisation_id == cast.almaty.pk
    assert json.loads(api.note) == {
        "status": 403,
        "method": "GET",
        "path": "/api/v1/persons/lookup/",
        "capability": "people.register",
    }
    assert page.object_type == "people:person_register"
    assert json.loads(page.note)["capability"] == "people.register"


def test_a_403_on_a_record_names_it(cast, almaty_case):
    # A specialist sees the case but may not change it.
    response = cast.client(cast.specialist_a).post(
        f"/api/v1/cases/{almaty_case.pk}/team/", {"team": []}, content_type="application/json"
    )
    assert response.status_code == 403
    (event,) = refusals(cast.specialist_a)
    assert event.object_id == str(almaty_case.pk)


def test_anonymous_requests_are_not_refusals_of_anyone(cast, almaty_case):
    assert Client().get(f"/api/v1/cases/{almaty_case.pk}/").status_code in (401, 403)
    assert not refusals().exists()


def test_a_successful_fetch_costs_no_extra_query(cast, almaty_case):
    for user in (cast.coordinator_a, cast.coordinator_b):
        user.roles()  # their memberships, read once per user object
    with CaptureQueriesContext(connection) as found:
        get_visible_or_404(Case.objects, cast.coordinator_a, pk=almaty_case.pk)
    with CaptureQueriesContext(connection) as refused, pytest.raises(RecordNotVisible):
        get_visible_or_404(Case.objects, cast.coordinator_b, pk=almaty_case.pk)
    # The refusal is noted (and its one extra query made) only when it is answered.
    assert len(found) == len(refused)


def test_the_viewer_filters_refusals_and_shows_their_count(cast, almaty_case, officer_a, officer_b):
    client = cast.client(cast.coordinator_b)
    for _ in range(5):
        client.get(f"/api/v1/cases/{almaty_case.pk}/")
    client.get(f"/api/v1/persons/{almaty_case.person.pk}/")
    officer = cast.client(officer_b)
    page = officer.get(reverse("audit:event_list"), {"action": "permission_denied"})
    assert page.status_code == 200
    assert {e.action for e in page.context["page"]} == {"permission_denied"}
    assert 'data-testid="refusal-count"' in page.content.decode() and "×5" in page.content.decode()
    api = officer.get("/api/v1/audit-events/", {"action": "permission_denied"}).json()["results"]
    assert sorted((e["object_type"], e["count"]) for e in api) == [("cases.case", 5), ("people.person", 1)]
    # The refusals are Shymkent's: the Almaty centre's officer, whose records were asked for, does not read
    # who in another organisation tried them (the administrators do).
    assert not audit_event_list(user=officer_a, action="permission_denied").exists()
    assert audit_event_list(user=cast.admin, action="permission_denied").count() == 2


def test_the_export_carries_the_count(cast, almaty_case, officer_b):
    client = cast.client(cast.coordinator_b)
    for _ in range(3):
        client.get(f"/api/v1/cases/{almaty_case.pk}/")
    exported = cast.client(officer_b).get(
        "/api/v1/audit-events/export/", {"action": "permission_denied", "format": "csv"}
    )
    rows = b"".join(exported.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[1].endswith(",3")


def test_the_officer_sees_an_administrators_read_of_their_person(cast, child_with_iin, officer_a, officer_b):
    assert (
        cast.client(cast.admin).get(reverse("people:person_detail", args=[child_with_iin.pk])).status_code
        == 200
    )
    read = AuditEvent.objects.get(
        action=AuditAction.VIEW, actor=cast.admin, subject_person_id=child_with_iin.pk
    )
    assert read.organisation_id != cast.almaty.pk  # the administrator acts for the ministry
    assert audit_event_list(user=officer_a).filter(pk=read.pk).exists()
    page = cast.client(officer_a).get(reverse("audit:event_list"), {"action": "view"})
    assert read in page.context["page"]
    # Shymkent holds nothing of the child: its officer learns nothing of her.
    assert not audit_event_list(user=officer_b).filter(pk=read.pk).exists()


def test_the_officer_sees_an_emergency_access_to_their_person_and_the_reads_under_it(
    cast, child_with_iin, officer_a
):
    shymkent = cast.client(cast.manager_b)
    assert shymkent.post("/emergency/", {"iin": child_with_iin.iin, "reason": REASON}).status_code == 302
    assert shymkent.get(reverse("people:person_detail", args=[child_with_iin.pk])).status_code == 200
    seen = audit_event_list(user=officer_a, subject_person=child_with_iin.pk)
    assert {e.action for e in seen.filter(actor=cast.manager_b)} == {"break_glass", "view"}


def test_reads_by_an_organisation_with_its_own_ground_stay_its_own(cast, child_with_iin, officer_a):
    case_open(
        actor=cast.coordinator_b,
        organisation=cast.shymkent,
        person=child_with_iin,
        programme=cast.programme_b,
        referral_source="organisation",
    )
    assert cast.client(cast.coordinator_b).get(f"/api/v1/persons/{child_with_iin.pk}/").status_code == 200
    read = AuditEvent.objects.get(action=AuditAction.VIEW, actor=cast.coordinator_b)
    assert not audit_event_list(user=officer_a).filter(pk=read.pk).exists()
