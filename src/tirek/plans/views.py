from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tirek.accounts.selectors import organisation_members
from tirek.audit.services import audit_view
from tirek.core.errors import NotAllowed
from tirek.core.forms import StyledForm, edit_form, submit
from tirek.core.views import service_form_page
from tirek.plans import forms, services
from tirek.plans.choices import IN_FORCE_STATUSES, PENDING_STATUSES, Domain, PdfLanguage, PlanStatus
from tirek.plans.pdf import plan_pdf_export, plan_pdf_filename
from tirek.plans.selectors import (
    case_plans_get,
    plan_detail_get,
    plan_get,
    plan_goal_get,
    plan_latest_ratings,
    planned_service_get,
)
from tirek.plans.services import can_approve_plan, can_create_plans, can_write_plans


def _posted(request):
    """The submitted data on a POST (even an empty one: confirmation forms have no fields), else None."""
    return request.POST if request.method == "POST" else None


def _plan_url(plan) -> str:
    return reverse("plans:plan_detail", args=[plan.pk])


def _require_writer(user, plan) -> None:
    if not can_write_plans(user, plan.case, plan):
        raise NotAllowed("plans.write")


@login_required
def case_plans(request, case_pk):
    case, plans = case_plans_get(user=request.user, case_pk=case_pk)
    plans = list(plans)
    pending = any(p.status in PENDING_STATUSES for p in plans)
    context = {
        "case": case,
        "plans": plans,
        "can_create": case.is_open and not pending and can_create_plans(request.user, case),
    }
    return render(request, "plans/case_plans.html", context)


@login_required
def plan_create(request, case_pk):
    case, _plans = case_plans_get(user=request.user, case_pk=case_pk)
    if not can_create_plans(request.user, case):
        raise NotAllowed("plans.write")
    form = forms.PlanForm(
        _posted(request),
        members=organisation_members(organisation=case.organisation_id),
        initial={"coordinator": case.coordinator_id},
    )
    plan = request.method == "POST" and submit(
        form, lambda data: services.plan_create(actor=request.user, case=case, **form.service_fields())
    )
    if plan:
        messages.success(request, _("Plan %(number)s has been drafted.") % {"number": plan.number})
        return redirect("plans:plan_detail", plan.pk)
    title = _("New plan for case %(number)s") % {"number": case.number}
    cancel = reverse("plans:case_plans", args=[case.pk])
    return render(request, "web/form.html", {"form": form, "title": title, "cancel_url": cancel})


@login_required
def plan_detail(request, pk):
    plan = plan_detail_get(user=request.user, pk=pk)
    case = plan.case
    audit_view(
        actor=request.user, obj=plan, organisation=case.organisation_id, subject_person_id=case.person_id
    )
    user = request.user
    writer = case.is_open and can_write_plans(user, case, plan)
    goals = list(plan.goals.all())
    ratings = plan_latest_ratings(plan)
    context = {
        "plan": plan,
        "case": case,
        "goals": [(goal, ratings.get(goal.pk)) for goal in goals],
        "services": list(plan.services.all()),
        "reviews": list(plan.reviews.all()),
        "levels": [(domain, plan.present_level(domain.value)) for domain in Domain],
        "can_edit": writer and plan.status == PlanStatus.DRAFT,
        "can_approve": case.is_open and plan.status == PlanStatus.DRAFT and can_approve_plan(user, plan),
        "can_activate": writer and plan.status == PlanStatus.APPROVED,
        "can_review": writer and plan.status in IN_FORCE_STATUSES and bool(goals),
        "can_copy": case.is_open
        and plan.status in IN_FORCE_STATUSES
        and can_create_plans(user, case)
        and not case.plans.filter(status__in=PENDING_STATUSES).exists(),
        "languages": PdfLanguage.choices,
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_edit(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    form = forms.PlanForm(
        _posted(request), members=organisation_members(organisation=plan.case.organisation_id), plan=plan
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.plan_update(actor=request.user, plan=plan, **form.service_fields()),
        success=_("The plan has been saved."),
        done_url=_plan_url(plan),
        title=_("Edit plan %(number)s") % {"number": plan.number},
    )


@login_required
def plan_discard(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    return service_form_page(
        request,
        form=StyledForm(_posted(request)),
        action=lambda data: services.plan_discard(actor=request.user, plan=plan) or True,
        success=_("The draft has been discarded."),
        done_url=reverse("plans:case_plans", args=[plan.case_id]),
        cancel_url=_plan_url(plan),
        title=_("Discard draft plan %(number)s?") % {"number": plan.number},
    )


@login_required
def goal_add(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    form = forms.PlanGoalForm(_posted(request))
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.plan_goal_add(actor=request.user, plan=plan, **form.service_fields()),
        success=_("The goal has been added."),
        done_url=_plan_url(plan),
        title=_("Add a goal"),
    )


@login_required
def goal_edit(request, pk, goal_pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    goal = plan_goal_get(plan=plan, pk=goal_pk)
    form = edit_form(forms.PlanGoalForm, goal, _posted(request))
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.plan_goal_update(actor=request.user, goal=goal, **form.service_fields()),
        success=_("The goal has been saved."),
        done_url=_plan_url(plan),
        title=_("Edit the goal"),
    )


@login_required
def goal_remove(request, pk, goal_pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    goal = plan_goal_get(plan=plan, pk=goal_pk)
    return service_form_page(
        request,
        form=StyledForm(_posted(request)),
        action=lambda data: services.plan_goal_remove(actor=request.user, goal=goal) or True,
        success=_("The goal has been removed."),
        done_url=_plan_url(plan),
        title=_("Remove the goal “%(goal)s”?") % {"goal": goal},
    )


def _service_form(request, plan, instance=None):
    members = organisation_members(organisation=plan.case.organisation_id)
    if instance is None:
        return forms.PlannedServiceForm(
            _posted(request), members=members, initial={"start_date": timezone.localdate()}
        )
    form = edit_form(forms.PlannedServiceForm, instance, _posted(request))
    form.fields["provider"].queryset = members
    return form


@login_required
def service_add(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    return service_form_page(
        request,
        form=_service_form(request, plan),
        action=lambda data: services.planned_service_add(actor=request.user, plan=plan, **data),
        success=_("The service has been added to the plan."),
        done_url=_plan_url(plan),
        title=_("Plan a service"),
    )


@login_required
def service_edit(request, pk, service_pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    service = planned_service_get(plan=plan, pk=service_pk)
    return service_form_page(
        request,
        form=_service_form(request, plan, service),
        action=lambda data: services.planned_service_update(actor=request.user, service=service, **data),
        success=_("The planned service has been saved."),
        done_url=_plan_url(plan),
        title=_("Edit the planned service"),
    )


@login_required
def service_remove(request, pk, service_pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    service = planned_service_get(plan=plan, pk=service_pk)
    return service_form_page(
        request,
        form=StyledForm(_posted(request)),
        action=lambda data: services.planned_service_remove(actor=request.user, service=service) or True,
        success=_("The service has been removed from the plan."),
        done_url=_plan_url(plan),
        title=_("Remove “%(service)s” from the plan?") % {"service": service},
    )


@login_required
def plan_approve(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    if not can_approve_plan(request.user, plan):
        raise NotAllowed("plans.approve")
    return service_form_page(
        request,
        form=forms.PlanApproveForm(_posted(request), initial={"approved_on": timezone.localdate()}),
        action=lambda data: services.plan_approve(actor=request.user, plan=plan, **data),
        success=_("The plan has been approved."),
        done_url=_plan_url(plan),
        title=_("Approve plan %(number)s") % {"number": plan.number},
    )


@login_required
def plan_activate(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    return service_form_page(
        request,
        form=forms.PlanActivateForm(_posted(request), initial={"active_from": timezone.localdate()}),
        action=lambda data: services.plan_activate(actor=request.user, plan=plan, **data),
        success=_("The plan is in force."),
        done_url=_plan_url(plan),
        title=_("Put plan %(number)s in force") % {"number": plan.number},
    )


@login_required
def plan_review(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    _require_writer(request.user, plan)
    form = forms.PlanReviewForm(
        _posted(request), goals=plan.goals.all(), initial={"reviewed_on": timezone.localdate()}
    )
    if request.method == "POST" and submit(
        form, lambda data: services.plan_review(actor=request.user, plan=plan, **form.service_fields())
    ):
        messages.success(request, _("The review has been recorded."))
        return redirect("plans:plan_detail", plan.pk)
    title = _("Review plan %(number)s") % {"number": plan.number}
    return render(
        request,
        "plans/plan_review.html",
        {"form": form, "plan": plan, "title": title, "cancel_url": _plan_url(plan)},
    )


@login_required
def plan_new_version(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    if not can_create_plans(request.user, plan.case):
        raise NotAllowed("plans.write")
    form = StyledForm(_posted(request))
    draft = request.method == "POST" and submit(
        form, lambda data: services.plan_new_version(actor=request.user, plan=plan)
    )
    if draft:
        messages.success(
            request, _("Plan %(number)s has been drafted from the plan in force.") % {"number": draft.number}
        )
        return redirect("plans:plan_detail", draft.pk)
    title = _("Draft a new version of plan %(number)s?") % {"number": plan.number}
    return render(request, "web/form.html", {"form": form, "title": title, "cancel_url": _plan_url(plan)})


@login_required
def plan_pdf(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    language = request.GET.get("language") or (get_language() or "")[:2]
    if language not in PdfLanguage.values:
        if "language" in request.GET:
            raise BadRequest("language")
        language = PdfLanguage.KK
    content = plan_pdf_export(actor=request.user, plan=plan, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plan_pdf_filename(plan, language)}"'
    return response
