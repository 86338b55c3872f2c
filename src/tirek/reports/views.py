"""The report pages: the indicator catalogue, and one indicator with its filters and table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tirek.reports import selectors
from tirek.reports.catalogue import DIMENSION_NAMES
from tirek.reports.forms import IndicatorFilterForm
from tirek.reports.labels import dimension_labels
from tirek.reports.scope import hidden_label


@login_required
def indicator_index(request):
    groups = selectors.indicator_catalogue_grouped(user=request.user)
    return render(request, "reports/index.html", {"groups": groups})


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
        rows = [
            {"code": row.get(by), "label": labels.get(str(row.get(by)), row.get(by)), "value": row["value"]}
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
