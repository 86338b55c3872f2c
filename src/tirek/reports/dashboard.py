"""The dashboards: an organisation's (its manager; analysts may choose any), a region's and the country's
(analysts and administrators), read from the snapshots of `tirek.reports.aggregates`.

`dashboard_data` reads a fixed handful of rows whatever the size of the data: the tiles of the period and
of the one before it, the charts of the period and the twelve-month trend. A snapshot nobody asked for yet
is computed on this first view and stored; a stale one is shown as it is, with the time it was computed,
and a refresh is queued. The rows of a chart are the rows of the table beside it; a figure hidden from an
analyst ("<5") is in the table and left out of the chart (its value is null there)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.core.errors import NotAllowed
from tirek.reports.aggregates import (
    Key,
    Period,
    Place,
    chart_figures,
    period_containing,
    period_parse,
    refresh_enqueue,
    snapshots_read,
    standard_periods,
    tile_codes,
    trend_codes,
    trend_months,
)
from tirek.reports.catalogue import DIMENSION_NAMES, INDICATORS
from tirek.reports.labels import dimension_labels
from tirek.reports.models import SnapshotScope
from tirek.reports.scope import hidden_label, reach_of, suppress_counts, threshold

SCOPES = tuple(SnapshotScope.values)


def _period_info(period: Period) -> dict:
    return {"code": period.code, "kind": period.kind, "from": period.start, "to": period.end}


def dashboard_periods(*, today=None) -> list[dict]:
    """The periods a dashboard offers (the current and the previous month, quarter and year)."""
    today = today or timezone.localdate()
    return [_period_info(p) for p in standard_periods(today)]


def _organisation(value):
    from tirek.directory.models import Organisation

    if value is None or isinstance(value, Organisation):
        return value
    return Organisation.objects.filter(pk=value).first()


def _place(user, reach, scope: str, organisation, region) -> Place:
    if scope not in SCOPES:
        raise ValidationError({"scope": [_("Choose the organisation, a region or the country.")]})
    if scope != SnapshotScope.ORGANISATION and reach.exact:
        # A manager's reports are their organisation's; a region or the country is the analysts' view.
        raise NotAllowed("reports.view")
    if scope == SnapshotScope.ORGANISATION:
        organisation = _organisation(organisation)
        if reach.organisation_id is not None:
            if organisation is None or organisation.pk != reach.organisation_id:
                organisation = _organisation(reach.organisation_id)
        elif organisation is None:
            raise ValidationError({"organisation": [_("Choose an organisation.")]})
        return Place.of(organisation=organisation)
    if scope == SnapshotScope.REGION:
        if region is None:
            raise ValidationError({"region": [_("Choose a region.")]})
        return Place.of(region=region)
    return Place.of()


def _value(rows: list[dict]):
    return rows[0]["value"] if rows else 0


def _change(value, previous) -> tuple[int | None, float | None]:
    if not isinstance(value, int) or not isinstance(previous, int):
        return None, None
    percent = round(100 * (value - previous) / previous, 1) if previous else None
    return value - previous, percent


def _records_url(code: str, period: Period, **extra) -> str:
    return f"{reverse('reports:records', args=[code])}?{urlencode({'period': period.code, **extra})}"


def _series(rows: list[dict], exact: bool) -> list[dict]:
    return rows if exact else suppress_counts(rows)[0]


def _chart(*, key: str, code: str, name, rows: list[dict], kind: str, computed_at) -> dict:
    values = [row["value"] if isinstance(row["value"], int | float) else None for row in rows]
    return {
        "id": key,
        "code": code,
        "name": str(name),
        "kind": kind,
        "rows": rows,
        # The chart draws exactly the table's rows; a hidden value ("<5") is null, so it is not drawn.
        "labels": [row["label"] for row in rows],
        "values": values,
        "drawable": any(value is not None for value in values),
        "computed_at": computed_at,
    }


def dashboard_data(*, user, scope: str = "organisation", organisation=None, region=None, period=None) -> dict:
    """The dashboard of `scope` ("organisation", "region" or "country") for `period` (a code like "2026-11",
    "2026-Q4" or "2026", or a Period; the current month by default), as `user` may see it, audited.

    A manager's is always their own organisation's, exact, with links to the records behind each figure;
    a manager asking for a region or the country gets a 403. An analyst's and an administrator's small counts
    are hidden as "<5" (and never drawn)."""
    reach = reach_of(user)
    place = _place(user, reach, scope, organisation, region)
    today = timezone.localdate()
    if isinstance(period, Period):
        chosen = period
    elif period:
        chosen = period_parse(period)
        if chosen is None:
            raise ValidationError(
                {"period": [_("Give a year (2024), a quarter (2024-Q2) or a month (2024-05).")]}
            )
    else:
        chosen = period_containing(today, "month")
    previous = chosen.previous()
    months = trend_months(chosen, today)
    tiles, charts, trends = tile_codes(), chart_figures(), trend_codes()

    keys: list[Key] = [(code, "", p.start, p.end) for code in tiles for p in (chosen, previous)]
    keys += [(code, by, chosen.start, chosen.end) for code, by in charts]
    keys += [(code, "", m.start, m.end) for code in trends for m in months]
    figures = snapshots_read(place, keys, compute_missing=True)
    exact = reach.exact

    tile_list = []
    for code in tiles:
        now, before = (
            figures[(code, "", chosen.start, chosen.end)],
            figures[(code, "", previous.start, previous.end)],
        )
        value, previous_value = _value(now.rows), _value(before.rows)
        if not exact:
            value = suppress_counts([{"value": value}])[0][0]["value"]
            previous_value = suppress_counts([{"value": previous_value}])[0][0]["value"]
        change, percent = _change(value, previous_value)
        tile_list.append(
            {
                "code": code,
                "name": str(INDICATORS[code].name),
                "value": value,
                "previous": previous_value,
                "change": change,
                "change_percent": percent,
                "computed_at": now.computed_at,
                "records_url": _records_url(code, chosen) if exact else None,
            }
        )

    chart_list = []
    for code, by in charts:
        figure = figures[(code, by, chosen.start, chosen.end)]
        labels = dimension_labels(code, by, [row[by] for row in figure.rows])
        rows = [
            {
                "code": row[by],
                "label": str(labels.get(str(row[by]), row[by])),
                "value": row["value"],
                "records_url": _records_url(code, chosen, by=by, value=row[by]) if exact else None,
            }
            for row in _series(figure.rows, exact)
        ]
        chart_list.append(
            {
                **_chart(
                    key=f"{code}-{by}",
                    code=code,
                    name=INDICATORS[code].name,
                    rows=rows,
                    kind="bar",
                    computed_at=figure.computed_at,
                ),
                "by": by,
                "dimension": str(DIMENSION_NAMES.get(by, by)),
            }
        )

    trend_list = []
    for code in trends:
        month_figures = [figures[(code, "", m.start, m.end)] for m in months]
        series = [
            {"code": m.code, "label": date_format(m.start, "YEAR_MONTH_FORMAT"), "value": _value(f.rows)}
            for m, f in zip(months, month_figures, strict=True)
        ]
        trend_list.append(
            _chart(
                key=f"{code}-trend",
                code=code,
                name=INDICATORS[code].name,
                rows=_series(series, exact),
                kind="line",
                computed_at=min(f.computed_at for f in month_figures),
            )
        )

    stale = [f for f in figures.values() if f.stale]
    queued = False
    if stale:
        oldest = min(f.computed_at for f in stale)
        queued = refresh_enqueue(place, reason=f"{today}:{oldest.isoformat()}")
    echo = {
        "scope": place.scope,
        "organisation": str(place.organisation.pk) if place.organisation is not None else None,
        "region": place.region.kato if place.region is not None else None,
        "period": chosen.code,
    }
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        organisation=user.active_organisation_id_checked(),
        object_type="reports.dashboard",
        object_repr=place.scope,
        note=json.dumps(echo, sort_keys=True),
    )
    return {
        "scope": place.scope,
        "organisation": (
            {"id": str(place.organisation.pk), "name": str(place.organisation)}
            if place.organisation is not None
            else None
        ),
        "region": (
            {"kato": place.region.kato, "name": str(place.region)} if place.region is not None else None
        ),
        "period": _period_info(chosen),
        "previous_period": _period_info(previous),
        "exact": exact,
        "hidden_label": hidden_label(),
        "hidden_up_to": threshold() - 1,
        "tiles": tile_list,
        "charts": chart_list,
        "trends": trend_list,
        "computed_at": min((f.computed_at for f in figures.values()), default=None),
        "stale": bool(stale),
        "refresh_queued": queued,
    }
