from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tirek.accounts.selectors import membership_list
from tirek.core.forms import edit_form, submit
from tirek.core.scoping import can, require
from tirek.directory import forms, services
from tirek.directory.selectors import (
    active_organisation_get,
    organisation_get,
    organisation_list,
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
