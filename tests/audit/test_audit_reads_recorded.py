"""Every view of a person's or a case's page (web and API) and every export of every kind leaves exactly one
audit event (VIEW or EXPORT) saying who, where and about whom."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def events_written(call, action: str) -> list[AuditEvent]:
    """The events of `action` written while `call` runs (after checking its response was a success)."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = call()
    assert response.status_code in (200, 201, 202), response.status_code
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return list(AuditEvent.objects.filter(pk__gt=last, action=action))


def period() -> str:
    today = timezone.localdate()
    return f"from={(today - dt.timedelta(days=60)).isoformat()}&to={today.isoformat()}"


@pytest.mark.parametrize(
    "address", ["/people/{person}/", "/api/v1/persons/{person}/", "/cases/{case}/", "/api/v1/cases/{case}/"]
)
def test_opening_a_person_or_a_case_is_recorded_once(cast, make_case, address):
    case = make_case()
    url = address.format(person=case.person_id, case=case.pk)
    client = cast.client(cast.coordinator_a)
    [event] = events_written(lambda: client.get(url), AuditAction.VIEW)
    assert event.actor == cast.coordinator_a
    assert event.organisation_id == cast.almaty.pk
    assert event.subject_person_id == case.person_id
    assert event.object_id in (str(case.pk), str(case.person_id))


@pytest.mark.parametrize(
    "address", ["/people/{person}/", "/api/v1/persons/{person}/", "/cases/{case}/", "/api/v1/cases/{case}/"]
)
def test_another_organisations_record_is_404_and_nothing_is_recorded(cast, make_case, address):
    case = make_case()
    url = address.format(person=case.person_id, case=case.pk)
    assert cast.client(cast.coordinator_b).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
@pytest.mark.parametrize("prefix", ["/exports/indicator/", "/api/v1/exports/indicator/"])
def test_each_indicator_export_is_recorded_once(cast, make_case, prefix, fmt):
    make_case()
    client = cast.client(cast.manager_a)
    url = f"{prefix}new_cases/?{period()}&format={fmt}"
    [event] = events_written(lambda: client.get(url), AuditAction.EXPORT)
    note = json.loads(event.note)
    assert (note["what"], note["format"], event.actor) == ("indicator", fmt, cast.manager_a)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("what", ["cases", "visits", "appeals"])
def test_each_record_list_export_is_recorded_once(cast, make_case, what, fmt):
    make_case()
    client = cast.client(cast.manager_a)
    [event] = events_written(lambda: client.post(f"/exports/records/{what}/", {"format": fmt}), "export")
    note = json.loads(event.note)
    assert (note["what"], note["format"], event.organisation_id) == (what, fmt, cast.almaty.pk)


def test_a_background_export_is_recorded_once_and_its_download_too(cast, make_case):
    make_case()
    client = cast.client(cast.manager_a)
    body = {"what": "cases", "format": "csv"}
    [event] = events_written(
        lambda: client.post("/api/v1/exports/", body, content_type="application/json"), AuditAction.EXPORT
    )
    assert json.loads(event.note)["rows"] == 1
    job = event.object_id
    [download] = events_written(lambda: client.get(f"/api/v1/exports/{job}/download/"), AuditAction.VIEW)
    assert download.object_id == job and json.loads(download.note)["download"] is True
    [page_download] = events_written(lambda: client.get(f"/exports/{job}/download/"), AuditAction.VIEW)
    assert page_download.object_id == job


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_audit_trail_export_is_recorded_once(cast, fmt):
    client = cast.client(cast.admin)
    [page] = events_written(lambda: client.post("/exports/audit-trail/", {"format": fmt}), AuditAction.EXPORT)
    [api] = events_written(
        lambda: client.get("/api/v1/audit-events/export/", {"format": fmt}), AuditAction.EXPORT
    )
    for event in (page, api):
        assert json.loads(event.note)["what"] == "audit_events" and event.actor == cast.admin
