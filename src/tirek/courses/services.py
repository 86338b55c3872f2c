"""Writes of courses: the course and its sessions, enrolment, attendance, completion (an outcome) and
dropping out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tirek.accounts.models import Membership, User
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record
from tirek.audit.writes import create_audited, update_audited
from tirek.core.scoping import require
from tirek.courses.choices import OPEN_COURSE_STATUSES, EnrolmentStatus
from tirek.courses.models import Course, CourseAttendance, CourseEnrolment, CourseSession
from tirek.people.models import Person, PersonAccess
from tirek.support.choices import OutcomeKind
from tirek.support.services import outcome_record

COURSE_FIELDS = ("title", "kind", "service", "starts_on", "ends_on", "sessions_required", "status", "note")


def _check_facilitators(organisation_id, facilitators: list[User]) -> None:
    members = set(
        Membership.objects.filter(
            organisation_id=organisation_id, is_active=True, user__in=facilitators
        ).values_list("user_id", flat=True)
    )
    if any(user.pk not in members for user in facilitators):
        raise ValidationError({"facilitators": _("Facilitators must be active members of the organisation.")})


def _ids(users: Iterable[User]) -> list[str]:
    return sorted(str(user.pk) for user in users)


def course_create(*, actor, organisation, facilitators: Iterable[User] = (), **fields: Any) -> Course:
    """Plan a course of `organisation` with its facilitators."""
    organisation_id = getattr(organisation, "pk", organisation)
    require(actor, "courses.manage", organisation_id)
    facilitators = list(facilitators)
    _check_facilitators(organisation_id, facilitators)
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    course = Course(
        organisation_id=organisation_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: "" if value is None and name == "note" else value for name, value in fields.items()},
    )
    course.full_clean()
    with transaction.atomic():
        course.save()
        course.facilitators.set(facilitators)
        audit_created(actor=actor, obj=course, organisation=organisation_id)
        if facilitators:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=course,
                organisation=organisation_id,
                changes={"facilitators": [None, _ids(facilitators)]},
            )
    return course


def course_update(
    *, actor, course: Course, facilitators: Iterable[User] | None = None, **fields: Any
) -> Course:
    """Change a course's details, facilitators or status (planned, running, finished, cancelled)."""
    require(actor, "courses.manage", course.organisation_id)
    fields = {name: "" if value is None and name == "note" else value for name, value in fields.items()}
    if facilitators is None:
        return update_audited(
            actor=actor,
            instance=course,
            data=fields,
            fields=COURSE_FIELDS,
            organisation=course.organisation_id,
        )
    facilitators = list(facilitators)
    _check_facilitators(course.organisation_id, facilitators)
    old = _ids(course.facilitators.all())
    with transaction.atomic():
        update_audited(
            actor=actor,
            instance=course,
            data=fields,
            fields=COURSE_FIELDS,
            organisation=course.organisation_id,
        )
        if old != _ids(facilitators):
            course.facilitators.set(facilitators)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=course,
                organisation=course.organisation_id,
                changes={"facilitators": [old, _ids(facilitators)]},
            )
    return course


def course_session_add(
    *, actor, course: Course, starts_at: dt.datetime, minutes: int, topic: str
) -> CourseSession:
    """Add a meeting to a course, within the course's dates."""
    require(actor, "courses.manage", course.organisation_id)
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    day = timezone.localtime(starts_at).date()
    if day < course.starts_on or (course.ends_on and day > course.ends_on):
        raise ValidationError({"starts_at": _("The session must fall within the course's dates.")})
    session = CourseSession(course=course, starts_at=starts_at, minutes=minutes, topic=topic)
    return create_audited(actor=actor, instance=session, organisation=course.organisation_id)


def course_enrol(
    *, actor, course: Course, person: Person, enrolled_on: dt.date | None = None
) -> CourseEnrolment:
    """Enrol a person the organisation knows (registered, served, referred) in a planned or running course."""
    require(actor, "courses.manage", course.organisation_id)
    if course.status not in OPEN_COURSE_STATUSES:
        raise ValidationError({"person": _("The course takes no more participants.")})
    if not PersonAccess.objects.filter(organisation_id=course.organisation_id, person_id=person.pk).exists():
        raise ValidationError({"person": _("Choose a person your organisation serves.")})
    if CourseEnrolment.objects.filter(course=course, person=person).exists():
        raise ValidationError({"person": _("This person is already enrolled in the course.")})
    enrolled_on = enrolled_on or timezone.localdate()
    if enrolled_on > timezone.localdate():
        raise ValidationError({"enrolled_on": _("The date cannot be in the future.")})
    enrolment = CourseEnrolment(course=course, person=person, enrolled_on=enrolled_on)
    return create_audited(
        actor=actor, instance=enrolment, organisation=course.organisation_id, subject_person_id=person.pk
    )


def course_set_attendance(*, actor, session: CourseSession, present: Iterable[Any]) -> CourseSession:
    """Record who came to a session: `present` are the participants (enrolments or their ids) who attended;
    everyone else was absent."""
    course = session.course
    require(actor, "courses.manage", course.organisation_id)
    if timezone.localtime(session.starts_at).date() > timezone.localdate():
        raise ValidationError({"present": _("Attendance can be recorded once the session has taken place.")})
    wanted = {str(getattr(item, "pk", item)) for item in present}
    enrolments = {str(pk) for pk in course.enrolments.values_list("pk", flat=True)}
    if wanted - enrolments:
        raise ValidationError({"present": _("Only the course's participants can be marked present.")})
    before = {str(pk) for pk in session.attendance.values_list("enrolment_id", flat=True)}
    if before == wanted:
        return session
    with transaction.atomic():
        session.attendance.filter(enrolment_id__in=before - wanted).delete()
        CourseAttendance.objects.bulk_create(
            [CourseAttendance(session=session, enrolment_id=pk) for pk in sorted(wanted - before)]
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=session,
            organisation=course.organisation_id,
            changes={"present": [sorted(before), sorted(wanted)]},
            note="attendance",
        )
    return session


def _check_leaving(enrolment: CourseEnrolment, day: dt.date, field: str) -> None:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError({field: _("The participant has already completed or left the course.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if day < enrolment.enrolled_on:
        raise ValidationError({field: _("The date cannot come before the enrolment.")})


def course_complete_enrolment(
    *, actor, enrolment: CourseEnrolment, completed_on: dt.date | None = None, override_reason: str = ""
) -> CourseEnrolment:
    """Mark that a participant completed the course; records the outcome "course completed" for the person.

    A course that requires a number of sessions is completed only by those who attended them, unless an
    explicit reason is given (kept on the participant and in the audit trail)."""
    course = enrolment.course
    require(actor, "courses.manage", course.organisation_id)
    completed_on = completed_on or timezone.localdate()
    _check_leaving(enrolment, completed_on, "completed_on")
    attended = enrolment.attendance.count()
    override_reason = (override_reason or "").strip()
    if course.sessions_required and attended < course.sessions_required and not override_reason:
        raise ValidationError(
            {
                "override_reason": ngettext(
                    "Attended %(attended)s of the %(required)s session required; give a reason to complete "
                    "the course anyway.",
                    "Attended %(attended)s of the %(required)s sessions required; give a reason to complete "
                    "the course anyway.",
                    course.sessions_required,
                )
                % {"attended": attended, "required": course.sessions_required}
            }
        )
    with transaction.atomic():
        outcome = outcome_record(
            actor=actor,
            organisation=course.organisation,
            person=enrolment.person,
            kind=OutcomeKind.COURSE_COMPLETED,
            happened_on=completed_on,
            note=course.title,
            check_permission=False,
        )
        data = {"status": EnrolmentStatus.COMPLETED, "completed_on": completed_on, "outcome": outcome}
        if override_reason:
            data["note"] = override_reason
        update_audited(
            actor=actor,
            instance=enrolment,
            data=data,
            fields=data,
            organisation=course.organisation_id,
            subject_person_id=enrolment.person_id,
        )
    return enrolment


def course_drop(
    *, actor, enrolment: CourseEnrolment, dropped_on: dt.date | None = None, reason: str = ""
) -> CourseEnrolment:
    """Record that a participant left the course without completing it."""
    course = enrolment.course
    require(actor, "courses.manage", course.organisation_id)
    dropped_on = dropped_on or timezone.localdate()
    _check_leaving(enrolment, dropped_on, "dropped_on")
    data = {"status": EnrolmentStatus.DROPPED_OUT, "dropped_on": dropped_on, "note": (reason or "").strip()}
    return update_audited(
        actor=actor,
        instance=enrolment,
        data=data,
        fields=data,
        organisation=course.organisation_id,
        subject_person_id=enrolment.person_id,
    )
