"""Pages of sessions and group activities: parse, make one call, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from tirek.audit.services import audit_view
from tirek.core.api import query_uuid
from tirek.core.errors import NotAllowed
from tirek.core.forms import submit
from tirek.core.paging import quick_page
from tirek.core.scoping import can, require
from tirek.core.views import service_form_page
from tirek.directory.selectors import active_organisation_get
from tirek.services import forms, selectors, services
from tirek.services.choices import (
    CancellationReason,
    GroupActivityKind,
    GroupActivityStatus,
    Participant,
    VisitStatus,
)


def _date_param(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD query parameter; None when absent, malformed or outside the service's years."""
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    today = timezone.localdate()
    return day if services.EARLIEST_YEAR <= day.year <= today.year + services.YEARS_AHEAD else None


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _with_specialist(url: str, specialist, user, **params) -> str:
    if specialist.pk != user.pk:
        params["specialist"] = specialist.pk
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{url}?{query}" if query else url


def _specialists_for(user, organisation_id):
    """Whom the user may choose as a session's specialist: anyone, or a specialist only themselves."""
    providers = selectors.organisation_providers(user=user)
    if user.roles(organisation_id) & services.ON_BEHALF_ROLES:
        return providers
    return providers.filter(pk=user.pk)


# --- the specialist's day and week ------------------------------------------------------------------------


@login_required
def visit_home(request):
    return redirect("services:day")


@login_required
def specialist_day(request):
    specialist = selectors.schedule_specialist(
        user=request.user, specialist_id=query_uuid(request.GET.get("specialist"))
    )
    day = _date_param(request.GET.get("date")) or timezone.localdate()
    organisation_id = request.user.active_organisation_id_checked()
    can_log = can(request.user, "visits.log", organisation_id)
    if request.method == "POST" and not can_log:
        raise NotAllowed("visits.log")
    here = _with_specialist(reverse("services:day"), specialist, request.user, date=day.isoformat())
    form = None
    if can_log:
        form = forms.QuickLogForm(
            request.POST or None,
            cases=selectors.specialist_open_cases(user=request.user, specialist=specialist),
            initial={
                "time": forms.rounded_now(),
                "status": VisitStatus.ATTENDED,
                "participants": [Participant.CHILD, Participant.MOTHER],
                **selectors.session_defaults(specialist=specialist, organisation_id=organisation_id),
            },
        )
        if request.method == "POST":
            visit = submit(
                form,
                lambda data: services.visit_log(
                    actor=request.user,
                    case=data["case"],
                    status=data["status"],
                    starts_at=forms.starts_at(day, data["time"]),
                    minutes=data["minutes"],
                    service=data["service"],
                    specialist=specialist,
                    mode=data["mode"],
                    participants=data["participants"],
                    cancellation_reason=data["cancellation_reason"],
                    note=data["note"],
                ),
            )
            if visit:
                messages.success(
                    request,
                    _("The session of case %(number)s has been logged.") % {"number": visit.case.number},
                )
                return redirect(here)
    context = {
        "specialist": specialist,
        "day": day,
        "today": timezone.localdate(),
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "entries": selectors.specialist_day(user=request.user, specialist=specialist, day=day),
        "specialists": selectors.schedule_specialists(user=request.user),
        "form": form,
        "can_log": can_log,
        "can_plan": can(request.user, "visits.plan", organisation_id),
        "here": here,
        "reasons": CancellationReason.choices,
        "week_start": day - dt.timedelta(days=day.weekday()),
        "keep": [("date", day.isoformat())],
    }
    return render(request, "services/day.html", context)


@login_required
def specialist_week(request):
    specialist = selectors.schedule_specialist(
        user=request.user, specialist_id=query_uuid(request.GET.get("specialist"))
    )
    today = timezone.localdate()
    start = _date_param(request.GET.get("start")) or today - dt.timedelta(days=today.weekday())
    days = selectors.specialist_week(user=request.user, specialist=specialist, start=start)
    context = {
        "specialist": specialist,
        "start": start,
        "end": start + dt.timedelta(days=6),
        "today": today,
        "previous_start": start - dt.timedelta(days=7),
        "next_start": start + dt.timedelta(days=7),
        "days": days,
        "specialists": selectors.schedule_specialists(user=request.user),
        "keep": [("start", start.isoformat())],
        "delivered_minutes": sum(
            e["visit"].minutes
            for _day, entries in days
            for e in entries
            if "visit" in e and e["visit"].is_delivered
        ),
    }
    return render(request, "services/week.html", context)


# --- sessions ---------------------------------------------------------------------------------------------


@login_required
def case_visits(request, case_pk):
    case = selectors.case_for_visits(user=request.user, pk=case_pk)
    audit_view(
        actor=request.user, obj=case, organisation=case.organisation_id, subject_person_id=case.person_id
    )
    page = Paginator(selectors.case_visits(case=case), 50).get_page(request.GET.get("page"))
    context = {
        "case": case,
        "page": page,
        "summary": selectors.case_visit_summary(case=case),
        "can_add": case.status in services.SERVABLE_CASE_STATUSES
        and (
            can(request.user, "visits.plan", case.organisation_id)
            or can(request.user, "visits.log", case.organisation_id)
        ),
    }
    return render(request, "services/case_visits.html", context)


@login_required
def visit_new(request):
    organisation = active_organisation_get(user=request.user)
    if not (can(request.user, "visits.plan", organisation) or can(request.user, "visits.log", organisation)):
        raise NotAllowed("visits.plan")
    case_id = query_uuid(request.GET.get("case"))
    case = selectors.case_for_visits(user=request.user, pk=case_id) if case_id else None
    specialists = _specialists_for(request.user, organisation.pk)
    initial = {
        "date": timezone.localdate(),
        "time": forms.rounded_now(),
        "status": VisitStatus.PLANNED,
        "participants": [Participant.CHILD, Participant.MOTHER],
    }
    if specialists.filter(pk=request.user.pk).exists():
        initial |= {
            "specialist": request.user.pk,
            **selectors.session_defaults(specialist=request.user, organisation_id=organisation.pk),
        }
    form = forms.VisitNewForm(
        request.POST or None,
        cases=None if case else selectors.open_cases(user=request.user),
        specialists=specialists,
        initial=initial,
    )
    if case is not None:
        form.add_goal_fields(selectors.case_plan_goals(case=case))

    def record(data):
        fields = form.service_fields()
        chosen = case or data["case"]
        if data["status"] == VisitStatus.PLANNED:
            fields.pop("cancellation_reason", None)
            return services.visit_plan(actor=request.user, case=chosen, **fields)
        return services.visit_log(actor=request.user, case=chosen, status=data["status"], **fields)

    visit = request.method == "POST" and submit(form, record)
    if visit:
        messages.success(request, _("The session has been saved."))
        return redirect("services:case_visits", visit.case_id)
    back = reverse("services:case_visits", args=[case.pk]) if case else reverse("services:day")
    title = _("New session") + (f" · {case.number}" if case else "")
    return render(
        request, "services/visit_new.html", {"form": form, "title": title, "cancel_url": back, "case": case}
    )


@login_required
def visit_detail(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    audit_view(
        actor=request.user,
        obj=visit,
        organisation=visit.organisation_id,
        subject_person_id=visit.case.person_id,
    )
    organisation_id = visit.organisation_id
    editable = visit.group_activity_id is None and visit.case.is_open
    context = {
        "visit": visit,
        "can_log": editable and can(request.user, "visits.log", organisation_id),
        "can_edit": editable
        and can(
            request.user,
            "visits.plan" if visit.status == VisitStatus.PLANNED else "visits.log",
            organisation_id,
        ),
        "reasons": CancellationReason.choices,
        "here": request.get_full_path(),
    }
    return render(request, "services/visit_detail.html", context)


@login_required
def visit_edit(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    require(
        request.user,
        "visits.plan" if visit.status == VisitStatus.PLANNED else "visits.log",
        visit.organisation_id,
    )
    local = timezone.localtime(visit.starts_at)
    form = forms.VisitFieldsForm(
        request.POST or None,
        specialists=_specialists_for(request.user, visit.organisation_id),
        initial={
            "date": local.date(),
            "time": local.time(),
            "minutes": visit.minutes,
            "service": visit.service_id,
            "specialist": visit.specialist_id,
            "profession": visit.profession_id,
            "format": visit.format,
            "mode": visit.mode,
            "participants": visit.participants,
            "cancellation_reason": visit.cancellation_reason,
            "note": visit.note,
        },
    )
    form.add_goal_fields(selectors.case_plan_goals(case=visit.case), selectors.visit_goal_notes(visit))
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.visit_update(actor=request.user, visit=visit, **form.service_fields()),
        success=_("The session has been saved."),
        done_url=reverse("services:visit_detail", args=[visit.pk]),
        title=_("Edit the session"),
    )


@login_required
def visit_log(request, pk):
    """GET: the full log form. POST: the outcome (the day page's one-click buttons post here too)."""
    visit = selectors.visit_get(user=request.user, pk=pk)
    require(request.user, "visits.log", visit.organisation_id)
    done = _next_url(request, reverse("services:visit_detail", args=[visit.pk]))
    if request.method == "POST" and request.POST.get("one_click"):
        form = forms.OneClickLogForm(request.POST)
        result = submit(
            form,
            lambda data: services.visit_log(
                actor=request.user,
                visit=visit,
                status=data["status"],
                cancellation_reason=data["cancellation_reason"],
            ),
        )
        if request.htmx:
            visit = selectors.visit_get(user=request.user, pk=pk)
            context = {"visit": visit, "can_log": True, "here": done, "reasons": CancellationReason.choices}
            if not result:
                context["errors"] = [e for errors in form.errors.values() for e in errors]
            return render(request, "services/_visit_row.html", context)
        if result:
            messages.success(request, _("The session has been logged."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect(done)
    form = forms.VisitLogForm(
        request.POST or None,
        initial={
            "status": visit.status if visit.status != VisitStatus.PLANNED else VisitStatus.ATTENDED,
            "cancellation_reason": visit.cancellation_reason,
            "minutes": visit.minutes,
            "participants": visit.participants,
            "note": visit.note,
        },
    )
    form.add_goal_fields(selectors.case_plan_goals(case=visit.case), selectors.visit_goal_notes(visit))
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.visit_log(actor=request.user, visit=visit, **form.service_fields()),
        success=_("The session has been logged."),
        done_url=done,
        title=_("How did the session go?"),
    )


# --- group activities -------------------------------------------------------------------------------------


@login_required
def group_list(request):
    kind = request.GET.get("kind") or None
    if kind not in GroupActivityKind.values:
        kind = None
    activities = selectors.group_activity_list(user=request.user, kind=kind).order_by("-starts_at", "id")
    context = {
        "page": quick_page(activities, request.GET.get("page")),
        "kind": kind,
        "kinds": GroupActivityKind.choices,
        "can_manage": can(request.user, "groups.manage"),
    }
    return render(request, "services/group_list.html", context)


@login_required
def group_new(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "groups.manage", organisation)
    form = forms.GroupActivityForm(
        request.POST or None,
        members=selectors.organisation_providers(user=request.user),
        cases=selectors.open_cases(user=request.user),
        partnerships=selectors.own_partnerships(user=request.user),
        initial={"date": timezone.localdate(), "time": dt.time(11, 0), "facilitators": [request.user.pk]},
    )
    activity = request.method == "POST" and submit(
        form,
        lambda data: services.group_activity_create(
            actor=request.user, organisation=organisation, **form.service_fields()
        ),
    )
    if activity:
        messages.success(request, _("The group activity has been saved."))
        return redirect("services:group_detail", activity.pk)
    return render(
        request,
        "web/form.html",
        {"form": form, "title": _("New group activity"), "cancel_url": reverse("services:group_list")},
    )


@login_required
def group_detail(request, pk):
    activity = selectors.group_activity_get(user=request.user, pk=pk)
    can_manage = can(request.user, "groups.manage", activity.organisation_id)
    if request.method == "POST" and not can_manage:
        raise NotAllowed("groups.manage")
    participants = list(selectors.group_participants(activity=activity))
    may_record = (
        activity.status != GroupActivityStatus.CANCELLED
        and timezone.localtime(activity.starts_at).date() <= timezone.localdate()
    )
    form = None
    if can_manage and may_record:
        form = forms.AttendanceForm(
            request.POST or None, participants=participants, others_count=activity.others_count
        )
        if request.method == "POST" and submit(
            form,
            lambda data: services.group_activity_set_attendance(
                actor=request.user,
                activity=activity,
                attended=data["attended"],
                others_count=data["others_count"],
            ),
        ):
            messages.success(request, _("The attendance has been saved."))
            return redirect("services:group_detail", activity.pk)
    elif request.method == "POST":
        messages.error(request, _("Attendance can be recorded once the activity has taken place."))
        return redirect("services:group_detail", activity.pk)
    context = {
        "activity": activity,
        "participants": participants,
        "form": form,
        "can_manage": can_manage,
        "served": selectors.group_served_count(activity=activity),
    }
    return render(request, "services/group_detail.html", context)


@login_required
def group_edit(request, pk):
    activity = selectors.group_activity_get(user=request.user, pk=pk)
    require(request.user, "groups.manage", activity.organisation_id)
    local = timezone.localtime(activity.starts_at)
    participant_ids = list(activity.participants.values_list("case_id", flat=True))
    form = forms.GroupActivityForm(
        request.POST or None,
        members=selectors.organisation_providers(user=request.user),
        cases=selectors.group_case_choices(user=request.user, activity=activity),
        partnerships=selectors.own_partnerships(user=request.user),
        with_status=activity.status != GroupActivityStatus.HELD,
        initial={
            "kind": activity.kind,
            "topic": activity.topic,
            "service": activity.service_id,
            "date": local.date(),
            "time": local.time(),
            "minutes": activity.minutes,
            "mode": activity.mode,
            "facilitators": [u.pk for u in activity.facilitators.all()],
            "cases": participant_ids,
            "others_count": activity.others_count,
            "partnership": activity.partnership_id,
            "note": activity.note,
            "status": activity.status,
        },
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.group_activity_update(
            actor=request.user, activity=activity, **form.service_fields()
        ),
        success=_("The group activity has been saved."),
        done_url=reverse("services:group_detail", args=[activity.pk]),
        title=_("Edit the group activity"),
    )
