from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts.selectors import organisation_members
from tirek.audit.services import audit_view
from tirek.cases import documents, forms, services
from tirek.cases.choices import CaseStatus, DeadlineClock
from tirek.cases.forms import case_open_fields
from tirek.cases.selectors import (
    case_deadlines,
    case_get,
    case_list,
    case_open_pause,
    case_timeline,
    deadline_list,
)
from tirek.cases.summary import case_work_summary
from tirek.core.forms import submit
from tirek.core.scoping import can, require
from tirek.core.views import service_form_page
from tirek.directory.selectors import active_organisation_get, programme_list
from tirek.people.selectors import person_get


@login_required
def case_index(request):
    status = request.GET.get("status") or None
    if status not in CaseStatus.values:
        status = None
    cases = case_list(user=request.user, status=status)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CaseStatus.choices,
            "can_see_deadlines": can(request.user, "cases.change"),
        },
    )


@login_required
def case_open(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "cases.open", organisation)
    person = person_get(user=request.user, pk=request.GET.get("person") or request.POST.get("person"))
    form = forms.CaseOpenForm(
        request.POST or None,
        programmes=programme_list(user=request.user, organisation=organisation, active_only=True),
        members=organisation_members(organisation=organisation),
        initial={"referral_received_on": timezone.localdate(), "opened_on": timezone.localdate()},
    )
    case = request.method == "POST" and submit(
        form,
        lambda data: services.case_open(
            actor=request.user, organisation=organisation, person=person, **case_open_fields(data)
        ),
    )
    if case:
        messages.success(request, _("Case %(number)s has been opened.") % {"number": case.number})
        return redirect("cases:case_detail", case.pk)
    title = _("Enrol %(name)s in a programme") % {"name": person.full_name}
    cancel = reverse("people:person_detail", args=[person.pk])
    return render(
        request,
        "cases/case_open.html",
        {"form": form, "title": title, "cancel_url": cancel, "person": person},
    )


@login_required
def case_detail(request, pk):
    case = case_get(user=request.user, pk=pk)
    audit_view(
        actor=request.user, obj=case, organisation=case.organisation_id, subject_person_id=case.person_id
    )
    members = organisation_members(organisation=case.organisation)
    can_change = can(request.user, "cases.change", case.organisation_id) and case.is_open
    clocks = case_deadlines(case=case)
    context = {
        "case": case,
        "events": case_timeline(case=case),
        "clocks": clocks,
        "open_pause": case_open_pause(case=case) if case.is_open else None,
        "can_pause": can_change
        and any(c.kind == DeadlineClock.FIRST_PLAN and c.met_on is None for c in clocks),
        "can_reopen": not case.is_open and can(request.user, "cases.reopen", case.organisation_id),
        "can_change": can_change,
        "status_form": forms.CaseStatusForm(initial={"status": case.status}),
        "team_form": forms.CaseTeamForm(
            members=members, initial={"coordinator": case.coordinator_id, "team": list(case.team.all())}
        ),
        "close_form": forms.CaseCloseForm(initial={"closed_on": timezone.localdate()}),
        "age_months": case.person.age_in_months(timezone.localdate()),
        **case_work_summary(user=request.user, case=case),
        "documents": documents.case_document_list(user=request.user, case=case),
        "can_add_documents": case.is_open and can(request.user, "cases.documents", case.organisation_id),
    }
    return render(request, "cases/case_detail.html", context)


@login_required
def case_status(request, pk):
    case = case_get(user=request.user, pk=pk)
    require(request.user, "cases.change", case.organisation_id)
    return service_form_page(
        request,
        form=forms.CaseStatusForm(request.POST or None, version=case.version),
        action=lambda data: services.case_change_status(actor=request.user, case=case, **data),
        success=_("The status has been changed."),
        done_url=reverse("cases:case_detail", args=[case.pk]),
        title=_("Change the status"),
    )


@login_required
def case_team(request, pk):
    case = case_get(user=request.user, pk=pk)
    require(request.user, "cases.change", case.organisation_id)
    return service_form_page(
        request,
        form=forms.CaseTeamForm(
            request.POST or None,
            members=organisation_members(organisation=case.organisation),
            version=case.version,
            initial={"coordinator": case.coordinator_id, "team": list(case.team.all())},
        ),
        action=lambda data: services.case_set_team(
            actor=request.user,
            case=case,
            coordinator=data.get("coordinator"),
            team=list(data.get("team") or []),
            expected_version=data.get("expected_version"),
        ),
        success=_("The team has been saved."),
        done_url=reverse("cases:case_detail", args=[case.pk]),
        title=_("Coordinator and team"),
    )


@login_required
def case_close(request, pk):
    case = case_get(user=request.user, pk=pk)
    require(request.user, "cases.change", case.organisation_id)
    return service_form_page(
        request,
        form=forms.CaseCloseForm(
            request.POST or None, initial={"closed_on": timezone.localdate()}, version=case.version
        ),
        action=lambda data: services.case_close(actor=request.user, case=case, **data),
        success=_("The case has been closed."),
        done_url=reverse("cases:case_detail", args=[case.pk]),
        title=_("Close the case"),
    )


def _case_action(request, pk, *, capability: str = "cases.change"):
    case = case_get(user=request.user, pk=pk)
    require(request.user, capability, case.organisation_id)
    return case, reverse("cases:case_detail", args=[case.pk])


@login_required
def case_reopen(request, pk):
    case, done = _case_action(request, pk, capability="cases.reopen")
    return service_form_page(
        request,
        form=forms.CaseReopenForm(request.POST or None, version=case.version),
        action=lambda data: services.case_reopen(actor=request.user, case=case, **data),
        success=_("The case has been reopened."),
        done_url=done,
        title=_("Reopen the case"),
    )


@login_required
def case_outcomes(request, pk):
    case, done = _case_action(request, pk)
    initial = {
        "social": case.entry_social,
        "knowledge": case.entry_knowledge,
        "needs": case.entry_needs,
        "rated_on": case.entry_rated_on or timezone.localdate(),
    }
    return service_form_page(
        request,
        form=forms.EntryOutcomesForm(request.POST or None, initial=initial, version=case.version),
        action=lambda data: services.case_record_entry_outcomes(actor=request.user, case=case, **data),
        success=_("The entry ratings have been saved."),
        done_url=done,
        title=_("Entry ratings of the child's functioning"),
    )


@login_required
def case_pause(request, pk):
    case, done = _case_action(request, pk)
    return service_form_page(
        request,
        form=forms.DeadlinePauseForm(request.POST or None, initial={"starts_on": timezone.localdate()}),
        action=lambda data: services.deadline_pause(actor=request.user, case=case, **data),
        success=_("The first-plan clock has been paused."),
        done_url=done,
        title=_("Pause the first-plan clock"),
    )


@login_required
def case_resume(request, pk):
    case, done = _case_action(request, pk)
    return service_form_page(
        request,
        form=forms.DeadlineResumeForm(request.POST or None, initial={"ends_on": timezone.localdate()}),
        action=lambda data: services.deadline_resume(actor=request.user, case=case, **data),
        success=_("The first-plan clock runs again."),
        done_url=done,
        title=_("Resume the first-plan clock"),
    )


@login_required
def case_transition(request, pk):
    case, done = _case_action(request, pk)
    return service_form_page(
        request,
        form=forms.TransitionStepForm(request.POST or None, initial={"happened_on": timezone.localdate()}),
        action=lambda data: services.case_record_transition(actor=request.user, case=case, **data),
        success=_("The transition step has been recorded."),
        done_url=done,
        title=_("Record a transition step"),
    )


@login_required
def deadline_index(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "cases.change", organisation)
    form = forms.DeadlineFilterForm(
        request.GET or None,
        programmes=programme_list(user=request.user, organisation=organisation, active_only=False),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = deadline_list(
        user=request.user,
        state=filters.get("state") or None,
        clock=filters.get("clock") or None,
        programme=filters.get("programme"),
        coordinator=request.user if filters.get("mine") else None,
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "cases/deadline_list.html", {"form": form, "page": page})


# --- documents ----------------------------------------------------------------------------------------------


@login_required
def case_document_new(request, pk):
    case = case_get(user=request.user, pk=pk)
    require(request.user, "cases.documents", case.organisation_id)
    form = forms.CaseDocumentForm(
        request.POST or None, request.FILES or None, initial={"dated": timezone.localdate()}
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: documents.case_document_add(actor=request.user, case=case, **data),
        success=_("The document has been added."),
        done_url=reverse("cases:case_detail", args=[case.pk]) + "#documents",
        title=_("Add a document") + f" · {case.number}",
    )


@login_required
def case_document_file(request, pk):
    document = documents.case_document_get(user=request.user, pk=pk)
    if not document.file:
        raise Http404
    audit_view(
        actor=request.user,
        obj=document,
        organisation=document.case.organisation_id,
        subject_person_id=document.case.person_id,
    )
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    extension = document.file.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="{document.case.number}-{document.kind}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def case_document_remove(request, pk):
    document = documents.case_document_get(user=request.user, pk=pk)
    case_id = document.case_id
    documents.case_document_remove(actor=request.user, document=document)
    messages.success(request, _("The document has been removed."))
    return redirect(reverse("cases:case_detail", args=[case_id]) + "#documents")
