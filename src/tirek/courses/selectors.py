"""Reads of courses, always starting from what the user may see: their organisation's courses (every
organisation's for administrators); another organisation's course is not found."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import User
from tirek.core.scoping import get_visible_or_404
from tirek.courses.choices import EnrolmentStatus
from tirek.courses.models import Course, CourseAttendance, CourseEnrolment, CourseSession
from tirek.people.models import Person, PersonAccess
from tirek.people.selectors import person_search


def course_list(*, user, status: str | None = None, kind: str | None = None) -> QuerySet[Course]:
    courses = (
        Course.objects.visible_to(user)
        .select_related("organisation", "service")
        .prefetch_related("facilitators")
        .annotate(
            session_count=Count("sessions", distinct=True),
            participant_count=Count("enrolments", distinct=True),
            completed_count=Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED), distinct=True
            ),
        )
    )
    if status:
        courses = courses.filter(status=status)
    if kind:
        courses = courses.filter(kind=kind)
    return courses.order_by("-starts_on", "title", "id")


def course_get(*, user, pk) -> Course:
    return get_visible_or_404(
        Course.objects.select_related("organisation", "service", "created_by").prefetch_related(
            "facilitators"
        ),
        user,
        pk=pk,
    )


def course_sessions(*, course: Course) -> QuerySet[CourseSession]:
    """The course's sessions in time order, with their attendance and how many were present."""
    return (
        course.sessions.prefetch_related("attendance")
        .annotate(present_count=Count("attendance"))
        .order_by("starts_at", "id")
    )


def course_enrolments(*, course: Course) -> QuerySet[CourseEnrolment]:
    """The participants, with the number of sessions each attended."""
    return (
        course.enrolments.select_related("person", "outcome")
        .annotate(attended=Count("attendance"))
        .order_by("person__surname", "person__given_name", "id")
    )


def attendance_grid(*, course: Course) -> dict:
    """Sessions × participants: {"sessions": [...], "rows": [(enrolment, [present?, …])]} in three queries."""
    sessions = list(course_sessions(course=course))
    today = timezone.localdate()
    for session in sessions:
        session.has_taken_place = timezone.localtime(session.starts_at).date() <= today
    enrolments = list(course_enrolments(course=course))
    present = {(a.session_id, a.enrolment_id) for s in sessions for a in s.attendance.all()}
    rows = [(e, [(s.pk, e.pk) in present for s in sessions]) for e in enrolments]
    return {"sessions": sessions, "rows": rows}


def session_get(*, user, pk) -> CourseSession:
    return get_visible_or_404(
        CourseSession.objects.select_related("course", "course__organisation"), user, pk=pk
    )


def enrolment_get(*, user, pk) -> CourseEnrolment:
    return get_visible_or_404(
        CourseEnrolment.objects.select_related("course", "course__organisation", "person", "outcome"),
        user,
        pk=pk,
    )


def session_enrolments(*, session: CourseSession) -> QuerySet[CourseEnrolment]:
    """Who may be marked present at a session: the course's participants, but for those who had dropped out
    before it (unless they were marked present)."""
    day = timezone.localtime(session.starts_at).date()
    present = CourseAttendance.objects.filter(session=session).values("enrolment_id")
    return (
        session.course.enrolments.filter(
            Q(dropped_on__isnull=True) | Q(dropped_on__gte=day) | Q(pk__in=present)
        )
        .select_related("person")
        .order_by("person__surname", "person__given_name", "id")
    )


def session_present_ids(*, session: CourseSession) -> list[str]:
    return [str(pk) for pk in session.attendance.values_list("enrolment_id", flat=True)]


def enrolment_candidates(*, user, course: Course, query: str = "") -> QuerySet[Person]:
    """Persons the course's organisation may see and who are not enrolled yet; found by `query` when given."""
    persons = Person.objects.filter(
        merged_into__isnull=True,
        pk__in=PersonAccess.objects.filter(organisation_id=course.organisation_id).values("person_id"),
    ).exclude(pk__in=course.enrolments.values("person_id"))
    if query:
        persons = persons.filter(pk__in=person_search(user=user, query=query).values("pk"))
    return persons.order_by("surname", "given_name", "patronymic")


def course_facilitator_choices(*, organisation_id) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True, memberships__organisation_id=organisation_id, memberships__is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def course_person_get(*, course: Course, pk) -> Person:
    """A person the course's organisation may see; a field error otherwise (missing and foreign alike)."""
    person = Person.objects.filter(
        pk=pk,
        merged_into__isnull=True,
        pk__in=PersonAccess.objects.filter(organisation_id=course.organisation_id).values("person_id"),
    ).first()
    if person is None:
        raise ValidationError({"person": _("Choose a person your organisation serves.")})
    return person


def course_with_participants(*, user, pk) -> Course:
    """A course with its sessions (and who was present) and its participants (and how many sessions each
    attended), read in a fixed number of queries."""
    return get_visible_or_404(
        Course.objects.select_related("organisation", "service").prefetch_related(
            "facilitators",
            Prefetch("sessions", queryset=CourseSession.objects.prefetch_related("attendance")),
            Prefetch(
                "enrolments",
                queryset=CourseEnrolment.objects.select_related("person").annotate(
                    attended=Count("attendance")
                ),
            ),
        ),
        user,
        pk=pk,
    )


def course_session_of(*, course: Course, pk) -> CourseSession:
    """A session of `course`; a field error otherwise."""
    session = course.sessions.filter(pk=pk).select_related("course").first()
    if session is None:
        raise ValidationError({"session": _("Choose a session of this course.")})
    return session


def course_enrolment_of(*, course: Course, pk) -> CourseEnrolment:
    """A participant of `course`; a field error otherwise."""
    enrolment = course.enrolments.filter(pk=pk).select_related("course__organisation", "person").first()
    if enrolment is None:
        raise ValidationError({"enrolment": _("Choose a participant of this course.")})
    return enrolment
