from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.audit.models import AppendOnlyError, AuditEvent
from tirek.catalog.models import Profession
from tirek.directory.services import programme_update


def test_a_service_write_leaves_an_event_with_the_field_changes(cast):
    programme_update(actor=cast.manager_a, programme=cast.programme_a, yearly_target=120)
    event = AuditEvent.objects.get(action="update", object_type="directory.programme")
    assert event.changes == {"yearly_target": [None, 120]}
    assert event.object_id == str(cast.programme_a.pk)
    assert event.actor_label == str(cast.manager_a)
    assert event.organisation_id == cast.almaty.pk


def test_a_write_through_the_api_records_the_client_address(cast):
    cast.client(cast.manager_a).patch(
        f"/api/v1/programmes/{cast.programme_a.pk}/",
        {"yearly_target": 99},
        content_type="application/json",
        REMOTE_ADDR="10.1.2.3",
    )
    assert AuditEvent.objects.get(action="update").client_address == "10.1.2.3"


def test_sign_in_failure_and_sign_out_are_recorded(cast, client):
    client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.actor is None
    assert failed.note == "alice"
    client.post(reverse("accounts:login"), {"username": "alice", "password": "correct-horse-battery-staple"})
    assert AuditEvent.objects.filter(action="login", actor=cast.specialist_a).count() == 1
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="logout", actor=cast.specialist_a).count() == 1


def test_audit_events_cannot_be_changed_or_removed(cast):
    programme_update(actor=cast.manager_a, programme=cast.programme_a, yearly_target=1)
    event = AuditEvent.objects.get(action="update")
    event.note = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(note="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_an_admin_site_change_is_audited(cast):
    profession = Profession.objects.get(code="speech_therapist")
    client = cast.client(cast.admin)
    url = reverse("admin:catalog_profession_change", args=[profession.pk])
    response = client.post(
        url,
        {
            "code": "speech_therapist",
            "name_kk": "Логопед-маман",
            "name_ru": "Логопед",
            "name_en": "Speech therapist",
            "is_active": "on",
            "sort_order": "0",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="catalog.profession", action="update")
    assert event.changes["name_kk"] == ["Логопед", "Логопед-маман"]
    assert event.actor == cast.admin


def test_the_admin_site_is_for_administrators_only(cast):
    assert cast.client(cast.admin).get(reverse("admin:index")).status_code == 200
    assert cast.client(cast.manager_a).get(reverse("admin:index")).status_code == 302


def test_administrators_read_the_trail_with_filters(cast):
    programme_update(actor=cast.manager_a, programme=cast.programme_a, yearly_target=5)
    programme_update(actor=cast.manager_b, programme=cast.programme_b, yearly_target=6)
    client = cast.client(cast.admin)
    response = client.get(reverse("audit:event_list"), {"organisation": cast.almaty.pk, "action": "update"})
    assert [e.organisation_id for e in response.context["page"]] == [cast.almaty.pk]
    api = client.get("/api/v1/audit-events/", {"actor": cast.manager_b.pk}).json()["results"]
    assert [e["organisation"] for e in api] == [str(cast.shymkent.pk)]


@pytest.mark.parametrize("role", ["specialist_a", "coordinator_a", "manager_a", "analyst"])
def test_other_roles_cannot_read_the_trail(cast, role):
    client = cast.client(getattr(cast, role))
    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get("/api/v1/audit-events/").status_code == 403


def test_a_bad_filter_is_a_400_with_the_field(cast):
    response = cast.client(cast.admin).get("/api/v1/audit-events/", {"date_from": "yesterday"})
    assert response.status_code == 400
    assert "date_from" in response.json()["error"]["fields"]
