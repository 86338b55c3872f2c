"""Demo sessions and group activities for `tirek demo`: a few months of work in the demo organisations.

Кеңес shows hundreds of sessions of its speech therapist, defectologist and psychologist; the Қамқорлық unit
a multidisciplinary team (rehabilitation doctor, defectologist, psychologist, physiotherapy instructor,
occupational therapist); the other centres their managers' consultations. Past sessions (some cancelled or
missed, with reasons, in every mode) are written through `visits_import_delivered`, the next two weeks are
booked through `visit_plan`, and group activities (group classes, parents' seminars, group consultations,
trainings) through the group services with their attendance. Everything is drawn from `random.Random(seed)`
with dates counted back from today, without double bookings. An organisation that already has sessions or
group activities is left as it is, so running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.accounts.services import staff_add
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.catalog.models import Profession, Service
from tirek.directory.models import Organisation
from tirek.operations.demo.organisations import DEMO_PASSWORD, ORGANISATIONS, demo_bin
from tirek.operations.demo.people.vocabulary import KNOWN_MANAGERS, NEW_MANAGERS
from tirek.plans.choices import PlanStatus
from tirek.plans.models import PlanGoal
from tirek.services.choices import CancellationReason, GroupActivityKind, Participant, VisitMode, VisitStatus
from tirek.services.models import GroupActivity, Visit
from tirek.services.services import (
    group_activity_create,
    group_activity_set_attendance,
    group_activity_update,
    visit_plan,
    visits_import_delivered,
)

PAST_DAYS = 105
# Progress notes on a plan's goal, as specialists write them after a session.
GOAL_NOTES = (
    "Нұсқаумен орындады, 5 әрекеттің 3-і сәтті.",
    "Алғаш рет өздігінен орындады.",
    "Көмекпен орындайды, ілгерілеу байқалады.",
    "Бүгін шаршап қалды, нәтиже тұрақсыз.",
    "Выполняет с подсказкой, 4 из 5 попыток.",
    "Впервые выполнил самостоятельно.",
    "Прогресс есть, закрепляем дома с мамой.",
)

AHEAD_DAYS = 14
# Individual sessions start on the hour; 12:00 is kept for group classes, 18:00 for parents' evenings.
SLOTS = (9, 10, 11, 14, 15, 16, 17)
GROUP_HOUR, EVENING_HOUR = 12, 18

# New specialists of the demo (username, last, first, patronymic, profession), by organisation key.
NEW_SPECIALISTS = {
    "kenes": [
        ("kenes.defectologist", "Байжанова", "Ләззат", "Ерболқызы", "defectologist"),
        ("kenes.psychologist", "Петрова", "Анна", "Сергеевна", "psychologist"),
    ],
    "kamkorlyk": [
        ("kamkorlyk.defectologist", "Әбдірахманова", "Гүлжан", "Талғатқызы", "defectologist"),
        ("kamkorlyk.psychologist", "Исаева", "Малика", "Рустамовна", "psychologist"),
        ("kamkorlyk.physio", "Нұрмағамбетов", "Ерлан", "Сәкенұлы", "physiotherapy_instructor"),
        ("kamkorlyk.ot", "Ли", "Виктория", "Олеговна", "occupational_therapist"),
    ],
}
# Who works with every case (username: service code, sessions per week), by organisation key; the first
# is on every case, the others on some. A manager's key is their organisation's manager.
TEAMS = {
    "kenes": [
        ("specialist", "speech_therapy_session", 1),
        ("kenes.defectologist", "defectology_session", 1),
        ("kenes.psychologist", "psychological_correction_session", 1),
    ],
    "kamkorlyk": [
        ("kamkorlyk.defectologist", "defectology_session", 1),
        ("kamkorlyk.physio", "physiotherapy_session", 1),
        ("kamkorlyk.psychologist", "psychological_correction_session", 1),
        ("kamkorlyk.ot", "occupational_therapy_session", 1),
        ("shymkent", "rehabilitation_doctor_consultation", 0.25),
    ],
    "rc2": [("shymkent", "neurologist_consultation", 0.5), ("manager", "physiotherapy_session", 0.5)],
    "amazing_kids": [("manager", "defectology_session", 0.5)],
    "sos_almaty": [("manager", "psychological_consultation", 0.5)],
    "sos_astana": [("manager", "social_worker_home_visit", 0.5)],
    "sos_temirtau": [("manager", "psychological_consultation", 0.5)],
    "graduates": [("manager", "legal_consultation", 0.5)],
    "youth_house": [("manager", "work_skills_training", 0.5)],
}
MINUTES = {
    "rehabilitation_doctor_consultation": 30,
    "neurologist_consultation": 30,
    "physiotherapy_session": 30,
    "legal_consultation": 60,
}
AT_CENTRE_ONLY = {"physiotherapy_session", "occupational_therapy_session", "neurologist_consultation"}
HOME_SERVICES = {"social_worker_home_visit"}
# Group activities: organisation key, kind, service, topic, facilitators, weekday (0 Monday), every n weeks,
# evening or midday, minutes, how many cases, others without a case.
GROUPS = [
    (
        "kenes",
        "group_class",
        "group_class",
        "Сөйлеуді дамыту тобы",
        ("specialist", "kenes.defectologist"),
        2,
        1,
        False,
        45,
        (4, 6),
        (0, 0),
    ),
    (
        "kenes",
        "seminar",
        "parents_training_seminar",
        "Ата-аналарға арналған семинар: үйдегі ойындар",
        ("kenes.psychologist", "specialist"),
        3,
        4,
        True,
        90,
        (6, 10),
        (2, 5),
    ),
    (
        "kamkorlyk",
        "group_class",
        "physiotherapy_session",
        "Топтық ЕДШ сабағы",
        ("kamkorlyk.physio",),
        1,
        1,
        False,
        45,
        (4, 6),
        (0, 0),
    ),
    (
        "kamkorlyk",
        "group_consultation",
        "group_consultation",
        "Ата-аналарға топтық кеңес",
        ("kamkorlyk.psychologist",),
        0,
        2,
        True,
        60,
        (5, 8),
        (1, 3),
    ),
    (
        "kamkorlyk",
        "training",
        "parents_training_seminar",
        "Ата-аналар мектебі: күнделікті дағдылар",
        ("kamkorlyk.ot", "kamkorlyk.defectologist"),
        4,
        4,
        True,
        90,
        (5, 8),
        (2, 4),
    ),
    (
        "sos_almaty",
        "seminar",
        "parents_training_seminar",
        "Позитивті ата-ана болу",
        ("manager",),
        3,
        4,
        True,
        90,
        (4, 6),
        (3, 8),
    ),
]
NOTES = [
    "Дыбыстарды автоматтандыру: [р] буындарда, үйге тапсырма берілді.",
    "Артикуляциялық гимнастика, анасы жаттығуларды үйренді.",
    "Работа над пониманием обращённой речи, показ по картинкам.",
    "Ұсақ моторика: жармамен, ермексазбен ойындар.",
    "Мама присутствовала, показаны упражнения для дома.",
    "Эмоциялық жағдайы тұрақты, байланысқа тез түсті.",
    "Упражнения на равновесие, ходьба по сенсорной дорожке.",
    "Күн тәртібі мен ұйқы бойынша кеңес берілді.",
    "Отрабатывали самостоятельный приём пищи ложкой.",
    "Бала шаршап қалды, сабақ қысқартылды.",
]
REASONS_CANCELLED = [
    (CancellationReason.CHILD_ILL, 5),
    (CancellationReason.FAMILY, 2),
    (CancellationReason.HOSPITAL, 1),
    (CancellationReason.TRANSPORT, 1),
    (CancellationReason.SPECIALIST_ABSENT, 1),
]
REASONS_NO_SHOW = [
    (CancellationReason.NO_NOTICE, 5),
    (CancellationReason.CHILD_ILL, 1),
    (CancellationReason.OTHER, 1),
]
MODES = [
    (VisitMode.CENTRE, 75),
    (VisitMode.HOME, 8),
    (VisitMode.VIDEO, 7),
    (VisitMode.PHONE, 5),
    (VisitMode.MESSENGER, 5),
]
PARTICIPANTS = [
    ([Participant.CHILD, Participant.MOTHER], 70),
    ([Participant.CHILD], 14),
    ([Participant.CHILD, Participant.FATHER], 8),
    ([Participant.CHILD, Participant.MOTHER, Participant.FATHER], 4),
    ([Participant.CHILD, Participant.GUARDIAN], 4),
]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@dataclass
class _Context:
    rng: random.Random
    today: dt.date
    organisations: dict[str, Organisation]
    managers: dict[str, User]
    users: dict[str, User]
    services: dict[str, Service]
    busy: set
    created: Counter
    case_teams: dict


def _organisations() -> dict[str, Organisation]:

    by_bin = {
        o.bin: o for o in Organisation.objects.filter(bin__in=[demo_bin(row[7]) for row in ORGANISATIONS])
    }
    return {row[0]: by_bin[demo_bin(row[7])] for row in ORGANISATIONS if demo_bin(row[7]) in by_bin}


def _managers(organisations: dict[str, Organisation]) -> dict[str, User]:

    usernames = {**KNOWN_MANAGERS, **{key: row[0] for key, row in NEW_MANAGERS.items()}}
    users = {u.username: u for u in User.objects.filter(username__in=usernames.values())}
    return {key: users[name] for key, name in usernames.items() if name in users and key in organisations}


def _specialists(ctx: _Context) -> list[str]:
    """Add the demo's specialists (as each organisation's manager would) and give them the demo password."""

    professions = {p.code: p for p in Profession.objects.all()}
    added = []
    for key, people in NEW_SPECIALISTS.items():
        organisation, manager = ctx.organisations.get(key), ctx.managers.get(key)
        if organisation is None or manager is None:
            continue
        for username, last, first, patronymic, profession in people:
            membership = Membership.objects.filter(user__username=username, organisation=organisation).first()
            if membership is None:
                membership = staff_add(
                    actor=manager,
                    organisation=organisation,
                    username=username,
                    role="specialist",
                    profession=professions.get(profession),
                    last_name=last,
                    first_name=first,
                    patronymic=patronymic,
                    send_invitation=False,
                )
                membership.user.set_password(DEMO_PASSWORD)
                membership.user.save(update_fields=["password"])
                ctx.created["specialists"] += 1
            ctx.users[username] = membership.user
            added.append(username)
    return added


def _team(ctx: _Context, key: str) -> list[tuple[User, Service, float]]:
    team = []
    for username, code, per_week in TEAMS.get(key, []):
        user = ctx.managers.get(key) if username == "manager" else ctx.users.get(username)
        service = ctx.services.get(code)
        if user is not None and service is not None:
            team.append((user, service, per_week))
    return team


def _free(ctx: _Context, user: User, days: list[dt.date], hours=SLOTS) -> tuple[dt.date, int] | None:
    options = [(day, hour) for day in days for hour in hours if (user.pk, day, hour) not in ctx.busy]
    if not options:
        return None
    day, hour = ctx.rng.choice(options)
    ctx.busy.add((user.pk, day, hour))
    return day, hour


def _weeks(first: dt.date, last: dt.date, *, with_today: dt.date | None = None) -> list[list[dt.date]]:
    """The working days from `first` to `last`, week by week (and `with_today` even on a weekend)."""
    weeks, day = [], first
    while day <= last:
        week = [
            d
            for d in (day + dt.timedelta(days=n) for n in range(7))
            if d <= last and (d.weekday() < 5 or d == with_today)
        ]
        if week:
            weeks.append(week)
        day += dt.timedelta(days=7)
    return weeks


def _mode_and_people(ctx: _Context, service: Service) -> tuple[str, list[str]]:
    if service.code in HOME_SERVICES:
        return VisitMode.HOME, [Participant.CHILD, Participant.MOTHER]
    mode = VisitMode.CENTRE if service.code in AT_CENTRE_ONLY else _pick(ctx.rng, MODES)
    if mode in (VisitMode.PHONE, VisitMode.MESSENGER):
        return mode, [Participant.MOTHER]
    return mode, list(_pick(ctx.rng, PARTICIPANTS))


def _groups(ctx: _Context, key: str, cases: list[Case]) -> None:
    """The organisation's group activities: held ones with their attendance, and the coming ones."""
    organisation, manager = ctx.organisations[key], ctx.managers[key]
    start = ctx.today - dt.timedelta(days=PAST_DAYS)
    for org_key, kind, code, topic, hosts, weekday, every, evening, minutes, sizes, others in GROUPS:
        if org_key != key or code not in ctx.services:
            continue
        facilitators = [manager if h == "manager" else ctx.users.get(h) for h in hosts]
        if any(f is None for f in facilitators):
            continue
        day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
        number = 0
        while day <= ctx.today + dt.timedelta(days=AHEAD_DAYS):
            number += 1
            hour = EVENING_HOUR if evening else GROUP_HOUR
            eligible = [
                c for c in cases if c.status in (CaseStatus.INTAKE, CaseStatus.ACTIVE) and c.opened_on <= day
            ]
            if len(eligible) >= sizes[0] and all((f.pk, day, hour) not in ctx.busy for f in facilitators):
                chosen = ctx.rng.sample(eligible, min(len(eligible), ctx.rng.randint(*sizes)))
                activity = group_activity_create(
                    actor=manager,
                    organisation=organisation,
                    kind=kind,
                    topic=topic,
                    service=ctx.services[code],
                    starts_at=_at(day, hour),
                    minutes=minutes,
                    facilitators=facilitators,
                    cases=chosen,
                    others_count=ctx.rng.randint(*others),
                )
                for facilitator in facilitators:
                    ctx.busy.add((facilitator.pk, day, hour))
                ctx.created["group_activities"] += 1
                if day < ctx.today and number == 3 and kind == GroupActivityKind.GROUP_CLASS:
                    group_activity_update(actor=manager, activity=activity, status="cancelled")
                elif day < ctx.today:
                    present = [c for c in chosen if ctx.rng.random() < 0.85]
                    group_activity_set_attendance(actor=manager, activity=activity, attended=present)
            day += dt.timedelta(days=7 * every)


def _plan_goals(cases: list[Case]) -> dict:
    """The goals of each case's plan past the draft stage (one query), for the sessions' progress notes."""

    goals: dict = {}
    found = PlanGoal.objects.filter(plan__case__in=cases).exclude(
        plan__status__in=[PlanStatus.DRAFT, PlanStatus.SUPERSEDED]
    )
    for goal in found.annotate(case_id=F("plan__case_id")).order_by("order"):
        goals.setdefault(goal.case_id, []).append(goal)
    return goals


def _past_rows(ctx: _Context, key: str, cases: list[Case], team) -> list[dict]:
    rows = []
    yesterday = ctx.today - dt.timedelta(days=1)
    goals = _plan_goals(cases)
    for case in cases:
        first = max(case.opened_on, ctx.today - dt.timedelta(days=PAST_DAYS))
        last = min(case.closed_on or yesterday, yesterday)
        members = team[:1] + [m for m in team[1:] if ctx.rng.random() < 0.6]
        for user, service, per_week in members:
            for week in _weeks(first, last):
                if ctx.rng.random() >= per_week:
                    continue
                slot = _free(ctx, user, week)
                if slot is None:
                    continue
                mode, participants = _mode_and_people(ctx, service)
                roll = ctx.rng.random()
                row = {
                    "case": case,
                    "starts_at": _at(*slot),
                    "minutes": MINUTES.get(service.code, 45),
                    "service": service,
                    "specialist": user,
                    "mode": mode,
                    "participants": participants,
                    "status": VisitStatus.ATTENDED,
                }
                if roll < 0.08:
                    row |= {
                        "status": VisitStatus.CANCELLED,
                        "cancellation_reason": _pick(ctx.rng, REASONS_CANCELLED),
                    }
                elif roll < 0.15:
                    row |= {
                        "status": VisitStatus.NO_SHOW,
                        "cancellation_reason": _pick(ctx.rng, REASONS_NO_SHOW),
                    }
                else:
                    if ctx.rng.random() < 0.3:
                        row["note"] = ctx.rng.choice(NOTES)
                    if goals.get(case.pk) and ctx.rng.random() < 0.5:
                        goal = ctx.rng.choice(goals[case.pk])
                        row["goals"] = [{"plan_goal_id": goal.pk, "note": ctx.rng.choice(GOAL_NOTES)}]
                rows.append(row)
        ctx.case_teams[case.pk] = [user for user, _service, _per_week in members]
    return rows


def _plan_ahead(ctx: _Context, key: str, cases: list[Case]) -> None:
    manager = ctx.managers[key]
    team = {user.pk: (service, per_week) for user, service, per_week in _team(ctx, key)}
    last = ctx.today + dt.timedelta(days=AHEAD_DAYS - 1)
    for case in cases:
        if case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
            continue
        for user in ctx.case_teams.get(case.pk, []):
            service, per_week = team[user.pk]
            for week in _weeks(ctx.today, last, with_today=ctx.today):
                if ctx.rng.random() >= per_week:
                    continue
                slot = _free(ctx, user, week)
                if slot is None:
                    continue
                mode, participants = _mode_and_people(ctx, service)
                visit_plan(
                    actor=manager,
                    case=case,
                    starts_at=_at(*slot),
                    minutes=MINUTES.get(service.code, 45),
                    service=service,
                    specialist=user,
                    mode=mode,
                    participants=participants,
                )
                ctx.created["planned"] += 1


def _load_organisation(ctx: _Context, key: str) -> None:
    organisation, manager = ctx.organisations[key], ctx.managers[key]
    team = _team(ctx, key)
    if not team:
        return
    cases = list(
        Case.objects.filter(organisation=organisation)
        .exclude(status=CaseStatus.REFERRED)
        .select_related("coordinator")
        .order_by("number")
    )
    _groups(ctx, key, cases)
    rows = _past_rows(ctx, key, cases, team)
    rows.sort(key=lambda row: row["starts_at"])
    if rows:
        visits_import_delivered(actor=manager, organisation=organisation, rows=rows)
        ctx.created["past"] += len(rows)
    _plan_ahead(ctx, key, cases)


def demo_service_counts() -> dict:
    """What the demo organisations' sessions and group activities amount to now."""
    organisations = _organisations()
    visits = Visit.objects.filter(organisation__in=organisations.values())
    by_status = Counter(visits.values_list("status", flat=True))
    kenes, kamkorlyk = organisations.get("kenes"), organisations.get("kamkorlyk")
    return {
        "visits": sum(by_status.values()),
        **{f"visits_{status}": by_status.get(status, 0) for status in VisitStatus.values},
        "visits_kenes": visits.filter(organisation=kenes).count() if kenes else 0,
        "visits_kamkorlyk": visits.filter(organisation=kamkorlyk).count() if kamkorlyk else 0,
        "group_activities": GroupActivity.objects.filter(organisation__in=organisations.values()).count(),
    }


def load_demo_services(*, seed: int = 2026) -> dict:
    """Write the demo sessions and group activities; returns the totals and, under `created`, this run's.

    Needs the demo organisations, users and persons (`tirek demo` loads them first). An organisation that
    already has sessions or group activities is skipped."""
    organisations = _organisations()
    ctx = _Context(
        rng=random.Random(seed),  # noqa: S311 (demo data, not secrets)
        today=timezone.localdate(),
        organisations=organisations,
        managers=_managers(organisations),
        users={u.username: u for u in User.objects.filter(username__in=["specialist", "shymkent"])},
        services={s.code: s for s in Service.objects.filter(is_active=True)},
        busy=set(),
        created=Counter(),
        case_teams={},
    )
    with transaction.atomic():
        specialists = _specialists(ctx)
        for user in [*ctx.users.values(), *ctx.managers.values()]:
            user.forget_roles()
        # Time already booked (by an earlier run, or by hand) stays booked.
        for specialist_id, starts_at in Visit.objects.filter(
            status__in=(VisitStatus.PLANNED, VisitStatus.ATTENDED), group_activity__isnull=True
        ).values_list("specialist_id", "starts_at"):
            local = timezone.localtime(starts_at)
            ctx.busy.add((specialist_id, local.date(), local.hour))
        for key in TEAMS:
            if key not in organisations or key not in ctx.managers:
                continue
            organisation = organisations[key]
            if Visit.objects.filter(organisation=organisation).exists() or (
                GroupActivity.objects.filter(organisation=organisation).exists()
            ):
                continue
            _load_organisation(ctx, key)
    return {**demo_service_counts(), "created": dict(ctx.created), "specialists": specialists}
