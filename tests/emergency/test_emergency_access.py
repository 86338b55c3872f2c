"""Break the glass: a manager opens, with a reason, the record of a person their organisation does not serve;
the opening lasts three hours, is audited, announced to the holders' managers and data protection officers,
and ends by itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.accounts.models import Membership
from tirek.audit.models import AuditEvent
from tirek.emergency.models import EmergencyAccess
from tirek.notifications.models import Notification
from tirek.operations.demo.people.planning import synthetic_iin
from tirek.people.models import Person

pytestmark = pytest.mark.django_db

REASON = "The child was brought to our centre alone at night; we need to reach the family now."


@pytest.fixture
def almaty_child(make_case):
    """A child served by the Almaty centre only, with an IIN."""
    person = make_case().person
    Person.objects.filter(pk=person.pk).update(iin=synthetic_iin(dt.date(2024, 3, 5), "male", 17)[0])
    person.refresh_from_db()
    return person


def english(client):
    client.cookies["tirek_language"] = "en"
    return client


def open_page(client, person, reason=REASON):
    return client.post("/emergency/", {"iin": person.iin, "reason": reason})


def test_a_manager_opens_a_record_outside_their_reach_with_a_reason(cast, almaty_child):
    Membership.objects.filter(user=cast.coordinator_a).update(is_data_protection_officer=True)
    shymkent = english(cast.client(cast.manager_b))
    assert shymkent.get(f"/people/{almaty_child.pk}/").status_code == 404

    response = open_page(shymkent, almaty_child)
    assert response.status_code == 302 and response["Location"] == f"/people/{almaty_child.pk}/"
    page = shymkent.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="emergency-banner"' in page.content.decode()
    assert page.context["health"] is True  # the whole record, health included

    access = EmergencyAccess.objects.get()
    assert (access.user, access.organisation, access.person) == (cast.manager_b, cast.shymkent, almaty_child)
    hours = (access.expires_at - access.created_at).total_seconds() / 3600
    assert 2.99 < hours < 3.01
    event = AuditEvent.objects.get(action="break_glass")
    assert (event.actor, event.subject_person_id, event.note) == (cast.manager_b, almaty_child.pk, REASON)
    assert AuditEvent.objects.filter(action="view", subject_person_id=almaty_child.pk).count() == 1
    told = set(
        Notification.objects.filter(kind="emergency_access").values_list("recipient__username", flat=True)
    )
    # Almaty holds the record: its manager and its data protection officer are told; nobody in Shymkent.
    assert told == {cast.manager_a.username, cast.coordinator_a.username}


def test_with_no_data_protection_officer_named_the_administrators_are_told(cast, almaty_child):
    open_page(cast.client(cast.manager_b), almaty_child)
    told = set(
        Notification.objects.filter(kind="emergency_access").values_list("recipient__username", flat=True)
    )
    assert told == {cast.manager_a.username, cast.admin.username}


@pytest.mark.parametrize(
    ("iin", "reason", "field", "message"),
    [
        (None, "urgent", "reason", "at least 20 characters"),
        ("000000000000", REASON, "iin", "No person with this IIN"),
    ],
    ids=["reason-too-short", "unknown-iin"],
)
def test_an_opening_without_a_reason_or_a_person_is_refused(cast, almaty_child, iin, reason, field, message):
    client = english(cast.client(cast.manager_b))
    response = client.post("/emergency/", {"iin": iin or almaty_child.iin, "reason": reason})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["form"]["reason"].value() == reason
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_a_person_already_in_reach_is_opened_as_usual(cast, almaty_child):
    response = english(cast.client(cast.manager_a)).post(
        "/emergency/", {"iin": almaty_child.iin, "reason": REASON}
    )
    assert "already sees this person" in " ".join(response.context["form"].errors["iin"])


def test_only_managers_may_break_the_glass(cast, almaty_child):
    coordinator = cast.client(cast.coordinator_b)
    assert (
        "form" not in coordinator.get("/emergency/").context
        or coordinator.get("/emergency/").context["form"] is None
    )
    open_page(coordinator, almaty_child)
    assert not EmergencyAccess.objects.exists()
    token = cast.token(cast.coordinator_b)
    api = cast.client(None)
    response = api.post(
        "/api/v1/emergency-access/",
        {"iin": almaty_child.iin, "reason": REASON},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 403
    assert coordinator.get(f"/people/{almaty_child.pk}/").status_code == 404


def test_the_access_ends_by_itself_after_its_hours(cast, almaty_child):
    client = cast.client(cast.manager_b)
    open_page(client, almaty_child)
    assert client.get(f"/people/{almaty_child.pk}/").status_code == 200
    EmergencyAccess.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(f"/people/{almaty_child.pk}/").status_code == 404
    assert client.get("/api/v1/emergency-access/").json()["results"][0]["is_active"] is False


def test_the_hours_are_a_setting(cast, almaty_child, settings):
    settings.TIREK_EMERGENCY_ACCESS_HOURS = 1
    open_page(cast.client(cast.manager_b), almaty_child)
    access = EmergencyAccess.objects.get()
    assert dt.timedelta(minutes=59) < access.expires_at - access.created_at <= dt.timedelta(hours=1)


def test_the_manager_may_end_it_early(cast, almaty_child):
    client = cast.client(cast.manager_b)
    open_page(client, almaty_child)
    access = EmergencyAccess.objects.get()
    assert client.post(f"/emergency/{access.pk}/end/").status_code == 302
    assert client.get(f"/people/{almaty_child.pk}/").status_code == 404
    access.refresh_from_db()
    assert access.ended_at is not None


def test_the_holding_organisation_sees_the_opening_and_others_do_not(cast, almaty_child, make_case):
    open_page(cast.client(cast.manager_b), almaty_child)
    access = EmergencyAccess.objects.get()
    holder = cast.client(cast.manager_a).get("/emergency/")
    assert [a.pk for a in holder.context["accesses"]] == [access.pk]
    assert REASON in holder.content.decode()
    # The holder cannot end someone else's opening.
    assert cast.client(cast.manager_a).post(f"/emergency/{access.pk}/end/").status_code == 403
    # A third organisation (the ministry's administrator excepted) has no view of it.
    outsider = cast.client(cast.outsider).get("/emergency/")
    assert list(outsider.context["accesses"]) == []


def test_break_the_glass_through_the_api(cast, almaty_child):
    token = cast.token(cast.manager_b)
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    api = cast.client(None)
    opened = api.post(
        "/api/v1/emergency-access/",
        {"iin": almaty_child.iin, "reason": REASON},
        content_type="application/json",
        **headers,
    )
    assert opened.status_code == 201
    body = opened.json()
    assert body["person"] == str(almaty_child.pk) and body["is_active"] is True
    assert api.get(f"/api/v1/persons/{almaty_child.pk}/", **headers).status_code == 200
    short = api.post(
        "/api/v1/emergency-access/",
        {"iin": almaty_child.iin, "reason": "now"},
        content_type="application/json",
        **headers,
    )
    assert short.status_code == 400 and "reason" in short.json()["error"]["fields"]
    ended = api.post(f"/api/v1/emergency-access/{body['id']}/end/", **headers)
    assert ended.status_code == 200 and ended.json()["is_active"] is False
    assert api.get(f"/api/v1/persons/{almaty_child.pk}/", **headers).status_code == 404


def test_a_record_opened_in_an_emergency_is_read_not_changed(cast, almaty_child):
    client = cast.client(cast.manager_b)
    open_page(client, almaty_child)
    page = client.get(f"/people/{almaty_child.pk}/")
    assert f"/people/{almaty_child.pk}/edit/" not in page.content.decode()
    for page in ("edit", "health", "diagnoses/add"):
        assert client.get(f"/people/{almaty_child.pk}/{page}/").status_code == 403, page
    assert client.post(f"/people/{almaty_child.pk}/edit/", {"surname": "Басқа"}).status_code == 403
    token = cast.token(cast.manager_b)
    api = cast.client(None).patch(
        f"/api/v1/persons/{almaty_child.pk}/",
        {"surname": "Басқа"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert api.status_code == 403
    almaty_child.refresh_from_db()
    assert almaty_child.surname == "Омаров"
