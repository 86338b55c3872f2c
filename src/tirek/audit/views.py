from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode

from tirek.audit.forms import AuditFilterForm
from tirek.audit.selectors import FILTERS, audit_event_list
from tirek.core.scoping import require


def _filter_query(request) -> str:
    """The page's filters as a query string, to carry them to the export (tirek.exports.audit_trail)."""
    return urlencode([(name, request.GET[name]) for name in FILTERS if request.GET.get(name)])


@login_required
def event_list(request):
    require(request.user, "audit.view")
    filters = AuditFilterForm(request.GET or None, user=request.user)
    events = audit_event_list(user=request.user, **(filters.criteria() if filters.is_valid() else {}))
    if filters.is_bound and not filters.is_valid():
        events = events.none()  # the errors are shown with the filters; no list that ignores them
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "filter_query": _filter_query(request),
    }
    return render(request, "audit/event_list.html", context)
