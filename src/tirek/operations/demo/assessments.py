"""Demo assessments for `tirek demo`: a few of each kind for the demo children of early-intervention cases.

Everything is recorded through `assessment_record`, acted by the case's coordinator (or the organisation's
manager when the case has none), so the demo has the timelines, audit events and scores of data entered by
hand. Answers are drawn from `random.Random(seed)`; a case that already has assessments is skipped, so
running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from tirek.accounts.choices import Role
from tirek.accounts.models import Membership, User
from tirek.accounts.services import user_switch_organisation
from tirek.assessments.models import Assessment, Instrument
from tirek.assessments.scoring import MCHAT_RISK_ON_YES, WHO_MOTOR_WINDOWS
from tirek.assessments.services import assessment_record
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.core.scoping import can
from tirek.operations.demo.people.vocabulary import REF_PREFIX
from tirek.people.access import can_see_health
from tirek.people.models import ExternalReference

# ICF codes a team often records for young children, with titles in the team's own words.
ICF_ROWS = [
    ("b117", "интеллектуальные функции"),
    ("b167", "речь: понимание и выражение"),
    ("b760", "контроль произвольных движений"),
    ("d115", "слушает, откликается на звук"),
    ("d310", "понимает обращённую речь"),
    ("d330", "говорит слова, фразы"),
    ("d440", "мелкие движения рук"),
    ("d450", "ходьба"),
    ("d550", "приём пищи"),
    ("d710", "контакт со взрослыми"),
    ("d880", "игра"),
    ("e310", "поддержка семьи"),
    ("e1151", "вспомогательные средства"),
    ("e580", "доступ к медицинской помощи"),
]
DELAY_WEIGHTS = [("age_appropriate", 60), ("mild", 25), ("moderate", 12), ("severe", 3)]
HEARING_PERFORMERS = ["Неонатолог перинатального центра", "Сурдолог городской поликлиники", "Аудиолог КДЦ"]
EEG_PERFORMERS = ["Нейрофизиолог областной детской больницы", "Врач функциональной диагностики"]


def _acting(user: User, organisation_id) -> User:
    user.forget_roles()
    if user.active_organisation_id_checked() != organisation_id:
        user_switch_organisation(user=user, organisation_id=organisation_id)
        user.forget_roles()
    return user


def _actor(case: Case, managers: dict) -> User | None:
    for user in (case.coordinator, managers.get(case.organisation_id)):
        if user is None or not user.is_active or case.organisation_id not in user.organisation_ids():
            continue
        user = _acting(user, case.organisation_id)
        if can(user, "assessments.record", case.organisation_id) and can_see_health(user, case.person):
            return user
    return None


def _on(day: dt.date, today: dt.date, birth: dt.date | None) -> dt.date:
    day = min(day, today)
    return max(day, birth) if birth else day


def _weighted(rng: random.Random, weights) -> str:
    return rng.choices([v for v, _w in weights], [w for _v, w in weights])[0]


def _mchat(rng: random.Random) -> tuple[dict, int | None]:
    roll = rng.random()
    failed_count = (
        rng.randint(0, 2) if roll < 0.7 else rng.randint(3, 7) if roll < 0.9 else rng.randint(8, 12)
    )
    failed = set(rng.sample(range(1, 21), failed_count))
    answers = {}
    for number in range(1, 21):
        risky = "yes" if number in MCHAT_RISK_ON_YES else "no"
        answers[str(number)] = risky if number in failed else ("no" if risky == "yes" else "yes")
    follow_up = None
    if 3 <= failed_count <= 7 and rng.random() < 0.6:
        follow_up = rng.randint(0, min(3, failed_count))
    return answers, follow_up


def _motor(rng: random.Random, age_months: float) -> dict:
    slow = 1.5 if rng.random() < 0.2 else 1.0
    answers = {}
    for code, (lower, upper) in WHO_MOTOR_WINDOWS.items():
        typical = lower + (upper - lower) * rng.uniform(0.15, 0.55)
        answers[code] = "yes" if age_months > typical * slow else "no"
    return answers


def _icf(rng: random.Random) -> dict:
    answers = {}
    for code, title in rng.sample(ICF_ROWS, rng.randint(3, 6)):
        if code.startswith("d"):
            performance = rng.choice([0, 1, 1, 2, 2, 3])
            value = {"performance": performance, "capacity": max(0, performance - rng.choice([0, 0, 1]))}
        elif code.startswith("e"):
            value = {"qualifier": rng.choice([1, 2, 3]), "sign": rng.choice(["barrier", "facilitator"])}
        else:
            value = {"qualifier": rng.choice([0, 1, 2, 3])}
        answers[code] = {**value, "title": title}
    return answers


def _plan(case: Case, rng: random.Random, today: dt.date) -> list[tuple[str, dt.date, dict, dict]]:
    """The assessments of one case: (instrument code, date, answers, other fields)."""
    person = case.person
    birth = person.birth_date
    first = _on(case.opened_on + dt.timedelta(days=rng.randint(3, 20)), today, birth)
    plan: list[tuple[str, dt.date, dict, dict]] = []
    domains = ["motor", "vision", "hearing", "cognitive", "communication", "social_emotional", "adaptive"]
    plan.append(("developmental_profile", first, {d: _weighted(rng, DELAY_WEIGHTS) for d in domains}, {}))
    age = person.age_in_months(first)
    if age is not None and 16 <= age <= 30:
        answers, follow_up = _mchat(rng)
        plan.append(("mchat_rf", first, answers, {"follow_up_score": follow_up}))
    if birth and age is not None and age <= 24:
        plan.append(("who_motor_milestones", first, _motor(rng, (first - birth).days / 30.4375), {}))
    if rng.random() < 0.4:
        plan.append(("icf_cy_profile", _on(first + dt.timedelta(days=7), today, birth), _icf(rng), {}))
    if birth and rng.random() < 0.3:
        refer = rng.random() < 0.1
        plan.append(
            (
                "audiological_screening",
                _on(birth + dt.timedelta(days=rng.randint(2, 30)), today, birth),
                {
                    "method": rng.choice(["oae", "oae", "aabr"]),
                    "right_ear": "pass",
                    "left_ear": "refer" if refer else "pass",
                    "performer": rng.choice(HEARING_PERFORMERS),
                    "conclusion": "Левое ухо: повторный скрининг через месяц." if refer else "Слух в норме.",
                },
                {},
            )
        )
    if rng.random() < 0.1:
        abnormal = rng.random() < 0.3
        plan.append(
            (
                "eeg",
                _on(first - dt.timedelta(days=rng.randint(10, 60)), today, birth),
                {
                    "result": "abnormal" if abnormal else "normal",
                    "performer": rng.choice(EEG_PERFORMERS),
                    "conclusion": "Эпилептиформная активность не выявлена."
                    if not abnormal
                    else "Региональное замедление в лобных отведениях; консультация невролога.",
                },
                {},
            )
        )
    return plan


def load_demo_assessments(*, seed: int = 2026) -> dict:
    """Record demo assessments for the open early-intervention cases of the demo children.

    Returns {"assessments": total of the demo children's assessments, "created": {instrument code: count}}.
    """
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    demo_persons = ExternalReference.objects.filter(external_id__startswith=REF_PREFIX).values("person_id")
    instruments = {i.code: i for i in Instrument.objects.filter(is_active=True).prefetch_related("items")}
    managers = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(role=Role.MANAGER, is_active=True).select_related("user")
    }
    cases = (
        Case.objects.filter(person_id__in=demo_persons, programme__kind="early_intervention")
        .exclude(status=CaseStatus.CLOSED)
        .filter(assessments__isnull=True)
        .select_related("person", "coordinator", "organisation")
        .order_by("organisation_id", "number")
    )
    created: Counter = Counter()
    with transaction.atomic():
        for case in cases:
            actor = _actor(case, managers)
            if actor is None:
                continue
            for code, on, answers, extra in _plan(case, rng, today):
                if code not in instruments:
                    continue
                assessment_record(
                    actor=actor,
                    case=case,
                    instrument=instruments[code],
                    assessed_on=on,
                    answers=answers,
                    **extra,
                )
                created[code] += 1
    return {
        "assessments": Assessment.objects.filter(case__person_id__in=demo_persons).count(),
        "created": dict(created),
    }
