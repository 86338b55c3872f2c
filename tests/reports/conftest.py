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


# -- the full centre-year ---------------------------------------------------------------------------------
#
# The story above, and on top of it (same year Y):
#
# Almaty centre (Kenes), with a psychologist (Dana) and a lawyer (Lazzat) besides the speech therapist:
#   P5 girl born (Y-2)-09-15, case C7 opened 01.04 (diagnosis G80); psychological consultations by Dana
#      on 10.04 (centre) and 17.04 (phone), a no-show on 24.04; first plan approved 10.05 (due 16.05), in
#      force, reviewed on 20.11 (the review was due 10.11).
#   P6 boy born (Y-3)-11-20, case C8 opened 03.06; a psychological consultation by video 05.06, a speech
#      session at home 12.06, a cancelled one 19.06; the first-plan clock paused 20.06–05.07 (15 days: due
#      18.07 → 02.08), plan approved 30.07; moves into the shelter on 31.12; an outcome "moved on to
#      kindergarten" on 01.12.
#   P4 a legal consultation by Lazzat by messenger on 01.07; lives in the youth house 01.03–31.08 (moves
#      out on 31.08).
#   P2 lived in a social apartment from (Y-1)-05-01 and moved out on 01.01 (the move-out day is the first
#      day away: not a resident in Y).
#   C1's first plan approved 20.03 (due 29.02: late), in force, never reviewed (review due 20.09).
#   A group consultation on 12.09 by Dana: C7 and C8 attended, and 3 parents from outside.
#   Families: the Kasymovs (P3 a child, P4 the mother), the Seitovs (P1). P1's diagnosis F84.0.
#   Appeals: employment (P4, online) received 01.10, resolved on 05.01 of the next year; psychological
#   help from an anonymous caller on helpline 150 received 20.12.
#   Aid: a food package to the Kasymovs on 01.10.
#   Programme A's yearly target: 100 (its capacity is 140; Shymkent's 600).
# Shymkent unit (Kamkorlyk):
#   P7 girl born (Y-2)-02-14 (diagnosis F84.1), C9 opened 01.02, a session 05.02; plan approved 10.03 (due
#      17.03: in time), in force, never reviewed (due 10.09).
#   P8 boy born (Y-1)-01-05, C10 opened 01.03, a session 05.03.
#   P9 girl born (Y-2)-07-07, C11 opened 01.05, a home session 06.05.
#   P10 boy born (Y-1)-04-30, C12 opened 01.07, a phone session 02.07.


@pytest.fixture
def centre_year_full(cast):
    """The full centre-year (see above): the created objects and the period (`first`, `last`)."""
    return build_centre_year(cast)


def build_centre_year(cast) -> SimpleNamespace:
    """Build the full centre-year through the services; reusable by other apps' tests (dashboards,
    exports) that check the same figures."""
    with mock.patch("django.utils.timezone.now", return_value=BUILT_AT):
        base = _build(cast)
        return _extend(cast, base)


def _staff(organisation, username: str, role: str, profession_code: str | None = None):
    from tirek.accounts.models import Membership, User
    from tirek.catalog.models import Profession

    user = User.objects.create_user(
        username=username, first_name=username.title(), active_organisation=organisation
    )
    profession = Profession.objects.get(code=profession_code) if profession_code else None
    Membership.objects.create(user=user, organisation=organisation, role=role, profession=profession)
    return user


def _approvable_plan(actor, case, approved_on: dt.date):
    """A draft with one goal and one consented service, approved on `approved_on` and in force from then."""
    from tirek.catalog.models import Profession
    from tirek.plans.services import (
        plan_activate,
        plan_approve,
        plan_create,
        plan_goal_add,
        planned_service_add,
    )

    plan = plan_create(
        actor=actor,
        case=case,
        present_levels={"communication": "Жеке буындарды айтады."},
        family_concerns="Бала әлі сөйлемейді.",
    )
    plan_goal_add(
        actor=actor,
        plan=plan,
        domain="communication",
        wording="10 сөзбен өтініш білдіреді",
        criterion="5 жағдайдың 4-інде",
        target_date=approved_on + dt.timedelta(days=180),
    )
    planned_service_add(
        actor=actor,
        plan=plan,
        service=Service.objects.get(code="speech_therapy_session"),
        profession=Profession.objects.get(code="speech_therapist"),
        frequency=2,
        frequency_period="week",
        minutes=30,
        mode="centre",
        start_date=approved_on,
        family_consent=True,
        consent_date=approved_on,
    )
    plan_approve(actor=actor, plan=plan, approved_on=approved_on)
    return plan_activate(actor=actor, plan=plan, active_from=approved_on)


def _extend(cast, base: SimpleNamespace) -> SimpleNamespace:
    from tirek.cases.services import deadline_pause, deadline_resume
    from tirek.catalog.models import Diagnosis
    from tirek.directory.services import programme_update
    from tirek.people.services import family_member_add, person_diagnosis_add
    from tirek.plans.services import plan_review
    from tirek.residence.services import facility_create, residence_move_in, residence_move_out

    a, b, ma, mb = cast.coordinator_a, cast.coordinator_b, cast.manager_a, cast.manager_b
    dana = _staff(cast.almaty, "dana", "specialist", "psychologist")
    lazzat = _staff(cast.almaty, "lazzat", "specialist", "lawyer")
    service = {
        code: Service.objects.get(code=code)
        for code in (
            "speech_therapy_session",
            "psychological_consultation",
            "legal_consultation",
            "group_consultation",
        )
    }

    def person(actor, organisation, surname, given, sex, born):
        return person_register(
            actor=actor,
            organisation=organisation,
            surname=surname,
            given_name=given,
            sex=sex,
            birth_date=born,
            iin_missing_reason="newborn",
        )

    def case(actor, organisation, programme, p, opened):
        return case_open(
            actor=actor,
            organisation=organisation,
            person=p,
            programme=programme,
            referral_source="polyclinic",
            opened_on=opened,
        )

    def log(actor, c, when, code, specialist, status="attended", **extra):
        return visit_log(
            actor=actor,
            case=c,
            status=status,
            starts_at=when,
            minutes=30,
            service=service[code],
            specialist=specialist,
            **extra,
        )

    # Almaty.
    p5 = person(a, cast.almaty, "Омарова", "Айша", "female", d(9, 15, Y - 2))
    p6 = person(a, cast.almaty, "Бекұлы", "Нұрсұлтан", "male", d(11, 20, Y - 3))
    c7 = case(a, cast.almaty, cast.programme_a, p5, d(4, 1))
    c8 = case(a, cast.almaty, cast.programme_a, p6, d(6, 3))
    log(a, c7, at(4, 10), "psychological_consultation", dana)
    log(a, c7, at(4, 17), "psychological_consultation", dana, mode="phone")
    log(
        a,
        c7,
        at(4, 24),
        "psychological_consultation",
        dana,
        status="no_show",
        cancellation_reason="no_notice",
    )
    log(a, c8, at(6, 5), "psychological_consultation", dana, mode="video")
    log(a, c8, at(6, 12), "speech_therapy_session", cast.specialist_a, mode="home")
    log(
        a,
        c8,
        at(6, 19),
        "speech_therapy_session",
        cast.specialist_a,
        status="cancelled",
        cancellation_reason="child_ill",
    )
    log(a, base.c4, at(7, 1), "legal_consultation", lazzat, mode="messenger", participants=["mother"])
    consultation = group_activity_create(
        actor=a,
        organisation=cast.almaty,
        kind="group_consultation",
        topic="Ата-аналарға кеңес",
        service=service["group_consultation"],
        starts_at=at(9, 12),
        minutes=60,
        facilitators=[dana],
        cases=[c7, c8],
        others_count=3,
    )
    group_activity_set_attendance(actor=a, activity=consultation, attended=[c7, c8])

    c1_plan = _approvable_plan(ma, base.c1, d(3, 20))
    c7_plan = _approvable_plan(ma, c7, d(5, 10))
    plan_review(
        actor=ma,
        plan=c7_plan,
        ratings=[{"goal": g, "rating": "progressing"} for g in c7_plan.goals.all()],
        reviewed_on=d(11, 20),
    )
    deadline_pause(actor=ma, case=c8, reason="family_unavailable", starts_on=d(6, 20))
    deadline_resume(actor=ma, case=c8, ends_on=d(7, 5))
    c8_plan = _approvable_plan(ma, c8, d(7, 30))

    kasymovs = family_create(actor=a, organisation=cast.almaty, name="Қасымовтар", first_member=base.p3)
    family_member_add(actor=a, family=kasymovs, person=base.p4, role="mother", is_legal_representative=True)
    seitovs = family_create(actor=a, organisation=cast.almaty, name="Сейтовтар", first_member=base.p1)
    person_diagnosis_add(actor=ma, person=base.p1, diagnosis=Diagnosis.objects.get(code="F84.0"))
    person_diagnosis_add(actor=ma, person=p5, diagnosis=Diagnosis.objects.get(code="G80"))

    youth_house = facility_create(
        actor=ma, organisation=cast.almaty, name="Жастар үйі", kind="youth_house", places=10
    )
    apartment = facility_create(
        actor=ma, organisation=cast.almaty, name="Әлеуметтік пәтер", kind="social_apartment", places=2
    )
    shelter = facility_create(actor=ma, organisation=cast.almaty, name="Баспана", kind="shelter", places=5)
    stay = residence_move_in(actor=ma, facility=youth_house, person=base.p4, moved_in_on=d(3, 1))
    residence_move_out(actor=ma, residence=stay, moved_out_on=d(8, 31))
    old_stay = residence_move_in(actor=ma, facility=apartment, person=base.p2, moved_in_on=d(5, 1, Y - 1))
    residence_move_out(actor=ma, residence=old_stay, moved_out_on=d(1, 1))
    residence_move_in(actor=ma, facility=shelter, person=p6, moved_in_on=d(12, 31))

    employment = appeal_register(
        actor=a,
        organisation=cast.almaty,
        person=base.p4,
        category="employment",
        channel="online",
        text="Жұмыс іздеймін.",
        received_at=at(10, 1),
    )
    appeal_resolve(
        actor=a,
        appeal=employment,
        resolution="Вакансиялар берілді.",
        result="satisfied",
        closed_on=d(1, 5, Y + 1),
    )
    appeal_register(
        actor=a,
        organisation=cast.almaty,
        caller="Аноним",
        category="psychological_help",
        channel="helpline_150",
        text="Қолдау керек.",
        received_at=at(12, 20),
    )
    aid_distribute(
        actor=a, organisation=cast.almaty, kind="food_package", family=kasymovs, distributed_on=d(10, 1)
    )
    outcome_record(
        actor=a, organisation=cast.almaty, person=p6, kind="moved_to_kindergarten", happened_on=d(12, 1)
    )
    programme_update(actor=cast.admin, programme=cast.programme_a, yearly_target=100)

    # Shymkent.
    p7 = person(b, cast.shymkent, "Жұмабаева", "Әсем", "female", d(2, 14, Y - 2))
    p8 = person(b, cast.shymkent, "Сәрсенов", "Алихан", "male", d(1, 5, Y - 1))
    p9 = person(b, cast.shymkent, "Төлеуова", "Мадина", "female", d(7, 7, Y - 2))
    p10 = person(b, cast.shymkent, "Ахметов", "Дәулет", "male", d(4, 30, Y - 1))
    c9 = case(b, cast.shymkent, cast.programme_b, p7, d(2, 1))
    c10 = case(b, cast.shymkent, cast.programme_b, p8, d(3, 1))
    c11 = case(b, cast.shymkent, cast.programme_b, p9, d(5, 1))
    c12 = case(b, cast.shymkent, cast.programme_b, p10, d(7, 1))
    log(b, c9, at(2, 5), "speech_therapy_session", cast.specialist_b)
    log(b, c10, at(3, 5), "speech_therapy_session", cast.specialist_b)
    log(b, c11, at(5, 6), "speech_therapy_session", cast.specialist_b, mode="home")
    log(b, c12, at(7, 2), "speech_therapy_session", cast.specialist_b, mode="phone")
    person_diagnosis_add(actor=mb, person=p7, diagnosis=Diagnosis.objects.get(code="F84.1"))
    c9_plan = _approvable_plan(mb, c9, d(3, 10))

    return SimpleNamespace(
        **vars(base),
        p5=p5,
        p6=p6,
        p7=p7,
        p8=p8,
        p9=p9,
        p10=p10,
        c7=c7,
        c8=c8,
        c9=c9,
        c10=c10,
        c11=c11,
        c12=c12,
        plans=[c1_plan, c7_plan, c8_plan, c9_plan],
        families=[kasymovs, seitovs],
        dana=dana,
        lazzat=lazzat,
        first=d(1, 1),
        last=d(12, 31),
    )


# Yesterday at noon: in this month or the previous one, both among the dashboards' standard periods.
SESSION_AT = timezone.make_aware(
    dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(12, 0))
)


@pytest.fixture
def served(cast):
    """served(organisation, n, surname="Бала", start=yesterday noon): `n` children of `organisation`, each
    with a case and one attended session; their sessions."""
    return lambda organisation, n, **kwargs: _served(cast, organisation, n, **kwargs)


def _served(cast, organisation, n: int, *, surname: str = "Бала", start: dt.datetime | None = None) -> list:
    """`n` children of `organisation`, each with a case and one attended session (40 minutes apart), the
    first at `start` (yesterday at noon unless given)."""
    start = start or SESSION_AT
    shymkent = organisation == cast.shymkent
    actor = cast.coordinator_b if shymkent else cast.coordinator_a
    speech = Service.objects.get(code="speech_therapy_session")
    visits = []
    for i in range(n):
        person = person_register(
            actor=actor,
            organisation=organisation,
            surname=f"{surname}{i}",
            given_name="Әли",
            sex="male",
            birth_date=timezone.localdate() - dt.timedelta(days=600),
            iin_missing_reason="newborn",
        )
        case = case_open(
            actor=actor,
            organisation=organisation,
            person=person,
            programme=cast.programme_b if shymkent else cast.programme_a,
            referral_source="polyclinic",
            opened_on=timezone.localdate(start) - dt.timedelta(days=30),
        )
        visits.append(
            visit_log(
                actor=actor,
                case=case,
                status="attended",
                starts_at=start - dt.timedelta(minutes=40 * i),
                minutes=30,
                service=speech,
                specialist=cast.specialist_b if shymkent else cast.specialist_a,
            )
        )
    return visits
