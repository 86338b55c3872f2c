from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from tirek.audit.forms import AuditFilterForm
from tirek.audit.selectors import audit_event_list
from tirek.core.scoping import require


@login_required
def event_list(request):
    require(request.user, "audit.view")
    filters = AuditFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    events = audit_event_list(
        user=request.user,
        actor_id=getattr(criteria.get("actor"), "pk", None),
        organisation_id=getattr(criteria.get("organisation"), "pk", None),
        action=criteria.get("action") or None,
        object_type=criteria.get("object_type") or None,
        subject_person_id=criteria.get("subject_person"),
        date_from=criteria.get("date_from"),
        date_to=criteria.get("date_to"),
    )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"filters": filters, "page": page})
