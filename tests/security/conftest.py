"""One world for the authorisation proof, built once per module and rolled back at its end: an "own"
organisation (the Almaty centre) whose members hold each role, holding one record of every kind in the states
the operations need; and an "other" organisation (the Shymkent unit) holding one record of every kind. Each
test runs inside a savepoint of the world's transaction, so what a permitted write changes is undone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.assessments.models import Instrument
from tirek.assessments.services import assessment_record
from tirek.cases.documents import case_document_add
from tirek.cases.services import case_close, case_open, case_set_team, deadline_pause
from tirek.catalog.models import ClosureReason, Profession, Service
from tirek.courses.services import course_create, course_enrol, course_session_add
from tirek.directory.models import Organisation, Programme, Region
from tirek.directory.services import partnership_create
from tirek.notifications.services import notify
from tirek.people.services import (
    consent_record,
    family_create,
    family_member_add,
    person_diagnosis_add,
    person_register,
)
from tirek.plans.services import plan_activate, plan_approve, plan_create, plan_goal_add, planned_service_add
from tirek.referrals.services import referral_accept, referral_record_external, referral_send
from tirek.residence.services import facility_create, residence_move_in
from tirek.services.services.groups import group_activity_create
from tirek.services.services.visits import visit_plan
from tirek.support.services.aid import aid_distribute
from tirek.support.services.appeals import appeal_assign, appeal_register, appeal_start
from tirek.support.services.outcomes import outcome_record

ROLES = ("specialist", "coordinator", "intake", "manager", "analyst", "administrator")
IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    own: Organisation
    other: Organisation
    third: Organisation
    users: dict[str, User]  # role → a member of the own organisation; "nomember": no membership
    staff_other: dict[str, User]  # role → a member of the other organisation (who made its records)
    records: dict[str, dict[str, object]] = field(default_factory=lambda: {"own": {}, "other": {}})

    def get(self, side: str, name: str):
        return self.records[side][name]


def _member(username: str, organisation: Organisation, role: str, profession=None) -> User:
    user = User.objects.create_user(
        username=username, first_name=username.title(), active_organisation=organisation
    )
    Membership.objects.create(user=user, organisation=organisation, role=role, profession=profession)
    return user


def _days(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def _at(days_ago: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_days(days_ago), dt.time(hour, 0)))


def _child(coordinator, organisation, surname: str, given_name: str = "Әли"):
    return person_register(
        actor=coordinator,
        organisation=organisation,
        surname=surname,
        given_name=given_name,
        sex="male",
        birth_date=_days(610),
        iin_missing_reason="newborn",
    )


def _child_with_iin(coordinator, organisation, serial: int):
    from tirek.core.iin import check_digit

    birth = _days(500)
    while True:
        head = f"{birth:%y%m%d}5{serial:04d}"
        if check_digit(head) is not None:
            break
        serial += 100
    return person_register(
        actor=coordinator,
        organisation=organisation,
        surname=f"Шұғыл-{serial}",
        given_name="Бала",
        sex="male",
        birth_date=birth,
        iin=f"{head}{check_digit(head)}",
    )


def _case(coordinator, organisation, programme, person, team=(), opened: int = 60):
    case = case_open(
        actor=coordinator,
        organisation=organisation,
        person=person,
        programme=programme,
        referral_source="polyclinic",
        opened_on=_days(opened),
        referral_received_on=_days(opened),
        coordinator=coordinator,
    )
    if team:
        case = case_set_team(actor=coordinator, case=case, coordinator=coordinator, team=list(team))
    return case


def _plan(coordinator, case, speech, speech_therapist):
    plan = plan_create(actor=coordinator, case=case, family_concerns="Бала әлі сөйлемейді.")
    plan_goal_add(
        actor=coordinator,
        plan=plan,
        domain="communication",
        wording="10 сөзбен өтініш білдіреді",
        criterion="5 жағдайдың 4-інде",
        target_date=timezone.localdate() + dt.timedelta(days=180),
    )
    planned_service_add(
        actor=coordinator,
        plan=plan,
        service=speech,
        profession=speech_therapist,
        frequency=2,
        frequency_period="week",
        minutes=30,
        mode="centre",
        start_date=_days(40),
        family_consent=True,
        consent_date=_days(50),
    )
    return plan


def _records(side: str, org, programme, staff: dict[str, User], partner, full: bool) -> dict[str, object]:
    """One record of every kind of `org`, made by its staff; `full` adds the states the writes need."""
    coordinator, manager, specialist = staff["coordinator"], staff["manager"], staff["specialist"]
    speech = Service.objects.get(code="speech_therapy_session")
    speech_therapist = Profession.objects.get(code="speech_therapist")
    r: dict[str, object] = {"organisation": org, "programme": programme}
    child = _child(coordinator, org, f"Омаров-{side}")
    mother = person_register(
        actor=coordinator,
        organisation=org,
        surname=f"Омарова-{side}",
        given_name="Дина",
        sex="female",
        birth_date=dt.date(1994, 3, 1),
        iin_missing_reason="unknown",
    )
    family = family_create(actor=coordinator, organisation=org, name=f"Омаровтар-{side}", first_member=child)
    member = family_member_add(
        actor=coordinator, family=family, person=mother, role="mother", is_legal_representative=True
    )
    consent = consent_record(
        actor=coordinator,
        organisation=org,
        person=child,
        given_by=mother,
        purposes=["services", "data_processing", "sharing"],
        given_on=_days(60),
        shared_with=[partner],
    )
    case = _case(coordinator, org, programme, child, team=[specialist])
    r.update(person=child, mother=mother, family=family, family_member=member, consent=consent, case=case)
    r["diagnosis"] = person_diagnosis_add(
        actor=manager, person=child, diagnosis=_diagnosis(), diagnosed_on=_days(90), source="ПМПК"
    )
    r["document"] = case_document_add(
        actor=coordinator,
        case=case,
        kind=_document_kind(),
        dated=_days(10),
        title="Қорытынды",
        file=SimpleUploadedFile("conclusion.pdf", PDF, content_type="application/pdf"),
    )
    r["assessment"] = assessment_record(
        actor=coordinator,
        case=case,
        instrument=Instrument.objects.get(code="mchat_rf"),
        assessed_on=_days(20),
        answers={str(n): ("no" if n in (2, 5, 12) else "yes") for n in range(1, 21)},
    )
    plan = _plan(coordinator, case, speech, speech_therapist)
    r.update(plan=plan, goal=plan.goals.get(), planned_service=plan.services.get())
    r["visit"] = visit_plan(
        actor=coordinator,
        case=case,
        starts_at=_at(-1, 10),
        minutes=30,
        service=speech,
        specialist=specialist,
        profession=speech_therapist,
    )
    r["group"] = group_activity_create(
        actor=coordinator,
        organisation=org,
        kind="group_class",
        topic="Ойын сабағы",
        service=Service.objects.get(code="group_class"),
        starts_at=_at(2, 15),
        minutes=45,
        facilitators=[specialist],
        cases=[case],
    )
    r["appeal"] = appeal_register(
        actor=coordinator,
        organisation=org,
        person=child,
        category="housing",
        channel="walk_in",
        text="Пәтер кезегі бойынша көмек сұрайды.",
    )
    r["aid"] = aid_distribute(actor=coordinator, organisation=org, kind="food_package", family=family)
    r["outcome"] = outcome_record(
        actor=coordinator, organisation=org, person=mother, kind="job_found", happened_on=_days(5)
    )
    course = course_create(
        actor=coordinator,
        organisation=org,
        title="Ата-аналар мектебі",
        kind="adoptive_parents_school",
        starts_on=_days(30),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        sessions_required=1,
        status="running",
        facilitators=[specialist],
    )
    session = course_session_add(
        actor=coordinator, course=course, starts_at=_at(7, 18), minutes=120, topic="Бейімделу"
    )
    enrolment = course_enrol(actor=coordinator, course=course, person=mother, enrolled_on=_days(25))
    r.update(course=course, course_session=session, enrolment=enrolment)
    facility = facility_create(
        actor=coordinator, organisation=org, name=f"Жастар үйі {side}", kind="youth_house", places=10
    )
    r["facility"] = facility
    r["residence"] = residence_move_in(
        actor=coordinator, facility=facility, person=mother, moved_in_on=_days(15)
    )
    r["membership"] = Membership.objects.get(user=specialist, organisation=org)
    r["partnership"] = partnership_create(
        actor=manager, parties=[org, partner], title=f"Меморандум {side}", signed_on=_days(100)
    )
    r["external_referral"] = referral_record_external(
        actor=coordinator,
        organisation=org,
        person=_child(coordinator, org, f"Сыртқы-{side}"),
        external_source="polyclinic",
        reason="Сөйлеу тежелуі.",
    )
    if full:
        _states(r, org, programme, staff, speech, speech_therapist)
    return r


def _states(r, org, programme, staff, speech, speech_therapist) -> None:
    """The own organisation's records in the states its writes start from."""
    coordinator, manager = staff["coordinator"], staff["manager"]
    approved_case = _case(coordinator, org, programme, _child(coordinator, org, "Бекұлы"))
    approved = _plan(coordinator, approved_case, speech, speech_therapist)
    r["approved_plan"] = plan_approve(actor=manager, plan=approved, approved_on=_days(3))
    active_case = _case(coordinator, org, programme, _child(coordinator, org, "Серікұлы"))
    active = _plan(coordinator, active_case, speech, speech_therapist)
    plan_approve(actor=manager, plan=active, approved_on=_days(40))
    r["active_plan"] = plan_activate(actor=coordinator, plan=active, active_from=_days(40))
    closed_case = _case(coordinator, org, programme, _child(coordinator, org, "Жабық"))
    r["closed_case"] = case_close(
        actor=coordinator,
        case=closed_case,
        reason=ClosureReason.objects.get(code="moved"),
        destination="other_programme",
    )
    paused_case = _case(coordinator, org, programme, _child(coordinator, org, "Үзіліс"), opened=10)
    deadline_pause(actor=coordinator, case=paused_case, reason="family_unavailable", starts_on=_days(5))
    r["paused_case"] = paused_case
    assigned = appeal_register(
        actor=coordinator,
        organisation=org,
        person=r["person"],
        category="legal_help",
        channel="phone",
        text="Заң кеңесі.",
    )
    assigned = appeal_assign(actor=coordinator, appeal=assigned, assignee=coordinator)
    r["started_appeal"] = appeal_start(actor=coordinator, appeal=assigned)


def _diagnosis():
    from tirek.catalog.models import Diagnosis

    return Diagnosis.objects.filter(is_active=True).order_by("code").first()


def _document_kind() -> str:
    from tirek.cases.models import CaseDocument

    return CaseDocument._meta.get_field("kind").choices[0][0]


def _received_referrals(world: World) -> None:
    """Referrals the other organisation sent to the own one: one waiting, one accepted (to complete)."""
    other, staff = world.other, world.staff_other
    own = world.records["own"]
    for name in ("incoming_referral", "accepted_referral"):
        child = _child(staff["coordinator"], other, f"Жолдама-{name}")
        case = _case(staff["coordinator"], other, world.records["other"]["programme"], child)
        mother = person_register(
            actor=staff["coordinator"],
            organisation=other,
            surname=f"Ана-{name}",
            given_name="Дина",
            sex="female",
            birth_date=dt.date(1994, 3, 1),
            iin_missing_reason="unknown",
        )
        family = family_create(
            actor=staff["coordinator"], organisation=other, name=f"Отбасы-{name}", first_member=child
        )
        family_member_add(
            actor=staff["coordinator"],
            family=family,
            person=mother,
            role="mother",
            is_legal_representative=True,
        )
        consent_record(
            actor=staff["coordinator"],
            organisation=other,
            person=child,
            given_by=mother,
            purposes=["services", "sharing"],
            given_on=_days(30),
            shared_with=[world.own],
        )
        own[name] = referral_send(
            actor=staff["coordinator"],
            organisation=other,
            to_organisation=world.own,
            from_case=case,
            reason="Отбасы Алматыға көшіп жатыр.",
            shared_parts=["contacts"],
        )
    own["accepted_referral"] = referral_accept(
        actor=world.users["coordinator"], referral=own["accepted_referral"], programme=own["programme"]
    )
    # The family also agreed to share the child's record with the other organisation (a referral may go
    # there).
    consent_record(
        actor=world.users["coordinator"],
        organisation=world.own,
        person=own["person"],
        given_by=own["mother"],
        purposes=["services", "sharing"],
        given_on=_days(30),
        shared_with=[world.other],
    )
    # The other organisation sent one too (to the third), waiting.
    world.records["other"]["sent_referral"] = referral_send(
        actor=staff["coordinator"],
        organisation=other,
        to_organisation=world.third,
        from_case=world.records["other"]["case"],
        reason="Қосымша көмек.",
        shared_parts=["contacts"],
    )
    # And one the own organisation sent, waiting: its sender may revoke it.
    own["sent_referral"] = referral_send(
        actor=world.users["coordinator"],
        organisation=world.own,
        to_organisation=world.third,
        from_case=own["case"],
        reason="Қосымша көмек.",
        shared_parts=["contacts"],
    )


def build_world() -> World:
    almaty_city = Region.objects.get_or_create(
        kato="750000000",
        defaults={"name_kk": "Алматы қаласы", "name_ru": "город Алматы", "name_en": "Almaty"},
    )[0]
    shymkent_city = Region.objects.get_or_create(
        kato="790000000",
        defaults={"name_kk": "Шымкент қаласы", "name_ru": "город Шымкент", "name_en": "Shymkent"},
    )[0]
    speech_therapist = Profession.objects.get(code="speech_therapist")

    def organisation(name: str, region, prefix: str) -> tuple[Organisation, Programme]:
        org = Organisation.objects.create(
            name_kk=name,
            name_ru=name,
            name_en=name,
            kind="early_intervention",
            region=region,
            case_prefix=prefix,
        )
        programme = Programme.objects.create(
            organisation=org,
            name_kk=f"Ерте араласу {name}",
            name_ru=f"Ранняя помощь {name}",
            kind="early_intervention",
            min_age_months=0,
            max_age_months=36,
            yearly_capacity=100,
        )
        return org, programme

    own, own_programme = organisation("Кеңес", almaty_city, "KEN")
    other, other_programme = organisation("Қамқорлық", shymkent_city, "KAM")
    third, _third_programme = organisation("Үшінші", almaty_city, "USH")
    users = {
        role: _member(f"own-{role}", own, role, speech_therapist if role == "specialist" else None)
        for role in ROLES
    }
    users["nomember"] = User.objects.create_user(username="nobody")
    staff_other = {
        role: _member(f"other-{role}", other, role, speech_therapist if role == "specialist" else None)
        for role in ("specialist", "coordinator", "manager")
    }
    _member("third-coordinator", third, "coordinator")
    world = World(own=own, other=other, third=third, users=users, staff_other=staff_other)
    world.records["own"] = _records("own", own, own_programme, users, third, full=True)
    world.records["other"] = _records("other", other, other_programme, staff_other, third, full=False)
    _received_referrals(world)
    # Break-the-glass: children with an IIN each organisation may open in an emergency; the own manager has
    # opened one of the other organisation's, the other manager one of the own organisation's.
    from tirek.emergency.services import emergency_access_open

    reason = "Бала ауруханада, анасы шұғыл хабарласты."
    world.records["other"]["emergency_person"] = _child_with_iin(staff_other["coordinator"], other, 1)
    opened = _child_with_iin(staff_other["coordinator"], other, 2)
    world.records["own"]["emergency_access"] = emergency_access_open(
        actor=users["manager"], iin=opened.iin, reason=reason
    )
    mine = _child_with_iin(users["coordinator"], own, 3)
    world.records["other"]["emergency_access"] = emergency_access_open(
        actor=staff_other["manager"], iin=mine.iin, reason=reason
    )
    # The manager's export of the case list, in each organisation.
    from tirek.exports.services import export_request

    world.records["own"]["export"] = export_request(
        actor=users["manager"], what="cases", format="csv", params={}
    )
    world.records["other"]["export"] = export_request(
        actor=staff_other["manager"], what="cases", format="csv", params={}
    )
    # Every user has a notification of their own; the other organisation's manager has one too.
    for user in [*users.values(), staff_other["manager"]]:
        notify(recipients=[user], kind="deadline_due_soon", organisation=user.active_organisation_id)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, inside a transaction rolled back when the module ends (as Django's setUpTestData)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                TASKS=IMMEDIATE_TASKS, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def sessions(world, django_db_blocker):
    """A signed-in session per user, made once inside the world's transaction."""
    from django.conf import settings
    from django.test import Client

    from tirek.accounts.sessions import PASSED, SECOND_STEP

    keys = {}
    with django_db_blocker.unblock():
        for name, user in world.users.items():
            client = Client()
            client.force_login(user)
            session = client.session
            session[SECOND_STEP] = PASSED  # signed in with every factor the role needs
            session.save()
            keys[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys
