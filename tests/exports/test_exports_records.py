"""Record lists (cases, sessions, appeals) for managers: only their organisation's records, the list's
filters, formula-looking texts neutralised, audited, and a constant number of queries."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.exports.cells import BOM, csv_value
from tirek.exports.writers import write_records_csv, write_records_xlsx

ENGLISH = {"tirek_language": "en"}


def post_export(client, what, fmt, query=""):
    client.cookies.load(ENGLISH)
    return client.post(f"/exports/records/{what}/{query}", {"format": fmt})


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :])))


@pytest.mark.parametrize("text", ["=1+2", "+77010000000", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_starting_like_a_formula_gets_an_apostrophe(text):
    assert csv_value(text) == "'" + text


@pytest.mark.parametrize("number", [-5, 0, 3.5, 12])
def test_real_numbers_stay_numbers(number):
    assert csv_value(number) == number


def test_the_cases_csv_has_a_bom_a_header_and_only_the_managers_organisation(cast, records):
    response = post_export(cast.client(cast.manager_a), "cases", "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:3] == ["Case number", "Person", "Date of birth"]
    assert sorted(row[0] for row in rows[1:]) == sorted(case.number for case in records.almaty)
    names = " ".join(row[1] for row in rows[1:])
    assert "Бекова" not in names and "Сейтова" in names
    # The formula-looking surname is neutralised.
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])


def test_the_appeals_csv_neutralises_every_formula_start(cast, records):
    rows = read_csv(post_export(cast.client(cast.manager_a), "appeals", "csv"))
    senders = {row[2] for row in rows[1:]}
    assert senders == {"'" + name for name in records.formula_names}


def test_the_list_filters_apply(cast, records):
    client = cast.client(cast.manager_a)
    rows = read_csv(post_export(client, "appeals", "csv", "?category=employment"))
    assert rows[1:] == []
    rows = read_csv(post_export(client, "cases", "csv", "?status=closed"))
    assert rows[1:] == []


def test_a_bad_filter_is_a_400(cast, records):
    response = post_export(cast.client(cast.manager_a), "visits", "csv", "?date_from=yesterday")
    assert response.status_code == 400


def test_the_visits_xlsx_holds_the_sessions_of_the_organisation(cast, records):
    response = post_export(cast.client(cast.manager_a), "visits", "xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Starts at"
    assert len(rows) == 1 + 6
    assert {row[3] for row in rows[1:]} == {case.number for case in records.almaty}
    # Minutes stay numbers; the formula-looking name is a text, never a formula.
    assert all(row[1] == 30 for row in rows[1:])
    assert any(str(row[4]).startswith("=HYPERLINK") for row in rows[1:])
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("who", ["specialist_a", "coordinator_a", "analyst"])
def test_a_role_without_the_capability_gets_403(cast, records, who):
    response = post_export(cast.client(getattr(cast, who)), "cases", "csv")
    assert response.status_code == 403


def test_an_unknown_list_or_format_is_refused(cast, records):
    client = cast.client(cast.manager_a)
    assert post_export(client, "persons", "csv").status_code == 400
    assert post_export(client, "cases", "pdf").status_code == 400


def test_each_record_export_is_audited_without_personal_data(cast, records):
    post_export(cast.client(cast.manager_a), "cases", "xlsx", "?status=intake")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    note = json.loads(event.note)
    assert note["what"] == "cases" and note["format"] == "xlsx" and note["rows"] >= 0
    assert note["filters"] == {"status": "intake"}
    assert event.actor == cast.manager_a and event.organisation_id == cast.almaty.pk
    for case in records.almaty:
        assert case.person.surname not in event.note


def test_the_writers_for_the_benchmark_return_the_row_count(cast, records):
    out = io.BytesIO()
    assert write_records_csv(user=cast.manager_a, what="visits", params={}, out=out) == 6
    assert out.getvalue().startswith(BOM.encode())
    out = io.BytesIO()
    assert write_records_xlsx(user=cast.manager_b, what="visits", params={}, out=out) == 1


def test_the_query_count_does_not_grow_with_the_rows(
    cast, records, make_case, add_visit, django_assert_max_num_queries
):
    client = cast.client(cast.manager_a)

    def export_all() -> int:
        rows = []
        for what in ("cases", "visits", "appeals"):
            rows.extend(read_csv(post_export(client, what, "csv")))
        return len(rows)

    export_all()  # warm caches (sessions, content types)
    with django_assert_max_num_queries(40) as few:
        small = export_all()
    for index in range(12):
        add_visit(make_case(surname=f"Қосымша{index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = export_all()
    assert large == small + 24
