"""The reports API: the catalogue, one indicator with filters, errors, audit, agreement with the web page,
and a query count that does not grow with the records."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tirek.audit.models import AuditEvent
from tirek.reports.catalogue import INDICATORS

Y = 2024  # the centre-year of conftest.py
PERIOD = f"from={Y}-01-01&to={Y}-12-31"


def test_the_catalogue_lists_every_indicator_with_its_definition_and_dimensions(cast):
    response = cast.client(cast.analyst).get("/api/v1/reports/indicators/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    by_code = {item["code"]: item for item in response.json()}
    assert set(by_code) == set(INDICATORS)
    visits = by_code["visits_delivered"]
    assert visits["dimensions"][:6] == [
        "programme",
        "service_type",
        "service",
        "profession",
        "format",
        "mode",
    ]
    assert visits["definition"]
    assert visits["name"]
    assert by_code["group_activities"]["filters"] == []


def test_one_indicator_answers_code_filters_computed_at_and_rows(centre_year, cast):
    response = cast.client(cast.manager_a).get(
        f"/api/v1/reports/indicators/visits_delivered/?{PERIOD}&by=mode"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "visits_delivered"
    assert body["filters"] == {
        "from": f"{Y}-01-01",
        "to": f"{Y}-12-31",
        "organisation": str(cast.almaty.pk),
        "region": None,
        "programme": None,
        "sex": None,
        "age_band": None,
        "diagnosis_group": None,
        "by": "mode",
    }
    assert re.match(r"\d{4}-\d\d-\d\dT", body["computed_at"])
    assert body["rows"] == [
        {"mode": "centre", "value": 5},
        {"mode": "home", "value": 1},
        {"mode": "video", "value": 1},
    ]
    assert body["total"] == 7


def test_an_unknown_code_is_404_in_the_error_shape(cast):
    response = cast.client(cast.analyst).get("/api/v1/reports/indicators/happiness/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2024-13-01", "from"),
        ("from=2024-05-01&to=2024-04-30", "to"),
        ("organisation=00000000-0000-0000-0000-000000000000", "organisation"),
        ("region=999", "region"),
        ("sex=other", "sex"),
        ("age_band=old", "age_band"),
        ("by=colour", "by"),
    ],
)
def test_a_bad_filter_is_400_field_by_field(cast, query, field):
    response = cast.client(cast.analyst).get(f"/api/v1/reports/indicators/persons_served/?{query}")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_filter_the_indicator_cannot_apply_is_refused(cast):
    response = cast.client(cast.analyst).get("/api/v1/reports/indicators/group_activities/?sex=female")
    assert response.status_code == 400
    assert "sex" in response.json()["error"]["fields"]


def test_every_call_is_audited(centre_year, cast):
    client = cast.client(cast.analyst)
    reports = AuditEvent.objects.filter(object_type="reports.indicator")
    client.get(f"/api/v1/reports/indicators/outcomes/?{PERIOD}&by=kind")
    assert reports.count() == 1
    event = reports.get()
    assert event.action == "view"
    assert event.object_type == "reports.indicator"
    assert event.object_repr == "outcomes"
    assert event.actor == cast.analyst
    assert '"by": "kind"' in event.note
    client.get(f"/reports/outcomes/?{PERIOD}")
    assert reports.count() == 2


def _page_values(html: str) -> list[str]:
    return re.findall(r'data-testid="row-value">([^<]*)<', html)


@pytest.mark.parametrize("who", ["manager_a", "analyst"])
def test_the_api_and_the_page_agree(centre_year, cast, who):
    client = cast.client(getattr(cast, who))
    for code, by in [("visits_delivered", "mode"), ("persons_served", ""), ("new_cases", "age_band")]:
        query = f"{PERIOD}&by={by}"
        api = client.get(f"/api/v1/reports/indicators/{code}/?{query}").json()
        page = client.get(f"/reports/{code}/?{query}")
        assert page.status_code == 200
        html = page.content.decode()
        assert _page_values(html) == [str(row["value"]).replace("<", "&lt;") for row in api["rows"]]
        if by:
            codes = re.findall(r'data-testid="row-label" data-code="([^"]*)"', html)
            assert codes == [row[by] for row in api["rows"]]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("code", sorted(INDICATORS))
def test_the_query_count_does_not_grow_with_the_records(centre_year, cast, code):
    client = cast.client(cast.analyst)
    url = f"/api/v1/reports/indicators/{code}/"
    empty = _queries(client, f"{url}?from=2000-01-01&to=2000-12-31")
    full = _queries(client, f"{url}?{PERIOD}")
    assert full == empty
    assert full <= 12


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2024", "2024-01-01", "2024-12-31"),
        ("2024-Q2", "2024-04-01", "2024-06-30"),
        ("2024-02", "2024-02-01", "2024-02-29"),
    ],
)
def test_a_year_quarter_or_month_sets_the_period(cast, period, start, end):
    body = cast.client(cast.analyst).get(f"/api/v1/reports/indicators/new_cases/?period={period}").json()
    assert (body["filters"]["from"], body["filters"]["to"]) == (start, end)


def test_a_month_gives_the_same_figures_as_its_dates(centre_year, cast):
    client = cast.client(cast.manager_a)
    by_month = client.get("/api/v1/reports/indicators/visits_delivered/?period=2024-05&by=mode").json()
    by_dates = client.get(
        "/api/v1/reports/indicators/visits_delivered/?from=2024-05-01&to=2024-05-31&by=mode"
    )
    assert by_month["rows"] == by_dates.json()["rows"] == [{"mode": "home", "value": 1}]


@pytest.mark.parametrize(
    "query", ["period=2024-13", "period=2024-Q5", "period=May", "period=2024&from=2024-01-01"]
)
def test_a_bad_period_is_400(cast, query):
    response = cast.client(cast.analyst).get(f"/api/v1/reports/indicators/new_cases/?{query}")
    assert response.status_code == 400
    assert "period" in response.json()["error"]["fields"]
