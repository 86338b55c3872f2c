from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from tirek.audit import services
from tirek.audit.forms import AuditFilterForm
from tirek.audit.selectors import FILTERS, audit_event_list
from tirek.core.errors import validation_fields
from tirek.core.scoping import require
from tirek.exports.views import file_response


def _filter_query(request) -> str:
    """The page's filters as a query string, to carry them to the export and back."""
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
        "export_formats": services.EXPORT_FORMATS,
        "export_max_rows": services.EXPORT_MAX_ROWS,
    }
    return render(request, "audit/event_list.html", context)


@login_required
@require_POST
def event_export(request):
    """POST `format` (csv or xlsx) with the page's filters in the query string: the file, or back to the page
    with what was wrong."""
    require(request.user, "audit.view")
    back = reverse("audit:event_list")
    query = _filter_query(request)
    if query:
        back = f"{back}?{query}"
    filters = AuditFilterForm(request.GET, user=request.user)
    try:
        if not filters.is_valid():
            raise ValidationError(filters.errors.as_data())
        export = services.audit_export(
            actor=request.user, format=request.POST.get("format", ""), criteria=filters.criteria()
        )
    except ValidationError as error:
        for field_messages in validation_fields(error).values():
            for message in field_messages:
                messages.error(request, message)
        return redirect(back)
    return file_response(export)
