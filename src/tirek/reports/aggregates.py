"""The standard figures of the dashboards, kept as snapshots and refreshed incrementally.

A snapshot (`IndicatorSnapshot`) holds an indicator's exact rows for one place and one period. The standard
set is what the dashboards show: the tiles and charts of `FIGURES` for the current and previous month,
quarter and year (and, for the tiles, the period before each of those, to compare the previous one with),
and a twelve-month trend (`TREND`, one snapshot a month). Anything else a dashboard is asked for is
computed on its first view, stored, and from then on refreshed with the rest.

When is a snapshot stale? The records change only through services, and every service write leaves an
audit event of its organisation (create, update, delete; views and exports change nothing). So a snapshot
of a place is stale when a write event of that place (the organisation; for a region any of its
organisations; for the country any) is newer than its `computed_at`; or when it was computed on an earlier
day and its period reaches that day, since figures like "overdue" move with the date. A past period
nobody wrote to since is not recomputed. `aggregates_refresh` recomputes what is stale (everything with
`force`); the data generator, which writes without services, refreshes with `force`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django_tasks import task

from tirek.audit.choices import AuditAction
from tirek.reports.catalogue import INDICATORS, Filters
from tirek.reports.models import IndicatorSnapshot, SnapshotScope

# (code, by): the tiles first (by ""), then the charts (split by a dimension).
TILES: tuple[str, ...] = (
    "persons_served",
    "children_served",
    "visits_delivered",
    "new_cases",
    "closed_cases",
    "active_cases",
    "group_activities",
    "appeals_registered",
    "appeals_resolved",
    "aid_recipients",
    "referrals_sent",
    "referrals_accepted",
)
CHARTS: tuple[tuple[str, str], ...] = (
    ("visits_delivered", "service_type"),
    ("appeals_registered", "category"),
    ("closed_cases", "closure_reason"),
)
TREND: tuple[str, ...] = ("visits_delivered", "persons_served")
TREND_MONTHS = 12

WRITE_ACTIONS = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)


def tile_codes() -> list[str]:
    """The tiles whose indicator is in the catalogue."""
    return [code for code in TILES if code in INDICATORS]


def chart_figures() -> list[tuple[str, str]]:
    return [(code, by) for code, by in CHARTS if code in INDICATORS and by in INDICATORS[code].dimensions]


def trend_codes() -> list[str]:
    return [code for code in TREND if code in INDICATORS]


# -- periods -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year."""

    kind: str  # "month" | "quarter" | "year"
    start: dt.date
    end: dt.date

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def previous(self) -> Period:
        return period_containing(self.start - dt.timedelta(days=1), self.kind)


def period_containing(day: dt.date, kind: str) -> Period:
    if kind == "month":
        first_month, months = day.month, 1
    elif kind == "quarter":
        first_month, months = 3 * ((day.month - 1) // 3) + 1, 3
    else:
        first_month, months = 1, 12
    start = dt.date(day.year, first_month, 1)
    last_month = first_month + months - 1
    end = dt.date(day.year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1)
    return Period(kind, start, end)


def period_parse(code: str) -> Period | None:
    """A period from its code: "2026" (a year), "2026-Q3" (a quarter), "2026-07" (a month); else None."""
    from tirek.reports.forms import period_bounds

    bounds = period_bounds(code or "")
    if bounds is None:
        return None
    kind = "year" if len(code) == 4 else "quarter" if "Q" in code else "month"
    return Period(kind, *bounds)


def standard_periods(today: dt.date) -> list[Period]:
    """The periods a dashboard offers: the current and the previous month, quarter and year."""
    periods = []
    for kind in ("month", "quarter", "year"):
        current = period_containing(today, kind)
        periods += [current, current.previous()]
    return periods


def trend_months(last: Period, today: dt.date) -> list[Period]:
    """The twelve months ending with the last month of `last` (not after the current month)."""
    end = min(last.end, today)
    month = period_containing(end, "month")
    months = [month]
    for _ in range(TREND_MONTHS - 1):
        months.append(months[-1].previous())
    return months[::-1]


# -- places --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a snapshot counts: an organisation, a region (its organisations) or the whole country."""

    scope: str
    organisation: object = None
    region: object = None

    @classmethod
    def of(cls, *, organisation=None, region=None) -> Place:
        if organisation is not None:
            return cls(SnapshotScope.ORGANISATION, organisation=organisation)
        if region is not None:
            return cls(SnapshotScope.REGION, region=region)
        return cls(SnapshotScope.COUNTRY)

    @property
    def key(self) -> str:
        if self.organisation is not None:
            return str(self.organisation.pk)
        if self.region is not None:
            return self.region.kato
        return ""

    def filters(self, period: Period) -> Filters:
        return Filters(
            date_from=period.start, date_to=period.end, organisation=self.organisation, region=self.region
        )

    def snapshots(self):
        return IndicatorSnapshot.objects.filter(scope=self.scope, place=self.key)

    def last_write(self, *, since: dt.datetime | None) -> dt.datetime | None:
        """The time of the latest write in this place after `since` (None: none since)."""
        from tirek.audit.models import AuditEvent

        events = AuditEvent.objects.filter(action__in=WRITE_ACTIONS)
        if since is not None:
            events = events.filter(created_at__gt=since)
        if self.organisation is not None:
            events = events.filter(organisation=self.organisation)
        elif self.region is not None:
            events = events.filter(organisation__region=self.region)
        else:
            events = events.filter(organisation__isnull=False)
        return events.aggregate(last=Max("created_at"))["last"]


# A snapshot's key within its place: (code, by, first day, last day).
Key = tuple[str, str, dt.date, dt.date]


def _figure_keys(periods: Iterable[Period], figures: Iterable[tuple[str, str]]) -> list[Key]:
    return [(code, by, p.start, p.end) for p in periods for code, by in figures]


def standard_keys(today: dt.date) -> list[Key]:
    """Every snapshot the dashboards of a place need for `today`, without repeats."""
    periods = standard_periods(today)
    tiles = [(code, "") for code in tile_codes()]
    keys = _figure_keys(periods, [*tiles, *chart_figures()])
    keys += _figure_keys([p.previous() for p in periods], tiles)
    keys += _figure_keys(trend_months(periods[0], today), [(code, "") for code in trend_codes()])
    return list(dict.fromkeys(keys))


def is_stale(computed_at: dt.datetime, period_end: dt.date, *, last_write, today: dt.date) -> bool:
    if last_write is not None and last_write >= computed_at:
        return True
    computed_on = timezone.localdate(computed_at)
    return computed_on < today and period_end >= computed_on


# -- computing and storing -----------------------------------------------------------------------------------


def _plain_rows(rows: list[dict]) -> list[dict]:
    """Rows as JSON stores them (dimension codes as strings, numbers as numbers)."""
    return json.loads(json.dumps(rows, default=str))


def snapshots_compute(place: Place, keys: Iterable[Key]) -> list[IndicatorSnapshot]:
    """Compute `keys` of `place` from the records and store them (replacing what was there)."""
    started = timezone.now()  # before counting: a write while we count leaves the snapshot stale
    snapshots = []
    for code, by, start, end in keys:
        indicator = INDICATORS.get(code)
        if indicator is None or (by and by not in indicator.dimensions):  # left the catalogue since
            continue
        rows = indicator.compute(place.filters(Period("", start, end)), by or None)
        snapshots.append(
            IndicatorSnapshot(
                code=code,
                scope=place.scope,
                place=place.key,
                organisation=place.organisation,
                region=place.region,
                period_start=start,
                period_end=end,
                by=by,
                rows=_plain_rows(rows),
                computed_at=started,
            )
        )
    if snapshots:
        IndicatorSnapshot.objects.bulk_create(
            snapshots,
            update_conflicts=True,
            unique_fields=["code", "scope", "place", "period_start", "period_end", "by"],
            update_fields=["rows", "computed_at", "organisation", "region"],
        )
    return snapshots


def _refresh_place(place: Place, *, today: dt.date, force: bool) -> int:
    existing = {
        (code, by, start, end): computed_at
        for code, by, start, end, computed_at in place.snapshots().values_list(
            "code", "by", "period_start", "period_end", "computed_at"
        )
    }
    wanted = list(dict.fromkeys([*standard_keys(today), *existing]))
    if force:
        todo = wanted
    else:
        last_write = place.last_write(since=min(existing.values())) if existing else None
        todo = [
            key
            for key in wanted
            if key not in existing or is_stale(existing[key], key[3], last_write=last_write, today=today)
        ]
    return len(snapshots_compute(place, todo))


def aggregates_refresh(*, organisation=None, force: bool = False) -> int:
    """Recompute the stale snapshots (all of them with `force`) of `organisation`, or of every active
    organisation, then of their regions and of the country. Answers how many snapshots were written."""
    from tirek.directory.models import Organisation, Region

    today = timezone.localdate()
    if organisation is not None:
        organisations = [organisation]
    else:
        organisations = list(Organisation.objects.filter(is_active=True).order_by("pk"))
    written = 0
    for each in organisations:
        written += _refresh_place(Place.of(organisation=each), today=today, force=force)
    regions = Region.objects.filter(pk__in={each.region_id for each in organisations}).order_by("kato")
    for region in regions:
        written += _refresh_place(Place.of(region=region), today=today, force=force)
    written += _refresh_place(Place.of(), today=today, force=force)
    return written


@task()
def refresh_aggregates(organisation_id: str | None = None) -> int:
    """The background refresh (run by `tirek worker`): the stale snapshots of one organisation (then its
    region and the country), or of every organisation when none is given; answers how many were written."""
    from tirek.directory.models import Organisation

    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:  # removed since the refresh was asked for: nothing to count
            return 0
    return aggregates_refresh(organisation=organisation)


# -- reading -------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    rows: list[dict]
    computed_at: dt.datetime
    stale: bool


def snapshots_read(place: Place, keys: list[Key], *, compute_missing: bool) -> dict[Key, Figure]:
    """The snapshots `keys` of `place` (two queries), each marked stale or not. A missing one is computed
    and stored when `compute_missing`, else left out."""
    today = timezone.localdate()
    keys = list(dict.fromkeys(keys))
    periods = {(start, end) for _code, _by, start, end in keys}
    wanted = set(keys)
    stored = {}
    query = place.snapshots().filter(code__in={k[0] for k in keys})
    condition = Q()
    for start, end in periods:
        condition |= Q(period_start=start, period_end=end)
    for snapshot in query.filter(condition):
        key = (snapshot.code, snapshot.by, snapshot.period_start, snapshot.period_end)
        if key in wanted:
            stored[key] = snapshot
    figures: dict[Key, Figure] = {}
    if stored:
        last_write = place.last_write(since=min(s.computed_at for s in stored.values()))
        for key, snapshot in stored.items():
            stale = is_stale(snapshot.computed_at, snapshot.period_end, last_write=last_write, today=today)
            figures[key] = Figure(snapshot.rows, snapshot.computed_at, stale)
    missing = [key for key in keys if key not in stored]
    if missing and compute_missing:
        for snapshot in snapshots_compute(place, missing):
            key = (snapshot.code, snapshot.by, snapshot.period_start, snapshot.period_end)
            figures[key] = Figure(snapshot.rows, snapshot.computed_at, False)
    return figures


def refresh_enqueue(place: Place, *, reason: str) -> bool:
    """Queue a refresh for `place` (an organisation; a region or the country: every organisation), once
    per `reason` (e.g. the time of the latest write) within an hour. Answers whether it was queued."""
    organisation_id = str(place.organisation.pk) if place.organisation is not None else None
    if not cache.add(f"tirek:aggregates:{place.scope}:{place.key}:{reason}", True, timeout=3600):
        return False
    refresh_aggregates.enqueue(organisation_id=organisation_id)
    return True


def aggregates_refresh_request(*, actor) -> None:
    """A manager asks for the figures of their organisation to be recomputed now (in the background).

    The request is audited as a write of the organisation, which is exactly what makes its snapshots
    stale, so the queued refresh recomputes all of them, then its region's and the country's."""
    from tirek.audit.services import audit_record
    from tirek.core.errors import NotAllowed
    from tirek.directory.models import Organisation
    from tirek.reports.scope import reach_of

    reach = reach_of(actor)
    if reach.organisation_id is None:  # analysts and administrators read figures, they do not keep them
        raise NotAllowed("reports.view")
    organisation = Organisation.objects.get(pk=reach.organisation_id)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            organisation=organisation,
            object_type="reports.aggregates_refresh",
            object_repr=str(organisation)[:300],
            note="refresh requested",
        )
        refresh_aggregates.enqueue(organisation_id=str(organisation.pk))


def _standard_figures() -> set[tuple[str, str]]:
    return {
        *((code, "") for code in tile_codes()),
        *chart_figures(),
        *((code, "") for code in trend_codes()),
    }


def _calendar_period(start: dt.date, end: dt.date) -> Period | None:
    for kind in ("month", "quarter", "year"):
        period = period_containing(start, kind)
        if period.start == start and period.end == end:
            return period
    return None


def snapshot_rows(
    code: str, filters: Filters, by: str | None
) -> tuple[list[dict], dict | None, dt.datetime] | None:
    """The exact rows (and the unsplit row of a split) of indicator `code` over `filters` from fresh
    snapshots, with the time they were computed; None unless the filters are those of a snapshot (a calendar
    month, quarter or year; an organisation, a region or the country; no other filter; a figure of the
    dashboards) and it is stored and fresh."""
    if (code, by or "") not in _standard_figures():
        return None
    narrowing = [
        f.name
        for f in fields(Filters)
        if f.name not in ("date_from", "date_to", "organisation", "region") and getattr(filters, f.name)
    ]
    if narrowing or (filters.organisation is not None and filters.region is not None):
        return None
    period = _calendar_period(filters.date_from, filters.date_to)
    if period is None:
        return None
    place = Place.of(organisation=filters.organisation, region=filters.region)
    key: Key = (code, by or "", period.start, period.end)
    whole: Key = (code, "", period.start, period.end)
    figures = snapshots_read(place, [key, whole], compute_missing=False)
    if key not in figures or whole not in figures or any(f.stale for f in figures.values()):
        return None
    total = figures[whole].rows[0] if by and figures[whole].rows else None
    return figures[key].rows, total, min(f.computed_at for f in figures.values())
