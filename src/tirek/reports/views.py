"""The report pages: the indicator catalogue, and one indicator with its filters and table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.reports import selectors
from tirek.reports.aggregates import aggregates_refresh_request
from tirek.reports.catalogue import DIMENSION_NAMES
from tirek.reports.dashboard import dashboard_data
from tirek.reports.dashboard_forms import DashboardForm
from tirek.reports.forms import IndicatorFilterForm
from tirek.reports.labels import dimension_labels
from tirek.reports.models import SnapshotScope
from tirek.reports.scope import hidden_label


@login_required
def indicator_index(request):
    groups = selectors.indicator_catalogue_grouped(user=request.user)
    reach = selectors.report_reach(user=request.user)
    return render(request, "reports/index.html", {"groups": groups, "reach_exact": reach.exact})


@login_required
def indicator_detail(request, code: str):
    indicator = selectors.indicator_get(user=request.user, code=code)
    reach = selectors.report_reach(user=request.user)
    form = IndicatorFilterForm(request.GET, user=request.user, indicator=indicator, exact=reach.exact)
    result, rows = None, []
    if form.is_valid():
        result = selectors.indicator_compute(
            user=request.user, code=indicator.code, filters=form.filters(), by=form.by()
        )
        by = result["filters"]["by"]
        labels = dimension_labels(code, by, [row[by] for row in result["rows"]]) if by else {}
        records = reverse("reports:records", args=[indicator.code]) if reach.exact else None
        rows = [
            {
                "code": row.get(by),
                "label": labels.get(str(row.get(by)), row.get(by)),
                "value": row["value"],
                # A manager opens the records behind each figure (the same filters, one value of the split).
                "records_url": _records_url(records, request.GET, by, row.get(by)) if records else None,
            }
            for row in result["rows"]
        ]
    context = {
        "indicator": indicator,
        "form": form,
        "result": result,
        "rows": rows,
        "by_name": DIMENSION_NAMES.get(result["filters"]["by"])
        if result and result["filters"]["by"]
        else None,
        "exact": reach.exact,
        "hidden_label": hidden_label(),
    }
    return render(request, "reports/indicator.html", context)


# -- dashboards ----------------------------------------------------------------------------------------------


def _dashboard_page(request, scope: str):
    reach = selectors.report_reach(user=request.user)
    form = DashboardForm(request.GET or None, user=request.user, scope=scope, exact=reach.exact)
    data = None
    # An analyst first chooses the organisation or the region; a manager's is theirs, the country is one.
    chosen = form.is_bound or reach.exact or scope == SnapshotScope.COUNTRY
    if chosen and (form.is_valid() or not form.is_bound):
        choices = form.choices() if form.is_bound else {}
        try:
            data = dashboard_data(user=request.user, scope=scope, **choices)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "scope": scope,
        "form": form,
        "data": data,
        "exact": reach.exact,
        "charts": [*data["charts"], *data["trends"]] if data else [],
        "chart_data": (
            [
                {
                    "id": c["id"],
                    "kind": c["kind"],
                    "name": c["name"],
                    "labels": c["labels"],
                    "values": c["values"],
                }
                for c in [*data["charts"], *data["trends"]]
            ]
            if data
            else []
        ),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def dashboard_organisation(request):
    return _dashboard_page(request, SnapshotScope.ORGANISATION)


@login_required
def dashboard_region(request):
    return _dashboard_page(request, SnapshotScope.REGION)


@login_required
def dashboard_country(request):
    return _dashboard_page(request, SnapshotScope.COUNTRY)


@login_required
@require_POST
def dashboard_refresh(request):
    aggregates_refresh_request(actor=request.user)
    messages.success(request, _("The figures of your organisation will be recomputed in a few minutes."))
    return redirect("reports:dashboard")


@login_required
def indicator_records(request, code: str):
    indicator = selectors.indicator_get(user=request.user, code=code)
    selectors.require_record_reader(user=request.user)  # a 403 before the form, whatever the query
    form = IndicatorFilterForm(request.GET, user=request.user, indicator=indicator, exact=True)
    result = None
    if form.is_valid():
        try:
            result = selectors.indicator_records(
                user=request.user,
                code=indicator.code,
                filters=form.filters(),
                by=form.by(),
                value=request.GET.get("value"),
                page=request.GET.get("page"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "indicator": indicator,
        "form": form,
        "result": result,
        "page": result["page"] if result else None,
        "query": query.urlencode(),
        "by_name": DIMENSION_NAMES.get(form.by() or "") if result else None,
        "value_label": _value_label(code, form.by(), request.GET.get("value")) if result else None,
    }
    return render(request, "reports/records.html", context)


def _records_url(records: str, query, by: str | None, value) -> str:
    query = query.copy()
    query.pop("page", None)
    if by:
        query["value"] = value
    return f"{records}?{query.urlencode()}"


def _value_label(code: str, by: str | None, value: str | None):
    if not by or value is None:
        return None
    return dimension_labels(code, by, [value]).get(value, value)
