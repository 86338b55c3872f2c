"""Filtering the trail (the page and the API through the same selector) and exporting it as CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.audit.services import audit_record
from tirek.directory.services import programme_update
from tirek.exports import audit_trail
from tirek.exports.cells import BOM


def english(client):
    client.cookies.load({"tirek_language": "en"})
    return client


@pytest.fixture
def trail(cast, child_with_iin):
    """The child's registration (Almaty), two programme updates (Almaty, Shymkent) and an event whose object
    reads like a spreadsheet formula."""
    programme_update(actor=cast.manager_a, programme=cast.programme_a, yearly_target=5)
    programme_update(actor=cast.manager_b, programme=cast.programme_b, yearly_target=6)
    audit_record(
        actor=cast.manager_a,
        action=AuditAction.VIEW,
        organisation=cast.almaty,
        object_type="cases.case",
        object_repr='=HYPERLINK("http://x")',
        subject_person_id=child_with_iin.pk,
    )
    return child_with_iin


def page_ids(client, params) -> list[int]:
    response = client.get(reverse("audit:event_list"), params)
    assert response.status_code == 200
    return [event.pk for event in response.context["page"]]


def api_ids(client, params) -> list[int]:
    response = client.get("/api/v1/audit-events/", params)
    assert response.status_code == 200
    return [event["id"] for event in response.json()["results"]]


def test_the_page_and_the_api_select_the_same_events_for_each_filter(cast, trail):
    client = cast.client(cast.admin)
    cases = [
        {"iin": trail.iin},
        {"subject_person": str(trail.pk)},
        {"actor": str(cast.manager_b.pk)},
        {"organisation": str(cast.almaty.pk), "action": "update"},
        {"object_type": "people.person"},
        {"action": "view", "iin": trail.iin},
    ]
    for params in cases:
        assert page_ids(client, params) == api_ids(client, params), params
    by_iin = set(api_ids(client, {"iin": trail.iin}))
    expected = set(AuditEvent.objects.filter(subject_person_id=trail.pk).values_list("pk", flat=True))
    assert by_iin == expected and len(by_iin) == 2  # the registration and the view


def test_an_unknown_iin_selects_nothing(cast, trail, iin_for):
    assert api_ids(cast.client(cast.admin), {"iin": iin_for(trail.birth_date, serial=900)}) == []


def test_the_period_counts_whole_local_days(cast, trail):
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    client = cast.client(cast.admin)
    assert len(api_ids(client, {"date_from": today, "date_to": today})) == AuditEvent.objects.count()
    assert api_ids(client, {"date_to": "2000-01-01"}) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"iin": "12345"}, "iin"),
        ({"iin": "791028302729"}, "iin"),  # the check digit is wrong
        ({"subject_person": "not-a-uuid"}, "subject_person"),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "date_to"),
        ({"action": "steal"}, "action"),
    ],
)
def test_a_bad_filter_is_refused_field_by_field_on_the_page_and_in_the_api(cast, trail, params, field):
    client = english(cast.client(cast.admin))
    api = client.get("/api/v1/audit-events/", params)
    assert api.status_code == 400
    assert field in api.json()["error"]["fields"]
    page = client.get(reverse("audit:event_list"), params)
    assert field in page.context["filters"].errors
    assert list(page.context["page"]) == []  # no list that ignores the filter
    assert f'data-field="{field}"' in page.content.decode()
    assert client.get("/api/v1/audit-events/export/", {**params, "format": "csv"}).status_code == 400
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_list_takes_a_fixed_number_of_queries(cast, trail, django_assert_max_num_queries):
    client = cast.client(cast.admin)
    client.get(reverse("audit:event_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("audit:event_list"))
        client.get("/api/v1/audit-events/")
    for target in range(10, 40):
        programme_update(actor=cast.manager_a, programme=cast.programme_a, yearly_target=target)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("audit:event_list"))
        client.get("/api/v1/audit-events/")


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def test_the_csv_holds_the_filtered_events_formula_safe(cast, trail):
    client = english(cast.client(cast.admin))
    response = client.get("/api/v1/audit-events/export/", {"format": "csv", "iin": trail.iin})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:5] == ["Time", "Actor", "Actor id", "Organisation", "Action"]
    assert len(rows) == 3  # the header, the view, the registration
    assert rows[1][4] == "View" and rows[1][7] == '\'=HYPERLINK("http://x")'
    assert {row[8] for row in rows[1:]} == {str(trail.pk)}


def test_the_xlsx_holds_the_same_events(cast, trail):
    client = english(cast.client(cast.admin))
    response = client.get("/api/v1/audit-events/export/", {"format": "xlsx", "organisation": cast.almaty.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    expected = AuditEvent.objects.filter(organisation=cast.almaty).exclude(action=AuditAction.EXPORT).count()
    assert len(rows) == 1 + expected
    formula = next(row for row in rows if row[5] == "cases.case")
    assert formula[7] == '=HYPERLINK("http://x")'  # a string cell, never a formula
    cell = next(c for r in sheet.iter_rows() for c in r if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"


def test_each_export_is_recorded_without_the_iin_and_not_in_its_own_file(cast, trail):
    client = cast.client(cast.admin)
    by_iin = csv_rows(client.get("/api/v1/audit-events/export/", {"format": "csv", "iin": trail.iin}))
    assert len(by_iin) == 3
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == cast.admin
    assert event.organisation_id == cast.ministry.pk
    note = json.loads(event.note)
    assert note == {"what": "audit_events", "format": "csv", "filters": {"iin": "*" * 12}, "rows": 2}
    assert trail.iin not in event.note
    everything = csv_rows(client.get("/api/v1/audit-events/export/", {"format": "csv"}))
    # The second file holds the first export, not itself.
    assert [row[7] for row in everything[1:]].count("audit_events") == 1
    assert len(everything) == AuditEvent.objects.count()  # the header in place of the second export
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_the_page_exports_with_its_filters(cast, trail):
    client = english(cast.client(cast.admin))
    page = client.get(reverse("audit:event_list"), {"action": "update", "page": "1"}).content.decode()
    assert f'action="{reverse("exports:audit_trail")}?action=update"' in page
    assert 'data-testid="audit-export-limit"' in page
    response = client.post(reverse("exports:audit_trail") + "?action=update", {"format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and {row[4] for row in rows[1:]} == {"Update"}
    note = json.loads(AuditEvent.objects.get(action=AuditAction.EXPORT).note)
    assert note["filters"] == {"action": "update"} and note["format"] == "xlsx" and note["rows"] == 2


def test_an_officers_export_holds_their_organisation_only(cast, officer_b, trail):
    response = cast.client(officer_b).get("/api/v1/audit-events/export/", {"format": "csv"})
    rows = csv_rows(response)
    shymkent = AuditEvent.objects.filter(organisation=cast.shymkent).exclude(action=AuditAction.EXPORT)
    assert len(rows) == 1 + shymkent.count()
    assert {row[3] for row in rows[1:]} == {cast.shymkent.name}
    assert "directory.programme" in {row[5] for row in rows[1:]}
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).organisation_id == cast.shymkent.pk


def test_too_many_events_or_a_bad_format_are_refused_with_a_message(cast, trail, monkeypatch):
    client = english(cast.client(cast.admin))
    bad = client.get("/api/v1/audit-events/export/", {"format": "pdf"})
    assert bad.status_code == 400 and "format" in bad.json()["error"]["fields"]
    monkeypatch.setattr(audit_trail, "EXPORT_MAX_ROWS", 2)
    api = client.get("/api/v1/audit-events/export/", {"format": "csv"})
    assert api.status_code == 400
    assert "at most 2" in api.json()["error"]["fields"]["__all__"][0]
    page = client.post(reverse("exports:audit_trail") + "?action=update", {"format": "csv"})
    assert page.status_code == 200  # two updates: within the limit
    refused = client.post(reverse("exports:audit_trail") + "?object_type=", {"format": "csv"}, follow=True)
    assert refused.redirect_chain[-1][0] == reverse("audit:event_list")
    assert "at most 2" in refused.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
