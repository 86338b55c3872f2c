"""The export buttons on the pages (carrying the page's filters, for those who may use them) and the
"My exports" page with its polled table."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tirek.exports.models import ExportJob


def test_the_indicator_page_links_its_exports_with_the_current_filters(cast, records):
    page = cast.client(cast.manager_a).get("/reports/visits_delivered/?period=2024&by=mode").content.decode()
    assert 'data-testid="indicator-exports"' in page
    assert "/exports/indicator/visits_delivered/?period=2024&amp;by=mode&amp;format=xlsx" in page
    assert "format=pdf&amp;language=ru" in page


def test_the_case_and_appeal_lists_offer_exports_to_managers_only(cast, records):
    manager = cast.client(cast.manager_a)
    cases = manager.get("/cases/?status=intake&page=1").content.decode()
    assert 'action="/exports/records/cases/?status=intake"' in cases
    appeals = manager.get("/support/appeals/?category=housing").content.decode()
    assert 'action="/exports/records/appeals/?category=housing"' in appeals
    coordinator = cast.client(cast.coordinator_a)
    assert 'data-testid="export-cases"' not in coordinator.get("/cases/").content.decode()
    assert 'data-testid="export-appeals"' not in coordinator.get("/support/appeals/").content.decode()


def test_the_week_offers_the_sessions_of_the_week(cast, records):
    start = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    page = cast.client(cast.manager_a).get(f"/visits/week/?start={start.isoformat()}").content.decode()
    end = start + dt.timedelta(days=6)
    assert f"/exports/records/visits/?date_from={start.isoformat()}&amp;date_to={end.isoformat()}" in page


def test_my_exports_lists_the_users_own_jobs_and_polls_while_one_runs(cast, records):
    mine = ExportJob.objects.create(requested_by=cast.manager_a, what="cases", format="csv", language="kk")
    ExportJob.objects.create(requested_by=cast.manager_b, what="cases", format="csv", language="kk")
    client = cast.client(cast.manager_a)
    page = client.get("/exports/").content.decode()
    assert page.count('data-testid="export-job"') == 1 and f'data-job="{mine.pk}"' in page
    assert 'hx-trigger="every 2s"' in page
    partial = client.get("/exports/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="export-jobs"')
    mine.status = "failed"
    mine.error = "failed"
    mine.save()
    partial = client.get("/exports/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' not in partial and 'data-testid="export-error"' in partial


def test_the_period_form_exports_the_sessions_of_a_period(cast, records):
    client = cast.client(cast.manager_a)
    assert 'data-testid="export-visits-period"' in client.get("/exports/").content.decode()
    today = timezone.localdate()
    response = client.post(
        "/exports/records/visits/",
        {
            "format": "csv",
            "date_from": (today - dt.timedelta(days=3)).isoformat(),
            "date_to": today.isoformat(),
        },
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 2  # the two sessions of the last three days (2 and 3 days ago)


def test_my_exports_is_in_the_user_menu_of_those_who_may_export(cast, records):
    assert 'href="/exports/"' in cast.client(cast.manager_a).get("/").content.decode()
    assert 'href="/exports/"' not in cast.client(cast.coordinator_a).get("/").content.decode()
