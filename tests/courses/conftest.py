"""A school for adoptive parents at the Almaty centre, with sessions in past weeks and its participants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.courses.services import course_create, course_enrol, course_session_add
from tirek.people.services import person_register


def register(cast, surname: str, given_name: str, organisation=None):
    organisation = organisation or cast.almaty
    actor = cast.coordinator_b if organisation == cast.shymkent else cast.coordinator_a
    return person_register(
        actor=actor,
        organisation=organisation,
        surname=surname,
        given_name=given_name,
        sex="female",
        birth_date=dt.date(1990, 5, 17),
        iin_missing_reason="unknown",
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def person(cast):
    return register(cast, "Ахметова", "Әлия")


@pytest.fixture
def make_person(cast):
    """make_person(surname, given_name, organisation=None): another person the organisation serves."""
    return lambda surname, given_name, organisation=None: register(cast, surname, given_name, organisation)


@pytest.fixture
def course(cast, today):
    """A running course requiring two of its three past sessions."""
    course = course_create(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        title="Асырап алушы ата-аналар мектебі",
        kind="adoptive_parents_school",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        sessions_required=2,
        status="running",
        facilitators=[cast.specialist_a],
    )
    for days_ago, topic in ((21, "Баланың бейімделуі"), (14, "Тәрбие негіздері"), (7, "Құқықтық негіздер")):
        course_session_add(
            actor=cast.coordinator_a,
            course=course,
            starts_at=timezone.make_aware(
                dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(18, 0))
            ),
            minutes=120,
            topic=topic,
        )
    return course


@pytest.fixture
def enrolment(cast, course, person, today):
    return course_enrol(
        actor=cast.coordinator_a, course=course, person=person, enrolled_on=today - dt.timedelta(days=25)
    )


@pytest.fixture
def sessions(course):
    return list(course.sessions.order_by("starts_at"))
