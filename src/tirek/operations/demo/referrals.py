"""Demo referrals for `tirek demo`: referrals between the demo organisations in every state.

Кеңес refers families moving to Shymkent to the Қамқорлық unit and families in difficulty to SOS Almaty; SOS
Almaty refers children whose speech is late to Кеңес; the graduates' association refers care leavers without
a home to the youth house. Each is sent, accepted (the receiver opens its case), declined, completed or
revoked through the services, at dates counted back from today, by the organisations' own staff; a
polyclinic's and a PMPK's referrals are recorded by their receivers as intake. A referral needs a consent
that covers sharing: where the person has none, the sender records one first (through the consent service).
The people are drawn from `random.Random(seed)` among the senders' open cases; once the demo organisations
have referrals, running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from tirek.accounts.models import User
from tirek.accounts.services import user_switch_organisation
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.cases.services import eligibility_problem
from tirek.directory.models import Organisation, Programme
from tirek.operations.demo.organisations import ORGANISATIONS, demo_bin
from tirek.people.choices import ConsentPurpose
from tirek.people.models import Person
from tirek.people.services import consent_record, legal_representatives, person_register
from tirek.referrals.choices import ReferralStatus, SharedPart
from tirek.referrals.models import Referral
from tirek.referrals.services import (
    covering_consent,
    referral_accept,
    referral_complete,
    referral_decline,
    referral_record_external,
    referral_revoke,
    referral_send,
)

SEED = 2026
ADULT_MONTHS = 18 * 12
# Who sends and who answers referrals in each demo organisation (usernames of `tirek demo`).
STAFF = {
    "kenes": "coordinator",
    "kamkorlyk": "shymkent",
    "sos_almaty": "sos.almaty.manager",
    "graduates": "graduates.manager",
    "youth_house": "youth.house.manager",
}
ANSWERERS = {"kenes": "intake"}
PARTS_FAMILY = (SharedPart.CONTACTS, SharedPart.FAMILY)
PARTS_CASE = (
    SharedPart.CONTACTS,
    SharedPart.FAMILY,
    SharedPart.HEALTH,
    SharedPart.ASSESSMENTS,
    SharedPart.PLAN,
)


@dataclass(frozen=True)
class Plan:
    """One demo referral: who to whom, how it ends, and when (days ago it was sent, days to each answer)."""

    sender: str
    receiver: str
    end: str
    sent_days_ago: int
    reason: str
    answer_after: int = 0
    end_after: int = 0
    answer: str = ""
    urgency: str = "routine"
    parts: tuple = PARTS_FAMILY


PLANS = [
    Plan(
        "kenes",
        "kamkorlyk",
        ReferralStatus.ACCEPTED,
        40,
        "Отбасы Шымкент қаласына көшіп жатыр; ерте араласу бағдарламасын сонда жалғастыру керек.",
        answer_after=4,
        parts=PARTS_CASE,
    ),
    Plan(
        "kenes",
        "kamkorlyk",
        ReferralStatus.COMPLETED,
        150,
        "Бала Шымкенттегі әжесінің қолына көшті; жеке жоспар бойынша сабақтарды жалғастыру қажет.",
        answer_after=6,
        end_after=100,
        answer="Жеке жоспар бойынша төрт ай қызмет көрсетілді; отбасы Алматыға оралды.",
        parts=PARTS_CASE,
    ),
    Plan(
        "kenes",
        "kamkorlyk",
        ReferralStatus.SENT,
        3,
        "Отбасы келесі аптада Шымкентке көшеді; сабақтар үзілмеуі керек.",
        urgency="urgent",
        parts=PARTS_CASE,
    ),
    Plan(
        "kenes",
        "kamkorlyk",
        ReferralStatus.REVOKED,
        25,
        "Отбасы Шымкентке көшуді жоспарлап отыр.",
        end_after=5,
        answer="Отбасы көшуден бас тартты, Алматыда қалады.",
    ),
    Plan(
        "kenes",
        "sos_almaty",
        ReferralStatus.SENT,
        6,
        "Көп балалы отбасына психологиялық қолдау мен ата-аналар мектебі қажет.",
    ),
    Plan(
        "kenes",
        "sos_almaty",
        ReferralStatus.DECLINED,
        35,
        "Ана жалғыз бала тәрбиелеп отыр; отбасын қолдау қызметі қажет.",
        answer_after=3,
        answer="Отбасы біздің қызмет аумағымыздан тыс тұрады; аудандық орталыққа жүгінуді ұсынамыз.",
    ),
    Plan(
        "kenes",
        "sos_almaty",
        ReferralStatus.ACCEPTED,
        60,
        "Отбасы қиын өмірлік жағдайда; әлеуметтік қызметкердің сүйемелдеуі қажет.",
        answer_after=2,
    ),
    Plan(
        "sos_almaty",
        "kenes",
        ReferralStatus.ACCEPTED,
        50,
        "Баланың сөйлеуі кешігіп дамуда; логопед пен дефектолог көмегі қажет.",
        answer_after=5,
    ),
    Plan(
        "sos_almaty",
        "kenes",
        ReferralStatus.SENT,
        1,
        "Бала үш жасқа дейін сөйлемейді; ерте араласу бағдарламасына бағалау қажет.",
    ),
    Plan(
        "graduates",
        "youth_house",
        ReferralStatus.ACCEPTED,
        30,
        "Балалар үйінің түлегі, тұратын жері жоқ; Жастар үйінде орын қажет.",
        answer_after=2,
        urgency="urgent",
    ),
    Plan(
        "graduates",
        "youth_house",
        ReferralStatus.SENT,
        4,
        "Түлек колледжде оқиды, жатақханадан шығып қалды.",
    ),
    Plan(
        "graduates",
        "youth_house",
        ReferralStatus.DECLINED,
        70,
        "Түлекке уақытша тұрғын үй қажет.",
        answer_after=7,
        answer="Бос орын жоқ; түлек кезекке қойылды.",
    ),
]

# Referrals from outside Tirek: receiver, source, who referred, end, days ago received, days to accept, the
# person registered at intake (surname, given name, patronymic, sex, age in months).
EXTERNAL = [
    (
        "kenes",
        "polyclinic",
        "Алматы қаласының №5 қалалық емханасы",
        ReferralStatus.SENT,
        2,
        0,
        ("Нұрланова", "Айлин", "Ерланқызы", "female", 5),
        "Скринингте моторлық даму тежелгені анықталды.",
    ),
    (
        "kamkorlyk",
        "pmpk",
        "Шымкент қаласының ПМПК",
        ReferralStatus.ACCEPTED,
        20,
        3,
        ("Тұрсынов", "Әмір", "Бақытұлы", "male", 26),
        "ПМПК қорытындысы: сөйлеу тілінің жүйелі дамымауы, ерте араласу ұсынылады.",
    ),
]


@dataclass
class _Context:
    organisations: dict[str, Organisation]
    users: dict[str, User]
    rng: random.Random
    now: dt.datetime
    used: set = field(default_factory=set)
    created: Counter = field(default_factory=Counter)


def _organisations() -> dict[str, Organisation]:

    wanted = {row[0]: demo_bin(row[7]) for row in ORGANISATIONS if row[0] in STAFF}
    by_bin = {o.bin: o for o in Organisation.objects.filter(bin__in=wanted.values())}
    return {key: by_bin[bin_number] for key, bin_number in wanted.items() if bin_number in by_bin}


def _acting(ctx: _Context, key: str, *, answering: bool = False) -> User:
    """The staff member of organisation `key` who sends (or answers) its referrals, acting there."""
    user = ctx.users[ANSWERERS.get(key, STAFF[key]) if answering else STAFF[key]]
    user.forget_roles()
    if user.active_organisation_id_checked() != ctx.organisations[key].pk:
        user_switch_organisation(user=user, organisation_id=ctx.organisations[key].pk)
        user.forget_roles()
    return user


def _receiving_programme(receiver: Organisation, person: Person, on: dt.date) -> Programme | None:
    """The receiver's first active programme the person may enter on `on`, without an open case there."""
    for programme in Programme.objects.filter(organisation=receiver, is_active=True).order_by("name_kk"):
        if eligibility_problem(person, programme, on) is not None:
            continue
        if Case.objects.filter(person=person, programme=programme).exclude(status=CaseStatus.CLOSED).exists():
            continue
        return programme
    return None


def _consent(ctx: _Context, sender_key: str, person: Person, receiver: Organisation, on: dt.date) -> bool:
    """A consent covering the referral on `on`: the person's own, or one the sender records now."""
    if covering_consent(person, receiver, on) is not None:
        return True
    given_on = on - dt.timedelta(days=2)
    age = person.age_in_months(given_on)
    if age is not None and age >= ADULT_MONTHS:
        given_by = person
    else:
        representatives = legal_representatives(person)
        if not representatives:
            return False
        given_by = representatives[0]
    consent_record(
        actor=_acting(ctx, sender_key),
        organisation=ctx.organisations[sender_key],
        person=person,
        given_by=given_by,
        purposes=[ConsentPurpose.SHARING],
        given_on=given_on,
        shared_with=[receiver],
        document_reference=f"№ ЖОЛ-{ctx.created['consents'] + 1} {given_on:%d.%m.%Y}",
    )
    ctx.created["consents"] += 1
    return True


def _pick(ctx: _Context, plan: Plan) -> tuple[Case, Programme] | None:
    """A case of the sender whose person the receiver may serve, with a consent covering the referral."""
    sender, receiver = ctx.organisations[plan.sender], ctx.organisations[plan.receiver]
    sent_on = (ctx.now - dt.timedelta(days=plan.sent_days_ago)).date()
    answer_on = sent_on + dt.timedelta(days=plan.answer_after)
    cases = list(
        Case.objects.filter(
            organisation=sender,
            status__in=[CaseStatus.INTAKE, CaseStatus.ACTIVE],
            opened_on__lte=sent_on,
        )
        .select_related("person")
        .order_by("number")
    )
    ctx.rng.shuffle(cases)
    for case in cases:
        if case.person_id in ctx.used:
            continue
        programme = _receiving_programme(receiver, case.person, answer_on)
        if programme is None or not _consent(ctx, plan.sender, case.person, receiver, sent_on):
            continue
        ctx.used.add(case.person_id)
        return case, programme
    return None


def _write(ctx: _Context, plan: Plan) -> None:
    chosen = _pick(ctx, plan)
    if chosen is None:
        return
    case, programme = chosen
    sent_at = ctx.now - dt.timedelta(days=plan.sent_days_ago)
    answered_at = sent_at + dt.timedelta(days=plan.answer_after)
    ended_at = answered_at + dt.timedelta(days=plan.end_after)
    referral = referral_send(
        actor=_acting(ctx, plan.sender),
        organisation=ctx.organisations[plan.sender],
        to_organisation=ctx.organisations[plan.receiver],
        from_case=case,
        programme=programme,
        reason=plan.reason,
        urgency=plan.urgency,
        shared_parts=plan.parts,
        at=sent_at,
    )
    if plan.end in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
        referral = referral_accept(
            actor=_acting(ctx, plan.receiver, answering=True),
            referral=referral,
            programme=programme,
            coordinator=ctx.users[STAFF[plan.receiver]],
            at=answered_at,
        )
    if plan.end == ReferralStatus.COMPLETED:
        referral_complete(
            actor=_acting(ctx, plan.receiver, answering=True),
            referral=referral,
            note=plan.answer,
            at=ended_at,
        )
    elif plan.end == ReferralStatus.DECLINED:
        referral_decline(
            actor=_acting(ctx, plan.receiver, answering=True),
            referral=referral,
            reason=plan.answer,
            at=answered_at,
        )
    elif plan.end == ReferralStatus.REVOKED:
        referral_revoke(actor=_acting(ctx, plan.sender), referral=referral, reason=plan.answer, at=ended_at)
    ctx.created["referrals"] += 1


def _write_external(ctx: _Context, row: tuple) -> None:
    key, source, source_name, end, days_ago, accept_after, names, reason = row
    surname, given_name, patronymic, sex, age_months = names
    organisation = ctx.organisations[key]
    received_at = ctx.now - dt.timedelta(days=days_ago)
    actor = _acting(ctx, key, answering=True)
    person = person_register(
        actor=actor,
        organisation=organisation,
        surname=surname,
        given_name=given_name,
        patronymic=patronymic,
        sex=sex,
        birth_date=received_at.date() - dt.timedelta(days=round(age_months * 30.44)),
        iin_missing_reason="newborn" if age_months < 3 else "unknown",
        region=organisation.region,
    )
    ctx.created["persons"] += 1
    referral = referral_record_external(
        actor=actor,
        organisation=organisation,
        person=person,
        external_source=source,
        external_source_name=source_name,
        reason=reason,
        received_on=received_at.date(),
    )
    if end == ReferralStatus.ACCEPTED:
        accepted_at = min(referral.sent_at + dt.timedelta(days=accept_after), ctx.now)
        programme = _receiving_programme(organisation, person, accepted_at.date())
        if programme is not None:
            referral_accept(
                actor=actor,
                referral=referral,
                programme=programme,
                coordinator=ctx.users[STAFF[key]],
                at=accepted_at,
            )
    ctx.created["referrals"] += 1


def demo_referral_counts(organisations) -> dict[str, int]:
    referrals = Referral.objects.filter(to_organisation__in=list(organisations))
    by_status = dict(referrals.values_list("status").annotate(total=Count("id")).order_by())
    return {
        "referrals": referrals.count(),
        "external": referrals.filter(from_organisation__isnull=True).count(),
        **{status: by_status.get(status, 0) for status in ReferralStatus.values},
    }


def load_demo_referrals() -> dict:
    """Write the demo referrals (nothing when the demo organisations have referrals already). Returns the
    totals by status and, under "created", what this run added."""
    organisations = _organisations()
    users = {u.username: u for u in User.objects.filter(username__in={*STAFF.values(), *ANSWERERS.values()})}
    ready = set(STAFF) <= set(organisations) and {*STAFF.values(), *ANSWERERS.values()} <= set(users)
    rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
    ctx = _Context(organisations=organisations, users=users, rng=rng, now=timezone.now())
    if ready and not Referral.objects.filter(to_organisation__in=organisations.values()).exists():
        # Oldest first, so that each organisation's referral numbers follow the dates.
        steps = [(plan.sent_days_ago, _write, plan) for plan in PLANS]
        steps += [(row[4], _write_external, row) for row in EXTERNAL]
        with transaction.atomic():
            for _days_ago, write, item in sorted(steps, key=lambda step: -step[0]):
                write(ctx, item)
    return {**demo_referral_counts(organisations.values()), "created": dict(ctx.created)}
