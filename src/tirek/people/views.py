from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.audit.services import audit_view
from tirek.cases.forms import CaseOpenForm, case_open_fields
from tirek.cases.services import case_open_by_iin
from tirek.core.errors import Conflict, NotAllowed, TooManyRequests
from tirek.core.forms import add_service_errors, edit_form, submit
from tirek.core.paging import quick_page
from tirek.core.scoping import can, require
from tirek.core.views import service_form_page
from tirek.directory.selectors import active_organisation_get, programme_list
from tirek.emergency.selectors import emergency_access_current, refuse_emergency_change
from tirek.people import forms, services
from tirek.people.access import can_see_health, referral_only_parts
from tirek.people.lookup import registration_iin_lookup
from tirek.people.models import Person
from tirek.people.selectors import (
    consent_get,
    family_get,
    family_list,
    person_cases,
    person_consents,
    person_families,
    person_get,
    person_list,
    person_search,
)
from tirek.people.services import IinMismatch


@login_required
def person_index(request):
    search = forms.SearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    persons = person_search(user=request.user, query=query) if query else person_list(user=request.user)
    page = quick_page(persons, request.GET.get("page"))
    context = {
        "search": search,
        "query": query,
        "too_short": 0 < len(query.strip()) < 3,
        "page": page,
        "can_register": can(request.user, "people.register"),
        "can_import": can(request.user, "people.import"),
        "can_merge": can(request.user, "people.merge"),
    }
    return render(request, "people/person_list.html", context)


@login_required
def person_register(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "people.register", organisation)
    family = family_get(user=request.user, pk=request.GET["family"]) if request.GET.get("family") else None
    form = forms.PersonForm(request.POST or None, initial={"iin": request.GET.get("iin", "")})
    link_form = forms.FamilyLinkForm(request.POST or None, prefix="link") if family else None
    context = {
        "form": form,
        "mismatch": False,
        "existing_iin": None,
        "family": family,
        "link_form": link_form,
    }
    status = 200
    if request.method == "POST" and form.is_valid() and (link_form is None or link_form.is_valid()):
        data = dict(form.cleaned_data)
        confirm = data.pop("confirm_mismatch", False)
        try:
            # Whether the IIN is taken is the IIN look-up's answer: audited and counted the same way.
            registration_iin_lookup(user=request.user, iin=data.get("iin"))
            person = services.person_register_into_family(
                actor=request.user,
                organisation=organisation,
                family=family,
                role=link_form.cleaned_data["family_role"] if family else None,
                is_legal_representative=family is not None
                and link_form.cleaned_data["family_legal_representative"],
                confirm_mismatch=confirm,
                **data,
            )
        except TooManyRequests as exc:
            form.add_error("iin", exc.message)
            status = 429
        except IinMismatch as exc:
            add_service_errors(form, exc)
            form.offer_confirmation()
            context["mismatch"] = True
        except ValidationError as exc:
            if getattr(exc, "code", None) == "iin_exists" or _has_code(exc, "iin_exists"):
                context["existing_iin"] = data["iin"]
                context["enrol_form"] = _enrol_form(request.user, organisation, None)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": person.full_name})
            if family is not None:
                return redirect("people:family_detail", family.pk)
            return redirect("people:person_detail", person.pk)
    return render(request, "people/person_register.html", context, status=status)


def _has_code(exc, code: str) -> bool:
    return any(e.code == code for errors in getattr(exc, "error_dict", {}).values() for e in errors)


def _enrol_form(user, organisation, data):
    from tirek.accounts.selectors import organisation_members

    return CaseOpenForm(
        data,
        programmes=programme_list(user=user, organisation=organisation, active_only=True),
        members=organisation_members(organisation=organisation),
    )


@login_required
@require_POST
def person_enrol_existing(request):
    """Enrol a person registered elsewhere, known only by IIN: the new case makes them visible."""
    organisation = active_organisation_get(user=request.user)
    require(request.user, "cases.open", organisation)
    iin = request.POST.get("iin", "")
    form = _enrol_form(request.user, organisation, request.POST)
    case = submit(
        form,
        lambda data: case_open_by_iin(
            actor=request.user, organisation=organisation, iin=iin, **case_open_fields(data)
        ),
    )
    if case:
        messages.success(request, _("Case %(number)s has been opened.") % {"number": case.number})
        return redirect("cases:case_detail", case.pk)
    register_form = forms.PersonForm(initial={"iin": iin})
    context = {"form": register_form, "existing_iin": iin, "enrol_form": form, "mismatch": False}
    return render(request, "people/person_register.html", context)


@login_required
def person_detail(request, pk):
    person = person_get(user=request.user, pk=pk)
    organisation_id = request.user.active_organisation_id_checked()
    audit_view(actor=request.user, obj=person, organisation=organisation_id, subject_person_id=person.pk)
    health = can_see_health(request.user, person)
    emergency = emergency_access_current(user=request.user, person=person)
    # Seen only through a referral: contacts and family only when the referral shares them.
    parts = referral_only_parts(request.user, [person]).get(person.pk)
    families = list(person_families(person=person)) if parts is None or "family" in parts else []
    context = {
        "person": person,
        "show_contacts": parts is None or "contacts" in parts,
        "referral_only": parts is not None,
        "health": health,
        "diagnoses": person.diagnoses.select_related("diagnosis") if health else None,
        "cases": person_cases(user=request.user, person=person),
        "families": families,
        "visible_ids": set(
            person_list(user=request.user)
            .filter(family_links__family__in=families)
            .values_list("pk", flat=True)
        ),
        "consents": person_consents(person=person),
        "emergency": emergency,
        # Opened in an emergency, the record is read, not changed (enrolling the child is still possible).
        "can_change": can(request.user, "people.change") and emergency is None,
        "can_consent": can(request.user, "people.consent"),
        "can_open_case": can(request.user, "cases.open"),
    }
    return render(request, "people/person_detail.html", context)


@login_required
def person_edit(request, pk):
    person = person_get(user=request.user, pk=pk)
    require(request.user, "people.change")
    refuse_emergency_change(request.user, person)
    form = edit_form(forms.PersonForm, person, request.POST or None)
    mismatch = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirm = data.pop("confirm_mismatch", False)
        try:
            services.person_update(actor=request.user, person=person, confirm_mismatch=confirm, **data)
        except IinMismatch as exc:
            add_service_errors(form, exc)
            form.offer_confirmation()
            mismatch = True
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.show_conflict(exc)
        else:
            messages.success(request, _("The record has been saved."))
            return redirect("people:person_detail", person.pk)
    cancel = reverse("people:person_detail", args=[person.pk])
    return render(
        request,
        "people/person_form.html",
        {"form": form, "title": person.full_name, "cancel_url": cancel, "mismatch": mismatch},
        status=409 if form.conflict else 200,
    )


@login_required
def person_health(request, pk):
    person = person_get(user=request.user, pk=pk)
    if not can_see_health(request.user, person):
        raise NotAllowed("health data")
    refuse_emergency_change(request.user, person)
    return service_form_page(
        request,
        form=edit_form(forms.HealthForm, person, request.POST or None),
        action=lambda data: services.person_update(actor=request.user, person=person, **data),
        success=_("The record has been saved."),
        done_url=reverse("people:person_detail", args=[person.pk]),
        title=_("Health data"),
    )


@login_required
def person_diagnosis_add(request, pk):
    person = person_get(user=request.user, pk=pk)
    if not can_see_health(request.user, person):
        raise NotAllowed("health data")
    refuse_emergency_change(request.user, person)
    return service_form_page(
        request,
        form=forms.DiagnosisForm(request.POST or None),
        action=lambda data: services.person_diagnosis_add(actor=request.user, person=person, **data),
        success=_("The diagnosis has been recorded."),
        done_url=reverse("people:person_detail", args=[person.pk]),
        title=_("Add a diagnosis"),
    )


@login_required
def consent_add(request, pk):
    person = person_get(user=request.user, pk=pk)
    organisation = active_organisation_get(user=request.user)
    require(request.user, "people.consent", organisation)
    givers = [person, *services.legal_representatives(person)]
    form = forms.ConsentForm(
        request.POST or None,
        givers=Person.objects.filter(pk__in=[p.pk for p in givers]),
        initial={"given_on": timezone.localdate(), "purposes": ["services", "data_processing"]},
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.consent_record(
            actor=request.user, organisation=organisation, person=person, **data
        ),
        success=_("The consent has been recorded."),
        done_url=reverse("people:person_detail", args=[person.pk]),
        title=_("Record a consent"),
    )


@login_required
def consent_withdraw(request, pk, consent_pk):
    person = person_get(user=request.user, pk=pk)
    consent = consent_get(user=request.user, pk=consent_pk, person=person)
    require(request.user, "people.consent")
    return service_form_page(
        request,
        form=forms.ConsentWithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()}),
        action=lambda data: services.consent_withdraw(actor=request.user, consent=consent, **data),
        success=_("The consent has been withdrawn."),
        done_url=reverse("people:person_detail", args=[person.pk]),
        title=_("Withdraw the consent"),
    )


@login_required
def family_index(request):
    page = Paginator(family_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request, "people/family_list.html", {"page": page, "can_add": can(request.user, "people.register")}
    )


@login_required
def family_create(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "people.register", organisation)
    first = person_get(user=request.user, pk=request.GET["person"]) if request.GET.get("person") else None
    form = forms.FamilyForm(request.POST or None)
    family = request.method == "POST" and submit(
        form,
        lambda data: services.family_create(
            actor=request.user, organisation=organisation, first_member=first, **data
        ),
    )
    if family:
        messages.success(request, _("The family has been created."))
        return redirect("people:family_detail", family.pk)
    return render(
        request,
        "web/form.html",
        {"form": form, "title": _("New family"), "cancel_url": reverse("people:family_list")},
    )


@login_required
def family_detail(request, pk):
    family = family_get(user=request.user, pk=pk)
    organisation_id = request.user.active_organisation_id_checked()
    audit_view(actor=request.user, obj=family, organisation=organisation_id)
    visible = set(
        person_list(user=request.user).filter(family_links__family=family).values_list("pk", flat=True)
    )
    return render(
        request,
        "people/family_detail.html",
        {"family": family, "visible_ids": visible, "can_change": can(request.user, "people.change")},
    )


@login_required
def family_edit(request, pk):
    family = family_get(user=request.user, pk=pk)
    require(request.user, "people.change")
    return service_form_page(
        request,
        form=edit_form(forms.FamilyForm, family, request.POST or None),
        action=lambda data: services.family_update(actor=request.user, family=family, **data),
        success=_("The family has been saved."),
        done_url=reverse("people:family_detail", args=[family.pk]),
        title=family.name,
    )


@login_required
def family_member_add(request, pk):
    family = family_get(user=request.user, pk=pk)
    require(request.user, "people.change")
    return service_form_page(
        request,
        form=forms.FamilyMemberForm(request.POST or None, persons=person_list(user=request.user)),
        action=lambda data: services.family_member_add(actor=request.user, family=family, **data),
        success=_("The family member has been added."),
        done_url=reverse("people:family_detail", args=[family.pk]),
        title=_("Add a family member"),
    )


@login_required
@require_POST
def family_member_remove(request, pk, member_pk):
    family = family_get(user=request.user, pk=pk)
    member = family.members.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    services.family_member_remove(actor=request.user, member=member)
    messages.success(request, _("The family member has been removed."))
    return redirect("people:family_detail", family.pk)
