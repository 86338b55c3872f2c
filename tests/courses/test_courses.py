"""Courses: enrolment, attendance, and completion, which records the outcome "course completed"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.core.errors import NotAllowed
from tirek.courses.models import CourseAttendance
from tirek.courses.services import (
    course_complete_enrolment,
    course_create,
    course_drop,
    course_enrol,
    course_session_add,
    course_set_attendance,
    course_update,
)
from tirek.support.models import Outcome


def test_attendance_is_recorded_per_session_and_replaced_by_the_next_save(
    cast, enrolment, make_person, course, sessions
):
    other = course_enrol(actor=cast.specialist_a, course=course, person=make_person("Бекова", "Дана"))
    course_set_attendance(actor=cast.specialist_a, session=sessions[0], present=[enrolment, other])
    course_set_attendance(actor=cast.specialist_a, session=sessions[0], present=[str(other.pk)])
    assert set(CourseAttendance.objects.values_list("session_id", "enrolment_id")) == {
        (sessions[0].pk, other.pk)
    }
    event = AuditEvent.objects.filter(object_id=str(sessions[0].pk), note="attendance").latest("id")
    assert event.changes["present"] == [sorted([str(enrolment.pk), str(other.pk)]), [str(other.pk)]]


def test_only_participants_of_the_course_can_be_marked_present(cast, course, sessions, make_person, today):
    second = course_create(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        title="Басқа курс",
        kind="parenting",
        starts_on=today - dt.timedelta(days=5),
    )
    stranger = course_enrol(actor=cast.coordinator_a, course=second, person=make_person("Сейітова", "Жанар"))
    with pytest.raises(ValidationError) as error:
        course_set_attendance(actor=cast.coordinator_a, session=sessions[0], present=[stranger])
    assert "present" in error.value.message_dict


def test_attendance_waits_for_the_session(cast, course, enrolment, today):
    future = course_session_add(
        actor=cast.coordinator_a,
        course=course,
        starts_at=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=3), dt.time(18))),
        minutes=90,
        topic="Келесі сабақ",
    )
    with pytest.raises(ValidationError):
        course_set_attendance(actor=cast.coordinator_a, session=future, present=[enrolment])


def test_a_session_falls_within_the_course(cast, course, today):
    with pytest.raises(ValidationError) as error:
        course_session_add(
            actor=cast.coordinator_a,
            course=course,
            starts_at=timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=60), dt.time(18))),
            minutes=90,
            topic="Ерте",
        )
    assert "starts_at" in error.value.message_dict


def test_completion_creates_the_outcome_course_completed(cast, course, enrolment, sessions, today):
    course_set_attendance(actor=cast.specialist_a, session=sessions[0], present=[enrolment])
    course_set_attendance(actor=cast.specialist_a, session=sessions[1], present=[enrolment])
    course_complete_enrolment(actor=cast.specialist_a, enrolment=enrolment, completed_on=today)
    enrolment.refresh_from_db()
    outcome = Outcome.objects.get()
    assert (enrolment.status, enrolment.completed_on, enrolment.outcome) == ("completed", today, outcome)
    assert (outcome.kind, outcome.person_id, outcome.organisation_id) == (
        "course_completed",
        enrolment.person_id,
        cast.almaty.pk,
    )
    assert outcome.happened_on == today and outcome.note == course.title
    assert AuditEvent.objects.filter(
        object_id=str(enrolment.pk), action="update", subject_person_id=enrolment.person_id
    ).exists()
    assert AuditEvent.objects.filter(object_id=str(outcome.pk), action="create").exists()


def test_completion_without_the_required_attendance_is_refused_unless_a_reason_is_given(
    cast, enrolment, sessions
):
    course_set_attendance(actor=cast.specialist_a, session=sessions[0], present=[enrolment])
    with pytest.raises(ValidationError) as error:
        course_complete_enrolment(actor=cast.specialist_a, enrolment=enrolment)
    assert "override_reason" in error.value.message_dict
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled" and not Outcome.objects.exists()
    course_complete_enrolment(
        actor=cast.specialist_a, enrolment=enrolment, override_reason="Сабақтарды жеке өтті"
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.note == "Сабақтарды жеке өтті"
    assert Outcome.objects.count() == 1


def test_a_participant_completes_once(cast, enrolment):
    course_complete_enrolment(actor=cast.specialist_a, enrolment=enrolment, override_reason="Себеп")
    with pytest.raises(ValidationError):
        course_complete_enrolment(actor=cast.specialist_a, enrolment=enrolment, override_reason="Себеп")
    assert Outcome.objects.count() == 1


def test_dropping_out_records_no_outcome(cast, enrolment, today):
    course_drop(actor=cast.coordinator_a, enrolment=enrolment, reason="Көшіп кетті")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.dropped_on, enrolment.note) == ("dropped_out", today, "Көшіп кетті")
    assert not Outcome.objects.exists()
    with pytest.raises(ValidationError):
        course_complete_enrolment(actor=cast.specialist_a, enrolment=enrolment, override_reason="Себеп")


def test_only_persons_the_organisation_serves_are_enrolled_and_once(cast, course, enrolment, make_person):
    foreign = make_person("Бекова", "Аяла", organisation=cast.shymkent)
    with pytest.raises(ValidationError) as error:
        course_enrol(actor=cast.coordinator_a, course=course, person=foreign)
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError):
        course_enrol(actor=cast.coordinator_a, course=course, person=enrolment.person)


def test_a_finished_course_takes_no_participants(cast, course, make_person):
    course_update(actor=cast.coordinator_a, course=course, status="finished")
    with pytest.raises(ValidationError):
        course_enrol(actor=cast.coordinator_a, course=course, person=make_person("Бекова", "Дана"))


def test_facilitators_are_members(cast, course):
    with pytest.raises(ValidationError) as error:
        course_update(actor=cast.coordinator_a, course=course, facilitators=[cast.specialist_b])
    assert "facilitators" in error.value.message_dict
    course_update(actor=cast.coordinator_a, course=course, facilitators=[cast.specialist_a, cast.manager_a])
    event = AuditEvent.objects.filter(object_id=str(course.pk), action="update").latest("id")
    assert len(event.changes["facilitators"][1]) == 2


def test_roles_and_organisations_without_the_capability_are_refused(cast, course, enrolment, sessions):
    analyst_like = cast.analyst
    for actor in (analyst_like, cast.manager_b):
        with pytest.raises(NotAllowed):
            course_set_attendance(actor=actor, session=sessions[0], present=[])
        with pytest.raises(NotAllowed):
            course_complete_enrolment(actor=actor, enrolment=enrolment, override_reason="x")
        with pytest.raises(NotAllowed):
            course_update(actor=actor, course=course, title="x")
