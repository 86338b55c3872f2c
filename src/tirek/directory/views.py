from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.selectors import membership_list
from tirek.core.errors import NotAllowed, validation_fields
from tirek.core.forms import edit_form, submit
from tirek.core.paging import quick_page
from tirek.core.scoping import can, require
from tirek.core.views import service_form_page
from tirek.directory import forms, services
from tirek.directory.choices import PartnershipStatus
from tirek.directory.selectors import (
    ALL_STATUSES,
    active_organisation_get,
    organisation_get,
    organisation_list,
    partners_of,
    partnership_get,
    partnership_in_force,
    partnership_list,
    programme_get,
    programme_list,
)


@login_required
def organisation_index(request):
    filters = forms.OrganisationFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    organisations = organisation_list(
        user=request.user, region=criteria.get("region"), kind=criteria.get("kind"), query=criteria.get("q")
    )
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/organisation_list.html",
        {"filters": filters, "page": page, "can_add": can(request.user, "directory.add_organisation")},
    )


@login_required
def organisation_detail(request, pk):
    organisation = organisation_get(user=request.user, pk=pk)
    is_member = organisation.pk in request.user.organisation_ids() or request.user.is_administrator
    context = {
        "organisation": organisation,
        "can_change": can(request.user, "directory.change_organisation", organisation),
        "programmes": programme_list(user=request.user, organisation=organisation) if is_member else None,
        "staff": membership_list(user=request.user, organisation=organisation, include_inactive=False)
        if is_member
        else None,
        "partners": partners_of(organisation=organisation),
        "partnerships": partnership_list(user=request.user, organisation=organisation, status=ALL_STATUSES),
    }
    return render(request, "directory/organisation_detail.html", context)


@login_required
def organisation_create(request):
    require(request.user, "directory.add_organisation")
    form = forms.OrganisationForm(request.POST or None)
    organisation = request.method == "POST" and submit(
        form, lambda data: services.organisation_create(actor=request.user, **data)
    )
    if organisation:
        messages.success(request, _("The organisation has been registered."))
        return redirect("directory:organisation_detail", organisation.pk)
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": _("Register an organisation"),
            "cancel_url": reverse("directory:organisation_list"),
        },
    )


@login_required
def organisation_edit(request, pk):
    organisation = organisation_get(user=request.user, pk=pk)
    require(request.user, "directory.change_organisation", organisation)
    form_class = forms.OrganisationForm if request.user.is_administrator else forms.OrganisationContactsForm
    form = edit_form(form_class, organisation, request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: services.organisation_update(actor=request.user, organisation=organisation, **data)
    ):
        messages.success(request, _("The organisation has been saved."))
        return redirect("directory:organisation_detail", organisation.pk)
    cancel = reverse("directory:organisation_detail", args=[organisation.pk])
    return render(request, "web/form.html", {"form": form, "title": organisation.name, "cancel_url": cancel})


@login_required
def programme_index(request):
    organisation_id = request.user.active_organisation_id_checked()
    national = bool(request.user.roles() & {"administrator", "analyst"})
    if organisation_id is None and not national:
        raise Http404
    organisation = organisation_get(user=request.user, pk=organisation_id) if organisation_id else None
    programmes = programme_list(user=request.user, organisation=None if national else organisation)
    return render(
        request,
        "directory/programme_list.html",
        {
            "programmes": programmes,
            "organisation": organisation,
            "national": national,
            "can_add": organisation is not None
            and can(request.user, "directory.manage_programmes", organisation),
        },
    )


@login_required
def programme_detail(request, pk):
    programme = programme_get(user=request.user, pk=pk)
    return render(
        request,
        "directory/programme_detail.html",
        {
            "programme": programme,
            "can_change": can(request.user, "directory.manage_programmes", programme.organisation_id),
        },
    )


@login_required
def programme_create(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "directory.manage_programmes", organisation)
    form = forms.ProgrammeForm(request.POST or None)
    programme = request.method == "POST" and submit(
        form, lambda data: services.programme_create(actor=request.user, organisation=organisation, **data)
    )
    if programme:
        messages.success(request, _("The programme has been saved."))
        return redirect("directory:programme_detail", programme.pk)
    return render(
        request,
        "web/form.html",
        {"form": form, "title": _("Add programme"), "cancel_url": reverse("directory:programme_list")},
    )


@login_required
def programme_edit(request, pk):
    programme = programme_get(user=request.user, pk=pk)
    require(request.user, "directory.manage_programmes", programme.organisation_id)
    form = edit_form(forms.ProgrammeForm, programme, request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: services.programme_update(actor=request.user, programme=programme, **data)
    ):
        messages.success(request, _("The programme has been saved."))
        return redirect("directory:programme_detail", programme.pk)
    cancel = reverse("directory:programme_detail", args=[programme.pk])
    return render(request, "web/form.html", {"form": form, "title": programme.name, "cancel_url": cancel})


# --- memoranda (partnerships) -----------------------------------------------------------------------------


@login_required
def partnership_index(request):
    filters = forms.PartnershipFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    partnerships = partnership_list(
        user=request.user,
        region=criteria.get("region"),
        status=criteria.get("status"),
        organisation=criteria.get("organisation"),
    )
    context = {
        "filters": filters,
        "page": quick_page(partnerships, request.GET.get("page")),
        "can_add": can(request.user, "partnerships.manage"),
        "today": timezone.localdate(),
    }
    return render(request, "directory/partnership_list.html", context)


@login_required
def partnership_detail(request, pk):
    partnership = partnership_get(user=request.user, pk=pk)
    context = {
        "partnership": partnership,
        "can_manage": services.may_change_partnership(request.user, partnership),
        "in_force": partnership_in_force(partnership),
        "transitions": services.PARTNERSHIP_TRANSITIONS[partnership.status],
        "statuses": PartnershipStatus,
    }
    return render(request, "directory/partnership_detail.html", context)


@login_required
def partnership_create(request):
    require(request.user, "partnerships.manage")
    organisation_id = request.user.active_organisation_id_checked()
    active = organisation_get(user=request.user, pk=organisation_id) if organisation_id else None
    form = forms.PartnershipForm(
        request.POST or None,
        initial={
            "parties": [active.pk] if active else [],
            "region": active.region_id if active else None,
            "signed_on": timezone.localdate(),
            "status": PartnershipStatus.ACTIVE,
        },
    )
    partnership = request.method == "POST" and submit(
        form, lambda data: services.partnership_create(actor=request.user, **form.service_fields())
    )
    if partnership:
        messages.success(request, _("The memorandum has been saved."))
        return redirect("directory:partnership_detail", partnership.pk)
    return render(
        request,
        "web/form.html",
        {"form": form, "title": _("New memorandum"), "cancel_url": reverse("directory:partnership_list")},
    )


@login_required
def partnership_edit(request, pk):
    partnership = partnership_get(user=request.user, pk=pk)
    if not services.may_change_partnership(request.user, partnership):
        raise NotAllowed("partnerships.manage")
    # A copy: the form writes what was typed into its instance; the service audits against the stored one.
    form = forms.PartnershipForm(request.POST or None, instance=copy.copy(partnership), new=False)
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.partnership_update(
            actor=request.user, partnership=partnership, **form.service_fields()
        ),
        success=_("The memorandum has been saved."),
        done_url=reverse("directory:partnership_detail", args=[partnership.pk]),
        title=partnership.title,
    )


@login_required
def partnership_status(request, pk):
    """POST: bring a draft (or an expired memorandum, renewed) into force, or mark it expired."""
    partnership = partnership_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("directory:partnership_detail", partnership.pk)
    if not services.may_change_partnership(request.user, partnership):
        raise NotAllowed("partnerships.manage")
    try:
        services.partnership_update(
            actor=request.user, partnership=partnership, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        for errors in validation_fields(exc).values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("The memorandum has been saved."))
    return redirect("directory:partnership_detail", partnership.pk)


@login_required
def partnership_terminate(request, pk):
    partnership = partnership_get(user=request.user, pk=pk)
    if not services.may_change_partnership(request.user, partnership):
        raise NotAllowed("partnerships.manage")
    form = forms.PartnershipTerminateForm(
        request.POST or None, initial={"terminated_on": timezone.localdate()}
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.partnership_terminate(
            actor=request.user, partnership=partnership, **data
        ),
        success=_("The memorandum has been terminated."),
        done_url=reverse("directory:partnership_detail", args=[partnership.pk]),
        title=_("Terminate the memorandum"),
    )
