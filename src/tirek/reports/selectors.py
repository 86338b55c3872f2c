"""Reading reports: the catalogue, and one indicator computed for a user (with their reach and suppression).

The web page, the API and (later) the exports all call `indicator_compute`, so their figures agree."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.reports.catalogue import GROUPS, INDICATORS, INDICATORS_LIST, Filters, Indicator
from tirek.reports.scope import Reach, reach_of, suppress_counts, suppress_medians


def report_reach(*, user) -> Reach:
    """The user's reach (a 403 unless they may read reports)."""
    return reach_of(user)


def indicator_catalogue(*, user) -> list[Indicator]:
    """Every indicator, in catalogue order (a 403 unless the user may read reports)."""
    reach_of(user)
    return list(INDICATORS_LIST)


def indicator_catalogue_grouped(*, user) -> list[tuple[str, list[Indicator]]]:
    indicators = indicator_catalogue(user=user)
    return [(label, [i for i in indicators if i.group == group]) for group, label in GROUPS.items()]


def indicator_get(*, user, code: str) -> Indicator:
    """The indicator `code`: a 403 unless the user may read reports, then a 404 when there is none."""
    reach_of(user)
    try:
        return INDICATORS[code]
    except KeyError:
        raise Http404 from None


def _filters_echo(filters: Filters, by: str | None) -> dict:
    return {
        "from": filters.date_from.isoformat(),
        "to": filters.date_to.isoformat(),
        "organisation": str(filters.organisation.pk) if filters.organisation is not None else None,
        "region": filters.region.kato if filters.region is not None else None,
        "programme": str(filters.programme.pk) if filters.programme is not None else None,
        "sex": filters.sex or None,
        "age_band": filters.age_band or None,
        "by": by,
    }


def _rounded(rows: list[dict]) -> list[dict]:
    return [{**row, "value": round(row["value"], 1) if row["value"] is not None else None} for row in rows]


def indicator_compute(*, user, code: str, filters: Filters, by: str | None = None) -> dict:
    """Indicator `code` over `filters` as `user` may see it, audited:
    {"code", "filters", "computed_at", "rows", "total"}.

    A manager's organisation filter is forced to their own and they see exact figures; an analyst's and an
    administrator's small counts are suppressed (see `tirek.reports.scope`). `total` is the unsplit figure
    of a split (None without a split, or when a row of the split is suppressed)."""
    indicator = indicator_get(user=user, code=code)
    reach = reach_of(user)
    filters = reach.apply(filters)
    if by is not None and by not in indicator.dimensions:
        raise ValidationError({"by": [_("This indicator cannot be split by this.")]})
    rows = indicator.compute(filters, by)
    total = indicator.compute(filters, None)[0] if by is not None else None
    hidden = False
    if indicator.over_records:
        if not reach.exact:
            rows, hidden = suppress_medians(_rounded(rows))
            if total is not None:
                total = suppress_medians(_rounded([total]))[0][0]
        else:
            rows = _rounded(rows)
            total = _rounded([total])[0] if total is not None else None
        rows = [{k: v for k, v in row.items() if k != "n"} for row in rows]
        total = total["value"] if total is not None else None
    else:
        if not reach.exact:
            rows, hidden = suppress_counts(rows)
            if total is not None:
                total = suppress_counts([total])[0][0]
        total = total["value"] if total is not None else None
    echo = _filters_echo(filters, by)
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        organisation=user.active_organisation_id_checked(),
        object_type="reports.indicator",
        object_repr=code,
        note=json.dumps(echo, sort_keys=True),
    )
    return {
        "code": indicator.code,
        "filters": echo,
        "computed_at": timezone.now(),
        "rows": rows,
        "total": None if hidden else total,
    }
