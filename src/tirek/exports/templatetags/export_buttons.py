"""`{% record_export_buttons "cases" %}`: the export buttons of a record list, for those who may export it,
carrying the list's current filters (the page's query string, or the filters given to the tag); and
`{% audit_trail_export_buttons filter_query %}`, the audit page's."""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from tirek.exports import audit_trail
from tirek.exports.choices import RECORD_FORMATS
from tirek.exports.selectors import can_export_records

register = template.Library()


def _plain(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "pk", value))


@register.inclusion_tag("exports/_record_buttons.html", takes_context=True)
def record_export_buttons(context, what: str, **filters) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_export_records(user):
        return {"show": False}
    if filters:
        query = urlencode({k: _plain(v) for k, v in filters.items() if v not in (None, "")})
    else:
        query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    action = reverse("exports:records", args=[what])
    return {
        "show": True,
        "what": what,
        "action": f"{action}?{query}" if query else action,
        "formats": [(f.value, f.label) for f in RECORD_FORMATS],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("exports/_audit_trail_buttons.html", takes_context=True)
def audit_trail_export_buttons(context, filter_query: str = "") -> dict:
    """The audit page's export form: its filters (`filter_query`) carried to tirek.exports.audit_trail."""
    return {
        "filter_query": filter_query,
        "formats": audit_trail.EXPORT_FORMATS,
        "max_rows": audit_trail.EXPORT_MAX_ROWS,
        "csrf_token": context.get("csrf_token"),
    }
