"""The dashboards and the drill-down: who sees which place (a manager their own organisation, forced; analysts
any, suppressed), a fixed number of queries whatever the data, charts drawn from the table's rows, the
refresh request, the records behind a figure (a manager's own only; analysts 403), the pages in Kazakh."""

from __future__ import annotations

import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.core.errors import NotAllowed
from tirek.reports.aggregates import Place, aggregates_refresh, period_containing
from tirek.reports.dashboard import dashboard_data
from tirek.reports.models import IndicatorSnapshot

# Yesterday at noon: in this month or the previous one, both among the dashboards' standard periods.
SESSION_AT = timezone.make_aware(
    dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(12, 0))
)
PERIOD = period_containing(timezone.localdate(SESSION_AT), "month")


def _tile(data: dict, code: str) -> dict:
    return next(tile for tile in data["tiles"] if tile["code"] == code)


def _chart(data: dict, chart_id: str) -> dict:
    return next(chart for chart in [*data["charts"], *data["trends"]] if chart["id"] == chart_id)


# -- who sees what -------------------------------------------------------------------------------------------


def test_a_manager_sees_their_own_organisation_exactly_whatever_they_ask_for(cast, served):
    served(cast.almaty, 3)
    served(cast.shymkent, 7, surname="Шымкент")
    data = dashboard_data(
        user=cast.manager_a, scope="organisation", organisation=cast.shymkent, period=PERIOD.code
    )
    assert data["organisation"]["id"] == str(cast.almaty.pk)
    assert data["exact"] is True
    assert _tile(data, "persons_served")["value"] == 3  # exact, not "<5"
    assert _tile(data, "visits_delivered")["value"] == 3
    assert _tile(data, "visits_delivered")["records_url"].startswith("/reports/visits_delivered/records/?")
    services = _chart(data, "visits_delivered-service_type")
    assert [row["value"] for row in services["rows"]] == [3]


def test_an_analyst_sees_small_counts_hidden_and_never_a_name(cast, served):
    served(cast.almaty, 3)
    served(cast.shymkent, 6, surname="Шымкент")
    data = dashboard_data(
        user=cast.analyst, scope="organisation", organisation=cast.almaty, period=PERIOD.code
    )
    assert data["exact"] is False
    assert _tile(data, "persons_served")["value"] == "<5"
    assert _tile(data, "persons_served")["change"] is None
    assert _tile(data, "persons_served")["records_url"] is None
    chart = _chart(data, "visits_delivered-service_type")
    assert [row["value"] for row in chart["rows"]] == ["<5"]
    assert chart["values"] == [None]  # a hidden figure is not drawn

    country = dashboard_data(user=cast.analyst, scope="country", period=PERIOD.code)
    assert _tile(country, "persons_served")["value"] == 9
    region = dashboard_data(
        user=cast.analyst, scope="region", region=cast.shymkent.region, period=PERIOD.code
    )
    assert _tile(region, "visits_delivered")["value"] == 6
    text = json.dumps([data, country, region], default=str)
    for surname in ("Бала0", "Шымкент0", "Әли"):
        assert surname not in text


def test_a_manager_gets_403_on_the_region_and_country_dashboards(cast):
    for scope in ("region", "country"):
        with pytest.raises(NotAllowed):
            dashboard_data(user=cast.manager_a, scope=scope, region=cast.almaty.region)
    client = cast.client(cast.manager_a)
    assert client.get("/reports/dashboard/region/").status_code == 403
    assert client.get("/reports/dashboard/country/").status_code == 403
    assert client.get("/api/v1/reports/dashboard/?scope=country").status_code == 403
    assert client.get("/api/v1/reports/dashboard/?scope=region&region=750000000").status_code == 403


def test_roles_without_reports_get_403(cast):
    for user in (cast.specialist_a, cast.coordinator_a):
        client = cast.client(user)
        assert client.get("/reports/dashboard/").status_code == 403
        assert client.get("/api/v1/reports/dashboard/").status_code == 403
        assert client.post("/reports/dashboard/refresh/").status_code == 403
        assert client.get("/reports/visits_delivered/records/").status_code == 403


def test_an_analyst_must_choose_the_organisation_or_region(cast):
    client = cast.client(cast.analyst)
    response = client.get("/api/v1/reports/dashboard/?scope=region")
    assert response.status_code == 400
    assert "region" in response.json()["error"]["fields"]
    assert client.get("/api/v1/reports/dashboard/?scope=organisation").status_code == 400
    assert client.get("/api/v1/reports/dashboard/?scope=planet").status_code == 400
    assert client.get("/api/v1/reports/dashboard/?scope=country&period=2026-13").status_code == 400


# -- reading snapshots ---------------------------------------------------------------------------------------


def test_the_first_view_computes_and_stores_the_missing_figures_later_views_read_them(cast, served):
    served(cast.almaty, 2)
    assert not IndicatorSnapshot.objects.exists()
    first = dashboard_data(user=cast.manager_a, period=PERIOD.code)
    stored = IndicatorSnapshot.objects.filter(scope="organisation", place=str(cast.almaty.pk))
    assert stored.exists()
    count = stored.count()
    second = dashboard_data(user=cast.manager_a, period=PERIOD.code)
    assert stored.count() == count
    assert _tile(second, "visits_delivered")["computed_at"] == _tile(first, "visits_delivered")["computed_at"]
    assert second["stale"] is False


def test_a_stale_figure_is_shown_with_its_time_and_a_refresh_is_queued(cast, served):
    served(cast.almaty, 2)
    aggregates_refresh(organisation=cast.almaty)
    served(cast.almaty, 1, surname="Жаңа", start=SESSION_AT + dt.timedelta(hours=2))
    with mock.patch("tirek.reports.aggregates.refresh_aggregates") as task:
        data = dashboard_data(user=cast.manager_a, period=PERIOD.code)
    assert data["stale"] is True
    assert data["refresh_queued"] is True
    assert _tile(data, "visits_delivered")["value"] == 2  # what was computed, not yet the new session
    task.enqueue.assert_called_once_with(organisation_id=str(cast.almaty.pk))
    with mock.patch("tirek.reports.aggregates.refresh_aggregates") as task:
        dashboard_data(user=cast.manager_a, period=PERIOD.code)
    task.enqueue.assert_not_called()  # queued once for this state of the records

    aggregates_refresh(organisation=cast.almaty)
    data = dashboard_data(user=cast.manager_a, period=PERIOD.code)
    assert (data["stale"], _tile(data, "visits_delivered")["value"]) == (False, 3)


def _count_dashboard_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("scope", ["organisation", "country"])
def test_a_dashboard_costs_the_same_queries_with_1_or_50_records(
    cast, scope, django_assert_max_num_queries, served
):
    user = cast.manager_a if scope == "organisation" else cast.analyst
    url = "/reports/dashboard/" if scope == "organisation" else "/reports/dashboard/country/"
    url += f"?period={PERIOD.code}"
    client = cast.client(user)
    served(cast.almaty, 1)
    aggregates_refresh(force=True)
    client.get(url)  # the figures outside the standard set (the months before) are stored on a first view
    few = _count_dashboard_queries(client, url)

    served(cast.almaty, 49, surname="Көп", start=SESSION_AT - dt.timedelta(hours=1))
    aggregates_refresh()
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
    assert few <= 20


def test_the_dashboard_api_answers_the_same_figures(cast, served):
    served(cast.almaty, 2)
    data = dashboard_data(user=cast.manager_a, period=PERIOD.code)
    body = cast.client(cast.manager_a).get(f"/api/v1/reports/dashboard/?period={PERIOD.code}").json()
    assert [(t["code"], t["value"]) for t in body["tiles"]] == [
        (t["code"], t["value"]) for t in data["tiles"]
    ]
    assert body["charts"][0]["rows"][0]["value"] == 2
    assert body["period"] == {
        "code": PERIOD.code,
        "kind": "month",
        "from": str(PERIOD.start),
        "to": str(PERIOD.end),
    }


# -- the page ------------------------------------------------------------------------------------------------


def _page_charts(html: str) -> tuple[list[dict], dict[str, list[tuple[str, str]]]]:
    script = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)
    charts = json.loads(script.group(1))
    tables = {}
    for section in re.finditer(r'data-testid="chart-([\w-]+)">(.*?)</section>', html, re.S):
        row = r'<tr data-testid="chart-row"><td data-code="[^"]*">(.*?)</td>'
        rows = re.findall(row + r"<td[^>]*>(?:<a [^>]*>)?(.*?)(?:</a>)?</td>", section.group(2))
        tables[section.group(1)] = rows
    return charts, tables


@pytest.mark.parametrize("user_name", ["manager_a", "analyst"])
def test_each_chart_draws_exactly_the_rows_of_its_table(cast, user_name, served):
    served(cast.almaty, 6)
    user = getattr(cast, user_name)
    url = f"/reports/dashboard/?period={PERIOD.code}&organisation={cast.almaty.pk}"
    html = cast.client(user).get(url).content.decode()
    charts, tables = _page_charts(html)
    assert {chart["id"] for chart in charts} == set(tables)
    assert charts
    for chart in charts:
        rows = tables[chart["id"]]
        assert [label for label, _value in rows] == chart["labels"], chart["id"]
        drawn = [None if value.startswith("&lt;") else int(value) for _label, value in rows]
        assert drawn == chart["values"], chart["id"]


def test_the_dashboard_pages_render_in_kazakh(cast, served):
    served(cast.almaty, 1)
    manager = cast.client(cast.manager_a).get("/reports/dashboard/")
    assert manager.status_code == 200
    assert manager["Content-Language"] == "kk"
    html = manager.content.decode()
    for marker in ('data-testid="tiles"', 'data-testid="refresh"', 'data-testid="computed-at"', "<canvas"):
        assert marker in html
    assert 'data-testid="dashboard-scopes"' not in html

    analyst = cast.client(cast.analyst)
    html = analyst.get("/reports/dashboard/").content.decode()
    assert 'data-testid="dashboard-choose"' in html and 'id="id_organisation"' in html
    html = analyst.get(f"/reports/dashboard/?organisation={cast.almaty.pk}").content.decode()
    assert 'data-testid="tiles"' in html and 'data-testid="refresh"' not in html
    html = analyst.get("/reports/dashboard/region/?region=750000000").content.decode()
    assert 'data-testid="tiles"' in html
    html = analyst.get("/reports/dashboard/country/?period=2025").content.decode()
    assert 'data-testid="tiles"' in html and 'data-testid="drilldown"' not in html
    html = analyst.get("/reports/dashboard/country/?period=nonsense").content.decode()
    assert 'data-testid="error-period"' in html


def test_managers_reach_the_dashboard_from_the_navigation_and_the_reports_page(cast):
    assert 'href="/reports/dashboard/"' in cast.client(cast.manager_a).get("/").content.decode()
    html = cast.client(cast.analyst).get("/reports/").content.decode()
    assert 'data-testid="dashboard-link-country"' in html


# -- the refresh request -------------------------------------------------------------------------------------


def test_a_managers_refresh_request_is_audited_and_queued(cast):
    with mock.patch("tirek.reports.aggregates.refresh_aggregates") as task:
        response = cast.client(cast.manager_a).post("/reports/dashboard/refresh/")
    assert response.status_code == 302
    task.enqueue.assert_called_once_with(organisation_id=str(cast.almaty.pk))
    event = AuditEvent.objects.get(object_type="reports.aggregates_refresh")
    assert (event.actor, event.organisation, event.action) == (cast.manager_a, cast.almaty, "create")

    with mock.patch("tirek.reports.aggregates.refresh_aggregates") as task:
        response = cast.client(cast.manager_b).post("/api/v1/reports/dashboard/refresh/")
    assert response.status_code == 202
    task.enqueue.assert_called_once_with(organisation_id=str(cast.shymkent.pk))
    assert cast.client(cast.analyst).post("/api/v1/reports/dashboard/refresh/").status_code == 403
    assert cast.client(cast.analyst).post("/reports/dashboard/refresh/").status_code == 403


def test_the_requested_refresh_recomputes_the_organisation(cast, served):
    served(cast.almaty, 1)
    aggregates_refresh(organisation=cast.almaty)
    before = Place.of(organisation=cast.almaty).snapshots().first().computed_at
    cast.client(cast.manager_a).post("/reports/dashboard/refresh/")  # tasks run at once in tests
    assert Place.of(organisation=cast.almaty).snapshots().first().computed_at > before


# -- the drill-down ------------------------------------------------------------------------------------------


def test_a_managers_drilldown_lists_only_their_own_records(cast, served):
    own = served(cast.almaty, 2)
    foreign = served(cast.shymkent, 2, surname="Шымкент")
    query = f"period={PERIOD.code}&organisation={cast.shymkent.pk}"
    response = cast.client(cast.manager_a).get(f"/reports/visits_delivered/records/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert set(re.findall(r'data-testid="record" data-id="([\w-]+)"', html)) == {str(v.pk) for v in own}
    assert "Шымкент0" not in html and "Бала0" in html
    assert f"/visits/{own[0].pk}/" in html and f"/people/{own[0].case.person_id}/" in html

    body = (
        cast.client(cast.manager_a)
        .get(f"/api/v1/reports/indicators/visits_delivered/records/?{query}")
        .json()
    )
    assert {row["id"] for row in body["results"]} == {str(v.pk) for v in own}
    body = (
        cast.client(cast.manager_b).get(f"/api/v1/reports/indicators/persons_served/records/?{query}").json()
    )
    assert {row["id"] for row in body["results"]} == {str(v.pk) for v in foreign}
    event = AuditEvent.objects.filter(object_type="reports.records").first()
    assert event.action == "view" and event.object_repr == "persons_served"


def test_a_drilldown_of_a_chart_row_lists_the_records_of_that_value(cast, served):
    visits = served(cast.almaty, 2)
    data = dashboard_data(user=cast.manager_a, period=PERIOD.code)
    row = _chart(data, "visits_delivered-service_type")["rows"][0]
    html = cast.client(cast.manager_a).get(row["records_url"]).content.decode()
    assert len(re.findall(r'data-testid="record"', html)) == 2
    url = "/api/v1/reports/indicators/visits_delivered/records/"
    url += f"?period={PERIOD.code}&by=service_type&value=nothing"
    assert cast.client(cast.manager_a).get(url).json()["results"] == []
    assert visits


def test_analysts_never_see_the_records_behind_a_figure(cast, served):
    served(cast.almaty, 1)
    client = cast.client(cast.analyst)
    assert client.get(f"/reports/visits_delivered/records/?period={PERIOD.code}").status_code == 403
    assert client.get("/api/v1/reports/indicators/visits_delivered/records/").status_code == 403
    assert cast.client(cast.admin).get("/api/v1/reports/indicators/new_cases/records/").status_code == 403


def test_a_drilldown_page_costs_the_same_queries_with_more_records(
    cast, django_assert_max_num_queries, served
):
    served(cast.almaty, 1)
    client = cast.client(cast.manager_a)
    url = f"/reports/persons_served/records/?period={PERIOD.code}"
    few = _count_dashboard_queries(client, url)
    served(cast.almaty, 12, surname="Көп", start=SESSION_AT - dt.timedelta(hours=1))
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_the_indicator_page_links_a_managers_figures_to_their_records(cast, served):
    served(cast.almaty, 2)
    query = f"period={PERIOD.code}&by=mode"
    html = cast.client(cast.manager_a).get(f"/reports/visits_delivered/?{query}").content.decode()
    links = re.findall(r'href="(/reports/visits_delivered/records/\?[^"]+)"', html)
    assert len(links) == 1 and "value=centre" in links[0]
    records = cast.client(cast.manager_a).get(links[0].replace("&amp;", "&")).content.decode()
    assert len(re.findall(r'data-testid="record"', records)) == 2
    html = cast.client(cast.analyst).get(f"/reports/visits_delivered/?{query}").content.decode()
    assert "/records/" not in html
