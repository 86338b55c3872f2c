"""Reading reports: the catalogue, and one indicator computed for a user (with their reach and suppression).

The web page, the API and (later) the exports all call `indicator_compute`, so their figures agree."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.reports.aggregates import snapshot_rows
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
        "diagnosis_group": filters.diagnosis_group or None,
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
    # A standard figure of the dashboards is read from its snapshot while that is fresh.
    stored = snapshot_rows(indicator.code, filters, by)
    if stored is not None:
        rows, total, computed_at = stored
    else:
        rows = indicator.compute(filters, by)
        total = indicator.total(filters, by, rows) if by is not None else None
        computed_at = timezone.now()
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
        "computed_at": computed_at,
        "rows": rows,
        "total": None if hidden else total,
    }


# -- the records behind a figure (managers) ------------------------------------------------------------------

# Each kind of record counted by an indicator: the page that shows it, and what to fetch with it.
_RECORD_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "services.visit": ("services:visit_detail", ("case", "service")),
    "cases.case": ("cases:case_detail", ()),
    "services.groupactivity": ("services:group_detail", ()),
    "support.appeal": ("support:appeal_detail", ()),
    "support.aiddistribution": ("support:aid_detail", ("person", "family")),
    "support.outcome": ("support:outcome_detail", ()),
    "referrals.referral": ("referrals:referral_detail", ()),
}


# A session is named by its case and service (its own name carries the time in UTC).
_RECORD_LABELS = {"services.visit": lambda visit: f"{visit.case} · {visit.service}"}


def _record_row(obj, *, person_path: str | None, date_path: str | None) -> dict:
    from django.urls import NoReverseMatch, reverse

    page, _related = _RECORD_PAGES.get(obj._meta.label_lower, (None, ()))
    try:
        url = reverse(page, args=[obj.pk]) if page else None
    except NoReverseMatch:
        url = None
    person = obj
    for part in (person_path or "").split("__"):
        if part:
            person = getattr(person, part, None)
    if person_path is None:
        person = getattr(obj, "person", None)
    when = obj
    for part in (date_path or "").split("__"):
        when = getattr(when, part, None) if part else when
    if isinstance(when, dt.datetime):
        when = timezone.localtime(when)
    label = _RECORD_LABELS.get(obj._meta.label_lower, str)(obj)
    return {
        "id": str(obj.pk),
        "record": label,
        "is_moment": isinstance(when, dt.datetime),
        "url": url,
        "date": when if date_path else None,
        "person": person,
        "person_url": reverse("people:person_detail", args=[person.pk]) if person is not None else None,
    }


def require_record_reader(*, user):
    """The user's report reach when they may read the records behind a figure (a manager, in their own
    organisation); analysts and administrators get a 403: they read figures, never records."""
    from tirek.core.errors import NotAllowed

    reach = reach_of(user)
    if not reach.exact:
        raise NotAllowed("reports.view")
    return reach


def indicator_records(
    *, user, code: str, filters: Filters, by: str | None = None, value: str | None = None, page=1
) -> dict:
    """The records behind indicator `code` over `filters` (and one value of a split), for a manager: only
    their organisation's and only those they may see, a page at a time, the newest first; audited as a view.

    Analysts and administrators get a 403: they read figures, never records."""
    from django.core.exceptions import FieldError
    from django.db.models import Q

    from tirek.core.paging import quick_page
    from tirek.reports.catalogue import UNKNOWN

    indicator = indicator_get(user=user, code=code)
    reach = require_record_reader(user=user)
    filters = reach.apply(filters)
    source = indicator.source
    records = source.records(filters, with_age=by == "age_band")
    if by is not None:
        if by not in indicator.dimensions:
            raise ValidationError({"by": [_("This indicator cannot be split by this.")]})
        try:
            records, name = source.dimension(records, by)
            if value is None:  # the whole figure
                pass
            elif value in ("", UNKNOWN):
                records = records.filter(Q(**{f"{name}__isnull": True}) | Q(**{name: ""}))
            else:
                records = records.filter(**{name: value})
        except (FieldError, ValueError):
            raise ValidationError({"by": [_("The records cannot be listed by this.")]}) from None
    model = records.model
    if hasattr(records, "visible_to"):
        records = records.visible_to(user)
    else:
        records = records.filter(pk__in=model.objects.visible_to(user).values("pk"))
    person_path = source.person[:-2] if source.person else None
    _page, related = _RECORD_PAGES.get(model._meta.label_lower, (None, ()))
    related = tuple(dict.fromkeys([*related, *([person_path] if person_path else [])]))
    date_path = source.date or ("opened_on" if hasattr(model, "opened_on") else None)
    ordering = [f"-{date_path}", "-pk"] if date_path else ["-pk"]
    records = records.select_related(*related).order_by(*ordering)
    listed = quick_page(records, page)
    listed.object_list = [
        _record_row(obj, person_path=person_path, date_path=date_path) for obj in listed.object_list
    ]
    echo = {**_filters_echo(filters, by), "value": value}
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        organisation=user.active_organisation_id_checked(),
        object_type="reports.records",
        object_repr=code,
        note=json.dumps(echo, sort_keys=True),
    )
    return {"indicator": indicator, "filters": echo, "page": listed}
