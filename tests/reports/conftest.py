"""A fictional centre-year, built event by event through the services, in a past calendar year (Y):

Almaty centre (Kenes):
  P1 girl born (Y-1)-03-10, case C1 opened Y-01-15; sessions 10.03 and 17.03 attended, 24.03 cancelled,
     31.03 no-show; attended the seminar of 10.07 (a group session); referred to Shymkent on 25.03.
  P2 boy born (Y-2)-06-01, case C2 opened Y-02-01; a home session on 31.05 at 23:30 local time; referred to
     Shymkent on 01.06; case closed 30.09 (moved away, destination none); his family got food packages on
     01.08 and 01.09.
  P3 boy born (Y-1)-12-31, case C3 opened Y-03-01; sessions 30.12 (aged 0) and 31.12 at 23:30 (aged 1);
     invited to the seminar but did not come.
  P4 mother born (Y-30)-01-20, case C4 opened Y-05-02 (eligibility override); a video session on 10.06; a
     housing appeal received 10.02, resolved 01.03; a hygiene kit on 15.08; an outcome "job found" 01.10.
  A legal-help appeal by phone, anonymous-free (P1), received 30.11 at 23:30.
  A seminar held 10.07 (C1 came, C3 did not), a training planned and never held.
  P1's outcome "returned to the birth family" on 01.10.
Shymkent unit (Kamkorlyk):
  accepts P1's referral on 01.04 (7 days) → case C5, a session 05.04; accepts P2's on 04.06 (3 days) → C6.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from tirek.cases.services import case_close, case_open
from tirek.catalog.models import ClosureReason, Service
from tirek.people.services import family_create, person_register
from tirek.referrals.services import referral_accept, referral_send
from tirek.services.services import group_activity_create, group_activity_set_attendance, visit_log
from tirek.support.services import aid_distribute, appeal_register, appeal_resolve, outcome_record

# A fixed past year; the records are made as if it were early the next year (appeals older than a year cannot
# be registered, a session cannot be logged ahead of time).
Y = 2024
BUILT_AT = dt.datetime(Y + 1, 1, 10, 12, 0, tzinfo=dt.UTC)


def d(month: int, day: int, year: int = Y) -> dt.date:
    return dt.date(year, month, day)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(Y, month, day, hour, minute))


@pytest.fixture
def year() -> int:
    return Y


@pytest.fixture
def centre_year(cast):
    with mock.patch("django.utils.timezone.now", return_value=BUILT_AT):
        return _build(cast)


def _build(cast):
    a, b = cast.coordinator_a, cast.coordinator_b
    speech = Service.objects.get(code="speech_therapy_session")

    def person(surname, given, sex, born):
        return person_register(
            actor=a,
            organisation=cast.almaty,
            surname=surname,
            given_name=given,
            sex=sex,
            birth_date=born,
            iin_missing_reason="newborn" if born.year >= Y - 2 else "unknown",
        )

    p1 = person("Сейтова", "Аружан", "female", d(3, 10, Y - 1))
    p2 = person("Нұрланов", "Ерасыл", "male", d(6, 1, Y - 2))
    p3 = person("Қасымов", "Темірлан", "male", d(12, 31, Y - 1))
    p4 = person("Қасымова", "Гүлмира", "female", d(1, 20, Y - 30))

    def case(p, opened, **extra):
        return case_open(
            actor=extra.pop("actor", a),
            organisation=cast.almaty,
            person=p,
            programme=cast.programme_a,
            referral_source="polyclinic",
            opened_on=opened,
            **extra,
        )

    c1 = case(p1, d(1, 15))
    c2 = case(p2, d(2, 1))
    c3 = case(p3, d(3, 1))
    c4 = case(p4, d(5, 2), actor=cast.manager_a, override_reason="Анасы өзі кеңес алады.")

    def log(c, when, status="attended", specialist=None, **extra):
        return visit_log(
            actor=a,
            case=c,
            status=status,
            starts_at=when,
            minutes=30,
            service=speech,
            specialist=specialist or cast.specialist_a,
            **extra,
        )

    log(c1, at(3, 10))
    log(c1, at(3, 17))
    log(c1, at(3, 24), status="cancelled", cancellation_reason="child_ill")
    log(c1, at(3, 31), status="no_show", cancellation_reason="no_notice")
    log(c2, at(5, 31, 23, 30), mode="home")
    log(c3, at(12, 30))
    log(c3, at(12, 31, 23, 30))
    log(c4, at(6, 10), mode="video", participants=["mother"])

    seminar = group_activity_create(
        actor=a,
        organisation=cast.almaty,
        kind="seminar",
        topic="Ерте даму",
        service=Service.objects.get(code="group_class"),
        starts_at=at(7, 10),
        minutes=60,
        facilitators=[cast.specialist_a],
        cases=[c1, c3],
    )
    group_activity_set_attendance(actor=a, activity=seminar, attended=[c1])
    group_activity_create(
        actor=a,
        organisation=cast.almaty,
        kind="training",
        topic="Жоспарланған",
        service=Service.objects.get(code="group_class"),
        starts_at=at(8, 20),
        minutes=60,
        facilitators=[cast.specialist_a],
    )

    sent_1 = referral_send(
        actor=cast.manager_a,
        organisation=cast.almaty,
        to_organisation=cast.shymkent,
        from_case=c1,
        reason="Отбасы Шымкентке көшеді.",
        consent_override_reason="Анасы ауызша келісті.",
        at=at(3, 25),
    )
    sent_2 = referral_send(
        actor=cast.manager_a,
        organisation=cast.almaty,
        to_organisation=cast.shymkent,
        from_case=c2,
        reason="Отбасы Шымкентке көшеді.",
        consent_override_reason="Анасы ауызша келісті.",
        at=at(6, 1),
    )
    c5 = referral_accept(actor=b, referral=sent_1, programme=cast.programme_b, at=at(4, 1)).to_case
    c6 = referral_accept(actor=b, referral=sent_2, programme=cast.programme_b, at=at(6, 4)).to_case
    visit_log(
        actor=b,
        case=c5,
        status="attended",
        starts_at=at(4, 5),
        minutes=45,
        service=speech,
        specialist=cast.specialist_b,
    )
    case_close(
        actor=a,
        case=c2,
        reason=ClosureReason.objects.get(code="moved"),
        destination="none",
        closed_on=d(9, 30),
    )

    housing = appeal_register(
        actor=a,
        organisation=cast.almaty,
        person=p4,
        category="housing",
        channel="walk_in",
        text="Пәтер кезегі.",
        received_at=at(2, 10),
    )
    appeal_resolve(
        actor=a, appeal=housing, resolution="Құжаттар жиналды.", result="satisfied", closed_on=d(3, 1)
    )
    appeal_register(
        actor=a,
        organisation=cast.almaty,
        person=p1,
        category="legal_help",
        channel="phone",
        text="Заң кеңесі.",
        received_at=at(11, 30, 23, 30),
    )

    family = family_create(actor=a, organisation=cast.almaty, name="Нұрлановтар", first_member=p2)
    aid_distribute(
        actor=a, organisation=cast.almaty, kind="food_package", family=family, distributed_on=d(8, 1)
    )
    aid_distribute(
        actor=a, organisation=cast.almaty, kind="food_package", family=family, distributed_on=d(9, 1)
    )
    aid_distribute(actor=a, organisation=cast.almaty, kind="hygiene_kit", person=p4, distributed_on=d(8, 15))

    outcome_record(actor=a, organisation=cast.almaty, person=p4, kind="job_found", happened_on=d(10, 1))
    outcome_record(
        actor=a, organisation=cast.almaty, person=p1, kind="returned_to_birth_family", happened_on=d(10, 1)
    )
    return SimpleNamespace(p1=p1, p2=p2, p3=p3, p4=p4, c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, c6=c6)
