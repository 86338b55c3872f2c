"""Demo individual plans for `tirek demo`: the active early-intervention and developmental cases get a plan.

Each plan is written through the services as the organisation's staff would: drafted by the case's
coordinator (the manager when the case has none), goals and services with the family's consent, approved by
the organisation's manager, put in force, and reviewed every six months while the case has been open that
long. Dates count back from the case's opening; the draws come from `random.Random` seeded per case, so the
same case gets the same plan. A case that already has a plan is left alone, so running the demo again adds
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.accounts.services import user_switch_organisation
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.catalog.models import Profession, Service
from tirek.directory.choices import ProgrammeKind
from tirek.people.models import ExternalReference
from tirek.plans.choices import Domain, FrequencyPeriod, GoalRating, ServiceMode
from tirek.plans.models import Plan, PlanReview
from tirek.plans.services import (
    add_months,
    plan_activate,
    plan_approve,
    plan_create,
    plan_goal_add,
    plan_review,
    planned_service_add,
    review_interval_months,
)

DEMO_REF_PREFIX = "DEMO-"
PROGRAMME_KINDS = (ProgrammeKind.EARLY_INTERVENTION, ProgrammeKind.DEVELOPMENTAL_SUPPORT)
# The language each centre writes its plans in (Kamkorlyk keeps its records in Russian).
RUSSIAN_CASE_PREFIXES = ("KAM",)

# domain: [(kk, ru), …]
PRESENT_LEVELS = {
    Domain.PHYSICAL: [
        (
            "Отырады, тірекпен тұрады; көруі мен естуі жасына сай.",
            "Сидит, стоит у опоры; зрение и слух в норме.",
        ),
        (
            "Өз бетімен жүреді, бірақ жиі сүрінеді; сурдолог тексерді, есту сақталған.",
            "Ходит самостоятельно, но часто спотыкается; осмотрен сурдологом, слух сохранён.",
        ),
    ],
    Domain.COGNITIVE: [
        (
            "Заттарды қорапқа салады, жасырылған ойыншықты іздейді.",
            "Складывает предметы в коробку, ищет спрятанную игрушку.",
        ),
        (
            "Түстерді ажыратпайды, екі бөліктен тұратын суретті құрастырады.",
            "Не различает цвета, собирает картинку из двух частей.",
        ),
    ],
    Domain.COMMUNICATION: [
        (
            "Жеке буындарды айтады, «бер» деген өтінішті ыммен білдіреді.",
            "Произносит отдельные слоги, просьбу «дай» выражает жестом.",
        ),
        (
            "5–6 сөз айтады, қарапайым нұсқауды түсінеді.",
            "Говорит 5–6 слов, понимает простые инструкции.",
        ),
    ],
    Domain.SOCIAL_EMOTIONAL: [
        ("Жақындарын таниды, бейтаныс адамнан қысылады.", "Узнаёт близких, стесняется незнакомых."),
        (
            "Басқа балалардың қасында ойнайды, бірақ бірге ойнамайды.",
            "Играет рядом с другими детьми, но не вместе с ними.",
        ),
    ],
    Domain.ADAPTIVE: [
        ("Қасықпен ересектің көмегімен тамақтанады.", "Ест ложкой с помощью взрослого."),
        (
            "Киінгенде ересектің көмегі керек, кеседен өзі ішеді.",
            "Одевается с помощью взрослого, пьёт из чашки сам.",
        ),
    ],
}
FAMILY = {
    "family_concerns": [
        (
            "Бала әлі сөйлемейді, ата-анасы оның қатарластарынан қалып қоюынан алаңдайды.",
            "Ребёнок пока не говорит, родители беспокоятся, что он отстаёт от сверстников.",
        ),
        (
            "Бала тез шаршайды, жүргенде жиі құлайды.",
            "Ребёнок быстро устаёт, часто падает при ходьбе.",
        ),
    ],
    "family_priorities": [
        (
            "Баланың қажеттілігін сөзбен айтуы, өз бетімен тамақтануы.",
            "Чтобы ребёнок говорил о своих потребностях и ел самостоятельно.",
        ),
        ("Балабақшаға баруға дайындық.", "Подготовка к детскому саду."),
    ],
    "family_resources": [
        (
            "Әжесі күнделікті көмектеседі, отбасы үйдегі жаттығуларға дайын.",
            "Бабушка помогает ежедневно, семья готова заниматься дома.",
        ),
        (
            "Ата-анасы екеуі де жұмыс істейді; сенбі күндері сабаққа әкеле алады.",
            "Оба родителя работают; могут приводить на занятия по субботам.",
        ),
    ],
}
TRANSITION = (
    "3 жасқа толғанға дейін: ПМПК-ға жолдама, балабақшаға көшуді ата-анамен бірге жоспарлау.",
    "До 3 лет: направление на ПМПК, переход в детский сад планируем вместе с родителями.",
)
# domain: (wording kk, criterion kk, wording ru, criterion ru)
GOALS = [
    (
        Domain.COMMUNICATION,
        "Су, нан, ойыншық сияқты 10 сөзбен өтініш білдіреді.",
        "2 апта бойы күн сайын, 5 жағдайдың 4-інде",
        "Выражает просьбу 10 словами (вода, хлеб, игрушка…).",
        "ежедневно 2 недели, в 4 случаях из 5",
    ),
    (
        Domain.PHYSICAL,
        "Ересектің қолынан ұстамай 10 қадам жүреді.",
        "3 күн қатарынан",
        "Проходит 10 шагов без поддержки взрослого.",
        "3 дня подряд",
    ),
    (
        Domain.COGNITIVE,
        "Үш пішінді сәйкес ұяшықтарға салады.",
        "5 әрекеттің 4-інде",
        "Раскладывает три фигуры в соответствующие прорези.",
        "в 4 попытках из 5",
    ),
    (
        Domain.SOCIAL_EMOTIONAL,
        "Басқа баламен 5 минут бірге ойнайды.",
        "аптасына 3 рет",
        "Играет с другим ребёнком 5 минут.",
        "3 раза в неделю",
    ),
    (
        Domain.ADAPTIVE,
        "Кеседен төгіп-шашпай өзі ішеді.",
        "күн сайын, бір апта бойы",
        "Самостоятельно пьёт из чашки, не проливая.",
        "ежедневно в течение недели",
    ),
]
# service code, profession code, sessions, per, minutes, mode
SERVICES = [
    ("speech_therapy_session", "speech_therapist", 2, FrequencyPeriod.WEEK, 30, ServiceMode.CENTRE),
    ("defectology_session", "defectologist", 2, FrequencyPeriod.WEEK, 30, ServiceMode.CENTRE),
    ("physiotherapy_session", "physiotherapy_instructor", 3, FrequencyPeriod.WEEK, 25, ServiceMode.CENTRE),
    ("psychological_correction_session", "psychologist", 1, FrequencyPeriod.WEEK, 30, ServiceMode.VIDEO),
    ("social_worker_home_visit", "social_worker", 2, FrequencyPeriod.MONTH, 60, ServiceMode.HOME),
    ("massage", "massage_therapist", 10, FrequencyPeriod.MONTH, 20, ServiceMode.CENTRE),
]
REVIEW_SUMMARIES = (
    (
        "Бала сабақтарға тұрақты қатысады, сөздік қоры кеңейді; жоспар өзгеріссіз жалғасады.",
        "Ребёнок регулярно посещает занятия, словарный запас расширился; план продолжается без изменений.",
    ),
    (
        "Отбасы үйдегі тапсырмаларды орындайды; қимыл дағдыларында ілгерілеу бар.",
        "Семья выполняет домашние задания; есть продвижение в двигательных навыках.",
    ),
)


def _acting(user: User, organisation_id) -> User:
    """`user`, acting in the case's organisation (switched there through the service when elsewhere)."""
    user.forget_roles()
    if user.active_organisation_id_checked() != organisation_id:
        user_switch_organisation(user=user, organisation_id=organisation_id)
        user.forget_roles()
    return user


def _manager(case: Case) -> User | None:
    membership = (
        Membership.objects.filter(organisation_id=case.organisation_id, role="manager", is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership else None


def _demo_cases():
    demo_persons = ExternalReference.objects.filter(external_id__startswith=DEMO_REF_PREFIX).values(
        "person_id"
    )
    return (
        Case.objects.filter(
            status=CaseStatus.ACTIVE, programme__kind__in=PROGRAMME_KINDS, person_id__in=demo_persons
        )
        .select_related("organisation", "programme", "person", "coordinator")
        .order_by("number")
    )


def _clamp(day: dt.date, low: dt.date, high: dt.date) -> dt.date:
    return max(low, min(day, high))


def _write_plan(case: Case, rng: random.Random, today: dt.date, counts: Counter) -> None:
    manager = _manager(case)
    if manager is None:
        return
    writer = case.coordinator or manager
    ru = case.number.startswith(RUSSIAN_CASE_PREFIXES)
    pick = 1 if ru else 0
    drafted_on = _clamp(case.opened_on + dt.timedelta(days=rng.randint(10, 35)), case.opened_on, today)
    approved_on = _clamp(drafted_on + dt.timedelta(days=rng.randint(1, 7)), drafted_on, today)
    domains = rng.sample(list(Domain), k=rng.randint(3, 5))
    levels = {domain.value: rng.choice(PRESENT_LEVELS[domain])[pick] for domain in domains}
    fields = {name: rng.choice(options)[pick] for name, options in FAMILY.items()}
    age = case.person.age_in_months(today)
    if case.programme.kind == ProgrammeKind.EARLY_INTERVENTION and age is not None and age >= 27:
        fields["transition_steps"] = TRANSITION[pick]
    actor = _acting(writer, case.organisation_id)
    plan = plan_create(actor=actor, case=case, present_levels=levels, **fields)
    for order, (domain, kk, kk_criterion, ru_text, ru_criterion) in enumerate(
        rng.sample(GOALS, k=rng.randint(2, 4)), 1
    ):
        plan_goal_add(
            actor=actor,
            plan=plan,
            domain=domain,
            wording=ru_text if ru else kk,
            criterion=ru_criterion if ru else kk_criterion,
            target_date=add_months(approved_on, review_interval_months(case)),
            order=order,
        )
    services = {s.code: s for s in Service.objects.filter(code__in=[row[0] for row in SERVICES])}
    professions = {p.code: p for p in Profession.objects.filter(code__in=[row[1] for row in SERVICES])}
    providers = {
        m.profession.code: m.user
        for m in Membership.objects.filter(
            organisation_id=case.organisation_id, is_active=True, profession__isnull=False
        ).select_related("profession", "user")
    }
    for code, profession, frequency, period, minutes, mode in rng.sample(SERVICES, k=rng.randint(2, 4)):
        if code not in services or profession not in professions:
            continue
        planned_service_add(
            actor=actor,
            plan=plan,
            service=services[code],
            profession=professions[profession],
            provider=providers.get(profession),
            frequency=frequency,
            frequency_period=period,
            minutes=minutes,
            mode=mode,
            start_date=_clamp(approved_on + dt.timedelta(days=rng.randint(0, 7)), approved_on, today),
            family_consent=True,
            consent_date=approved_on,
        )
    plan = plan_approve(actor=_acting(manager, case.organisation_id), plan=plan, approved_on=approved_on)
    plan = plan_activate(actor=_acting(writer, case.organisation_id), plan=plan, active_from=approved_on)
    counts["plans"] += 1
    due = plan.review_due_on
    while due is not None and due <= today and _review_count(plan) < 2:
        goals = list(plan.goals.all())
        ratings = [
            {
                "goal": goal,
                "rating": rng.choices(
                    [GoalRating.EMERGING, GoalRating.PROGRESSING, GoalRating.ACHIEVED], weights=[2, 5, 3]
                )[0],
            }
            for goal in goals
        ]
        review = plan_review(
            actor=_acting(writer, case.organisation_id),
            plan=plan,
            ratings=ratings,
            summary=rng.choice(REVIEW_SUMMARIES)[pick],
            reviewed_on=due,
        )
        counts["reviews"] += 1
        due = review.next_review_due_on


def _review_count(plan: Plan) -> int:
    return PlanReview.objects.filter(plan=plan).count()


def demo_plan_counts() -> dict:
    demo_persons = ExternalReference.objects.filter(external_id__startswith=DEMO_REF_PREFIX).values(
        "person_id"
    )
    plans = Plan.objects.filter(case__person_id__in=demo_persons)
    return {
        "plans": plans.count(),
        "plans_in_force": plans.filter(status__in=["active", "reviewed"]).count(),
        "plan_reviews": PlanReview.objects.filter(plan__in=plans).count(),
    }


def load_demo_plans(*, seed: int = 2026) -> dict:
    """Give every active demo case of the early-intervention and developmental programmes a plan in force.

    Returns the totals (`demo_plan_counts`) and, under `created`, what this run added.
    """
    today = timezone.localdate()
    created: Counter = Counter()
    with transaction.atomic():
        for case in _demo_cases():
            if case.plans.exists():
                continue
            rng = random.Random(f"{seed}:{case.number}")  # noqa: S311 (demo data, not secrets)
            _write_plan(case, rng, today, created)
    return {**demo_plan_counts(), "created": dict(created)}
