"""Indicator exports: the same figures as the API's indicator_compute, a definitions sheet, a PDF in Kazakh
and Russian, an analyst's small counts suppressed and no names, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.exports.cells import BOM


def period() -> str:
    today = timezone.localdate()
    return f"from={(today - dt.timedelta(days=30)).isoformat()}&to={today.isoformat()}"


def english(client):
    client.cookies.load({"tirek_language": "en"})
    return client


def export(client, query: str):
    return english(client).get(f"/exports/indicator/visits_delivered/?{period()}&{query}")


def test_the_xlsx_has_the_figures_of_the_api_and_a_definitions_sheet(cast, records):
    client = cast.client(cast.manager_a)
    api = english(client).get(f"/api/v1/reports/indicators/visits_delivered/?{period()}&by=mode").json()
    response = export(client, "by=mode&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="visits_delivered-')
    book = load_workbook(io.BytesIO(response.content))
    figures, about = book.worksheets
    rows = list(figures.iter_rows(values_only=True))
    assert rows[0] == ("Mode", "Code", "Value")
    assert {row[1]: row[2] for row in rows[1:-1]} == {row["mode"]: row["value"] for row in api["rows"]}
    assert {row[1]: row[2] for row in rows[1:-1]} == {"centre": 3, "home": 3}
    assert rows[-1] == ("Total", None, 6)
    pairs = dict(about.iter_rows(values_only=True))
    assert pairs["Code"] == "visits_delivered"
    assert pairs["Definition"].startswith("Sessions with status attended")
    assert pairs["From"] == api["filters"]["from"] and pairs["To"] == api["filters"]["to"]
    assert pairs["Organisation"] == cast.almaty.name
    assert pairs["Split by"] == "mode"
    assert pairs["Computed at"].startswith(timezone.localdate().isoformat())


def test_the_csv_has_a_bom_a_header_and_numbers(cast, records):
    response = export(cast.client(cast.manager_a), "by=mode&format=csv")
    body = response.content.decode("utf-8")
    assert body.startswith(BOM)
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["Mode", "Code", "Value"]
    assert rows[-1] == ["Total", "", "6"]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_pdf_is_printed_in_kazakh_and_russian_with_its_font_embedded(cast, records, language):
    response = export(cast.client(cast.manager_a), f"by=mode&format=pdf&language={language}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"DejaVu" in response.content and b"/FontFile2" in response.content  # the font travels along
    assert f"/Lang ({language})".encode() in response.content
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert json.loads(event.note)["format"] == "pdf"


def test_an_analysts_export_suppresses_small_counts_and_names_nobody(cast, records):
    client = cast.client(cast.analyst)
    body = export(client, "by=mode&format=csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body[1:])))
    # centre 3 + 1, home 3 across the two organisations: both small, so the total is hidden too.
    assert [row[2] for row in rows[1:]] == ["<5", "<5", ""]
    shymkent = export(client, f"organisation={cast.shymkent.pk}&format=csv").content.decode("utf-8")
    assert list(csv.reader(io.StringIO(shymkent[1:])))[1][2] == "<5"
    xlsx = export(client, "by=programme&format=xlsx").content
    for text in (body, shymkent):
        for case in [*records.almaty, records.shymkent]:
            assert case.person.surname not in text
            assert case.number not in text
            assert str(case.pk) not in text and str(case.person.pk) not in text
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    cells = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    assert "Сейтова" not in cells and "<5" in cells


def test_a_manager_cannot_export_another_organisations_figures(cast, records):
    body = export(cast.client(cast.manager_b), f"organisation={cast.almaty.pk}&format=csv").content.decode()
    # The organisation is forced to the manager's own: Shymkent's one session, exact.
    assert list(csv.reader(io.StringIO(body[1:])))[1][2] == "1"


@pytest.mark.parametrize("who", ["specialist_a", "coordinator_a", "outsider"])
def test_a_role_that_does_not_read_reports_gets_403(cast, records, who):
    response = export(cast.client(getattr(cast, who)), "format=xlsx")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_unknown_indicator_is_404_and_a_bad_filter_400(cast):
    client = english(cast.client(cast.manager_a))
    assert client.get("/exports/indicator/no_such_thing/?format=csv").status_code == 404
    assert export(client, "by=colour&format=csv").status_code == 400
    assert export(client, "format=docx").status_code == 400


def test_each_indicator_export_is_audited(cast, records):
    for fmt in ("xlsx", "csv", "pdf"):
        export(cast.client(cast.analyst), f"by=mode&format={fmt}")
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("id")
    assert [json.loads(e.note)["format"] for e in events] == ["xlsx", "csv", "pdf"]
    note = json.loads(events[0].note)
    assert note["what"] == "indicator" and note["code"] == "visits_delivered" and note["rows"] == 2
    assert note["filters"]["by"] == "mode"


def test_the_api_gives_the_same_file(cast, records):
    client = cast.client(cast.manager_a)
    response = client.get(f"/api/v1/exports/indicator/visits_delivered/?{period()}&by=mode&format=csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8").splitlines()[-1].endswith(",6")
    assert client.get(f"/api/v1/exports/indicator/visits_delivered/?{period()}&format=bad").status_code == 400
    assert (
        cast.client(cast.specialist_a).get("/api/v1/exports/indicator/visits_delivered/").status_code == 403
    )
