"""Pages of residence: parse, make one call, render."""

from __future__ import annotations

import copy
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.core.forms import submit
from tirek.core.scoping import can, require
from tirek.core.views import service_form_page
from tirek.directory.selectors import active_organisation_get
from tirek.residence import forms, selectors, services

SEARCH_RESULTS = 100


def _day(value: str | None) -> dt.date:
    """A YYYY-MM-DD query parameter; today when absent or malformed."""
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


@login_required
def facility_list(request):
    day = _day(request.GET.get("date"))
    context = {
        "facilities": selectors.facility_list(user=request.user, day=day),
        "can_manage": can(request.user, "residence.manage"),
        "day": day,
        "today": timezone.localdate(),
    }
    return render(request, "residence/facility_list.html", context)


@login_required
def facility_new(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "residence.manage", organisation)
    form = forms.FacilityForm(request.POST or None)
    del form.fields["confirm_over_capacity"]
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.facility_create(actor=request.user, organisation=organisation, **data),
        success=_("The facility has been saved."),
        done_url=reverse("residence:list"),
        title=_("New facility"),
    )


@login_required
def facility_detail(request, pk):
    facility = selectors.facility_get(user=request.user, pk=pk)
    context = {
        "facility": facility,
        "residents": selectors.facility_residents(facility=facility),
        "history": selectors.facility_history(facility=facility)[:200],
        "can_manage": can(request.user, "residence.manage", facility.organisation_id),
        "today": timezone.localdate(),
    }
    return render(request, "residence/facility_detail.html", context)


@login_required
def facility_edit(request, pk):
    facility = selectors.facility_get(user=request.user, pk=pk)
    require(request.user, "residence.manage", facility.organisation_id)
    # A copy: the form writes what was typed into its instance; the service audits against the stored one.
    form = forms.FacilityForm(request.POST or None, instance=copy.copy(facility))
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.facility_update(actor=request.user, facility=facility, **data),
        success=_("The facility has been saved."),
        done_url=reverse("residence:detail", args=[facility.pk]),
        title=facility.name,
    )


@login_required
def move_in(request, pk):
    facility = selectors.facility_get(user=request.user, pk=pk)
    require(request.user, "residence.manage", facility.organisation_id)
    query = " ".join(request.GET.get("q", "").split())[:100]
    persons = selectors.move_in_candidates(user=request.user, facility=facility, query=query)
    form = forms.MoveInForm(
        request.POST or None, persons=persons, initial={"moved_in_on": timezone.localdate()}
    )
    if request.method == "POST" and submit(
        form, lambda data: services.residence_move_in(actor=request.user, facility=facility, **data)
    ):
        messages.success(request, _("The resident has moved in."))
        return redirect("residence:detail", facility.pk)
    # The choice lists the first matches only; the search narrows them (validation used them all).
    form.fields["person"].queryset = persons[:SEARCH_RESULTS]
    context = {
        "form": form,
        "facility": facility,
        "query": query,
        "title": _("Move in: %(facility)s") % {"facility": facility.name},
        "cancel_url": reverse("residence:detail", args=[facility.pk]),
    }
    return render(request, "residence/move_in.html", context)


@login_required
def move_out(request, pk):
    residence = selectors.residence_get(user=request.user, pk=pk)
    require(request.user, "residence.manage", residence.facility.organisation_id)
    form = forms.MoveOutForm(request.POST or None, initial={"moved_out_on": timezone.localdate()})
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.residence_move_out(actor=request.user, residence=residence, **data),
        success=_("The resident has moved out."),
        done_url=reverse("residence:detail", args=[residence.facility_id]),
        title=_("%(person)s moves out of %(facility)s")
        % {"person": residence.person.full_name, "facility": residence.facility.name},
    )
