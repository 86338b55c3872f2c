"""Pages of courses: parse, make one call, render."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.core.forms import submit
from tirek.core.paging import quick_page
from tirek.core.scoping import can, require
from tirek.core.views import service_form_page
from tirek.courses import forms, selectors, services
from tirek.courses.choices import OPEN_COURSE_STATUSES, CourseKind, CourseStatus, EnrolmentStatus
from tirek.directory.selectors import active_organisation_get

SEARCH_RESULTS = 100


@login_required
def course_list(request):
    status = request.GET.get("status") if request.GET.get("status") in CourseStatus.values else None
    kind = request.GET.get("kind") if request.GET.get("kind") in CourseKind.values else None
    courses = selectors.course_list(user=request.user, status=status, kind=kind)
    context = {
        "page": quick_page(courses, request.GET.get("page")),
        "status": status,
        "statuses": CourseStatus.choices,
        "can_manage": can(request.user, "courses.manage"),
    }
    return render(request, "courses/course_list.html", context)


@login_required
def course_new(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "courses.manage", organisation)
    form = forms.CourseForm(
        request.POST or None,
        members=selectors.course_facilitator_choices(organisation_id=organisation.pk),
        initial={"starts_on": timezone.localdate(), "facilitators": [request.user.pk]},
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.course_create(
            actor=request.user, organisation=organisation, **form.service_fields()
        ),
        success=_("The course has been saved."),
        done_url=reverse("courses:list"),
        title=_("New course"),
    )


@login_required
def course_detail(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    context = {
        "course": course,
        "grid": selectors.attendance_grid(course=course),
        "can_manage": can(request.user, "courses.manage", course.organisation_id),
        "is_open": course.status in OPEN_COURSE_STATUSES,
        "today": timezone.localdate(),
        "enrolled": EnrolmentStatus.ENROLLED,
    }
    return render(request, "courses/course_detail.html", context)


@login_required
def course_edit(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    require(request.user, "courses.manage", course.organisation_id)
    # A copy: the form writes what was typed into its instance; the service audits against the stored one.
    form = forms.CourseForm(
        request.POST or None,
        instance=copy.copy(course),
        members=selectors.course_facilitator_choices(organisation_id=course.organisation_id),
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.course_update(
            actor=request.user, course=course, **form.service_fields()
        ),
        success=_("The course has been saved."),
        done_url=reverse("courses:detail", args=[course.pk]),
        title=course.title,
    )


@login_required
def session_new(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    require(request.user, "courses.manage", course.organisation_id)
    form = forms.CourseSessionForm(request.POST or None, initial={"date": timezone.localdate()})
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.course_session_add(
            actor=request.user, course=course, **form.service_fields()
        ),
        success=_("The session has been added."),
        done_url=reverse("courses:detail", args=[course.pk]),
        title=_("New session · %(course)s") % {"course": course.title},
    )


@login_required
def session_attendance(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    require(request.user, "courses.manage", session.course.organisation_id)
    form = forms.AttendanceForm(
        request.POST or None,
        enrolments=selectors.session_enrolments(session=session),
        present=selectors.session_present_ids(session=session),
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.course_set_attendance(
            actor=request.user, session=session, present=data["present"]
        ),
        success=_("The attendance has been saved."),
        done_url=reverse("courses:detail", args=[session.course_id]),
        title=_("Who attended: %(topic)s, %(day)s")
        % {"topic": session.topic, "day": timezone.localtime(session.starts_at).strftime("%d.%m.%Y")},
    )


@login_required
def enrol(request, pk):
    course = selectors.course_get(user=request.user, pk=pk)
    require(request.user, "courses.manage", course.organisation_id)
    query = " ".join(request.GET.get("q", "").split())[:100]
    persons = selectors.enrolment_candidates(user=request.user, course=course, query=query)
    form = forms.EnrolmentForm(
        request.POST or None, persons=persons, initial={"enrolled_on": timezone.localdate()}
    )
    if request.method == "POST" and submit(
        form, lambda data: services.course_enrol(actor=request.user, course=course, **data)
    ):
        messages.success(request, _("The participant has been enrolled."))
        return redirect("courses:detail", course.pk)
    # The choice lists the first matches only; the search narrows them (validation used them all).
    form.fields["person"].queryset = persons[:SEARCH_RESULTS]
    context = {
        "form": form,
        "course": course,
        "query": query,
        "title": _("Enrol in %(course)s") % {"course": course.title},
        "cancel_url": reverse("courses:detail", args=[course.pk]),
    }
    return render(request, "courses/enrol.html", context)


@login_required
def enrolment_complete(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    require(request.user, "courses.manage", enrolment.course.organisation_id)
    form = forms.CompletionForm(request.POST or None, initial={"completed_on": timezone.localdate()})
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.course_complete_enrolment(
            actor=request.user, enrolment=enrolment, **data
        ),
        success=_("The course is completed: the outcome has been recorded."),
        done_url=reverse("courses:detail", args=[enrolment.course_id]),
        title=_("%(person)s completed %(course)s")
        % {"person": enrolment.person.full_name, "course": enrolment.course.title},
    )


@login_required
def enrolment_drop(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    require(request.user, "courses.manage", enrolment.course.organisation_id)
    form = forms.DropForm(request.POST or None, initial={"dropped_on": timezone.localdate()})
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.course_drop(actor=request.user, enrolment=enrolment, **data),
        success=_("The participant has left the course."),
        done_url=reverse("courses:detail", args=[enrolment.course_id]),
        title=_("%(person)s left %(course)s")
        % {"person": enrolment.person.full_name, "course": enrolment.course.title},
    )
