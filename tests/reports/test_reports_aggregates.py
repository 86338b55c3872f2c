"""The dashboards' snapshots: what a refresh writes, that it is incremental (a write in an organisation makes
it, its region and the country stale; a day passing makes only the periods reaching that day stale), the
command and the task, and the indicator API reading a fresh snapshot."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tirek.reports.aggregates import (
    Place,
    aggregates_refresh,
    period_containing,
    standard_keys,
)
from tirek.reports.catalogue import INDICATORS, Filters
from tirek.reports.models import IndicatorSnapshot

# Yesterday at noon: in this month or the previous one, both among the dashboards' standard periods.
SESSION_AT = timezone.make_aware(
    dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(12, 0))
)


def _month():
    return period_containing(timezone.localdate(SESSION_AT), "month")


def _snapshot(place: Place, code: str, by: str = "", period=None) -> IndicatorSnapshot:
    period = period or _month()
    return place.snapshots().get(code=code, by=by, period_start=period.start, period_end=period.end)


def test_a_refresh_writes_every_standard_snapshot_and_a_second_one_writes_none(cast, served):
    served(cast.almaty, 2)
    keys = standard_keys(timezone.localdate())
    assert aggregates_refresh(organisation=cast.almaty) == 3 * len(
        keys
    )  # the centre, its region, the country
    assert aggregates_refresh(organisation=cast.almaty) == 0
    assert IndicatorSnapshot.objects.filter(scope="organisation", place=str(cast.almaty.pk)).count() == len(
        keys
    )
    assert IndicatorSnapshot.objects.filter(scope="region", place=cast.almaty.region.kato).count() == len(
        keys
    )
    assert IndicatorSnapshot.objects.filter(scope="country", place="").count() == len(keys)


def test_a_snapshot_holds_the_catalogues_exact_rows(cast, served):
    served(cast.almaty, 2)
    served(cast.shymkent, 1)
    aggregates_refresh()
    month = _month()
    for place in (Place.of(organisation=cast.almaty), Place.of(region=cast.shymkent.region), Place.of()):
        for code, by in (
            ("visits_delivered", ""),
            ("visits_delivered", "service_type"),
            ("persons_served", ""),
        ):
            filters = place.filters(month)
            expected = INDICATORS[code].compute(filters, by or None)
            assert _snapshot(place, code, by).rows == expected, (place, code, by)
    # exact, never suppressed when stored: one person served in Shymkent is stored as 1, not "<5"
    assert _snapshot(Place.of(organisation=cast.shymkent), "persons_served").rows == [{"value": 1}]
    assert _snapshot(Place.of(), "persons_served").rows == [{"value": 3}]


def test_a_write_makes_its_organisation_region_and_country_stale_and_only_those(cast, served):
    served(cast.almaty, 1)
    served(cast.shymkent, 1)
    aggregates_refresh()
    shymkent_before = _snapshot(Place.of(organisation=cast.shymkent), "visits_delivered").computed_at
    almaty_before = _snapshot(Place.of(organisation=cast.almaty), "visits_delivered").computed_at

    served(cast.almaty, 1, start=SESSION_AT + dt.timedelta(hours=2))
    keys = standard_keys(timezone.localdate())
    assert aggregates_refresh() == 3 * len(keys)  # Almaty, Almaty city, the country; not Shymkent

    assert _snapshot(Place.of(organisation=cast.shymkent), "visits_delivered").computed_at == shymkent_before
    almaty = _snapshot(Place.of(organisation=cast.almaty), "visits_delivered")
    assert almaty.computed_at > almaty_before
    assert almaty.rows == [{"value": 2}]
    assert _snapshot(Place.of(region=cast.almaty.region), "visits_delivered").rows == [{"value": 2}]
    assert _snapshot(Place.of(), "visits_delivered").rows == [{"value": 3}]
    assert aggregates_refresh() == 0


def test_a_day_later_only_the_periods_reaching_that_day_are_recomputed(cast, served):
    served(cast.almaty, 1)
    aggregates_refresh(organisation=cast.almaty)
    today = timezone.localdate()
    stored = set(standard_keys(today))
    place = Place.of(organisation=cast.almaty)
    before = {(s.code, s.by, s.period_start, s.period_end): s.computed_at for s in place.snapshots()}

    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(days=1)):
        wanted = list(dict.fromkeys([*standard_keys(timezone.localdate()), *stored]))
        expected = [key for key in wanted if key not in stored or key[3] >= today]
        assert 0 < len(expected) < len(wanted)  # last year, last quarter … are not recomputed
        assert aggregates_refresh(organisation=cast.almaty) == 3 * len(expected)

    after = {(s.code, s.by, s.period_start, s.period_end): s.computed_at for s in place.snapshots()}
    unchanged = {key for key in before if after[key] == before[key]}
    assert unchanged == stored - set(expected)


def test_force_recomputes_everything(cast):
    aggregates_refresh(organisation=cast.shymkent)
    keys = standard_keys(timezone.localdate())
    assert aggregates_refresh(organisation=cast.shymkent, force=True) == 3 * len(keys)


def test_the_command_refreshes_one_organisation_or_all(cast):
    from io import StringIO

    out = StringIO()
    keys = standard_keys(timezone.localdate())
    call_command("refresh-aggregates", "--organisation", str(cast.almaty.pk), stdout=out)
    assert f"Wrote {3 * len(keys)} snapshots" in out.getvalue()
    call_command("refresh-aggregates", stdout=out)  # the other organisations and their regions
    assert IndicatorSnapshot.objects.filter(scope="organisation").count() == 3 * len(keys)
    out = StringIO()
    call_command("refresh-aggregates", stdout=out)
    assert "Wrote 0 snapshots" in out.getvalue()
    out = StringIO()
    call_command("refresh-aggregates", "--all", stdout=out)
    assert f"Wrote {(3 + 3 + 1) * len(keys)} snapshots" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("refresh-aggregates", "--organisation", "not-an-id")


def test_the_task_refreshes_through_the_database_queue(cast, database_worker):
    from tirek.reports.aggregates import refresh_aggregates

    result = refresh_aggregates.enqueue(organisation_id=str(cast.almaty.pk))
    assert not IndicatorSnapshot.objects.exists()  # queued, not run
    database_worker()
    result.refresh()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value == 3 * len(standard_keys(timezone.localdate()))


def _api(cast, user, query):
    return cast.client(user).get(f"/api/v1/reports/indicators/{query}")


def test_the_indicator_api_reads_a_fresh_snapshot_and_computes_live_once_it_is_stale(cast, served):
    served(cast.almaty, 2)
    aggregates_refresh(organisation=cast.almaty)
    month = _month()
    snapshot = _snapshot(Place.of(organisation=cast.almaty), "visits_delivered")
    # A figure only the snapshot can hold proves it was read.
    IndicatorSnapshot.objects.filter(pk=snapshot.pk).update(rows=[{"value": 777}])
    body = _api(cast, cast.manager_a, f"visits_delivered/?period={month.code}").json()
    assert body["rows"] == [{"value": 777}]
    assert body["computed_at"] == snapshot.computed_at.isoformat().replace("+00:00", "Z")

    # Not the figure of a snapshot (a narrowing filter, a day range): computed live.
    assert _api(cast, cast.manager_a, f"visits_delivered/?period={month.code}&sex=male").json()["rows"] == [
        {"value": 2}
    ]
    day = timezone.localdate(SESSION_AT).isoformat()
    assert _api(cast, cast.manager_a, f"visits_delivered/?from={month.start}&to={day}").json()["rows"][0][
        "value"
    ] in (1, 2)

    served(cast.almaty, 1, start=SESSION_AT + dt.timedelta(hours=2))  # a write: the snapshot is stale
    assert _api(cast, cast.manager_a, f"visits_delivered/?period={month.code}").json()["rows"] == [
        {"value": 3}
    ]


def test_a_split_read_from_snapshots_is_suppressed_for_analysts_with_its_total(cast, served):
    served(cast.almaty, 2)
    aggregates_refresh(organisation=cast.almaty)
    month = _month()
    query = f"visits_delivered/?period={month.code}&organisation={cast.almaty.pk}&by=service_type"
    snapshot = _snapshot(Place.of(organisation=cast.almaty), "visits_delivered", "service_type")
    body = _api(cast, cast.analyst, query).json()
    assert body["computed_at"] == snapshot.computed_at.isoformat().replace("+00:00", "Z")
    assert body["rows"] == [{"service_type": snapshot.rows[0]["service_type"], "value": "<5"}]
    assert body["total"] is None
    assert Filters  # the API and the catalogue agree on what a filter is
