"""The scoring rules: pure functions that turn an instrument's checked answers into scores and an
interpretation.

An instrument names one rule of the fixed registry `RULES` by code. The built-in instruments (data migration
0002) use the specific rules; an administrator adds instruments with the generic ones ("sum", "none")
without code. Nothing here reads or writes the database: items are any objects with the attributes of
`InstrumentItem`, and everything about the child arrives in a `ScoringContext`. The answers' own format and
checks are in answers.py.

Scores are JSON; every rule adds "warnings" (codes of ScoreWarning). What each rule writes:
- sum: {"total", "band"}; mchat_rf: {"total", "failed_items", "follow_up_score", "rescreen_after_24_months"};
- who_motor: {"age_months", "chronological_age_months", "corrected", "gestation_weeks", "milestones":
  {code: {"status", "lower", "upper"}}, "flags"}; domain_profile: {"domains": {domain: {"level", "rating"}},
  "needs_support"};
- icf_profile: {"rows": [{"code", "component", "notation", "title"}], "by_component", "problems", "barriers",
  "facilitators"}; exam_result: {"findings", "abnormal"}.

The five-domain profile rates each item on DelayRating: 0 age-appropriate, 1 mild, 2 moderate, 3 severe
delay; a domain takes the worst rating of its items (physical = motor, vision, hearing) and needs support
from a mild delay on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tirek.assessments.answers import ICF_CODE, as_number, item_options, validate_answers
from tirek.assessments.choices import (
    AnswerType,
    DelayRating,
    DevelopmentalDomain,
    IcfComponent,
    IcfSign,
    Interpretation,
    MilestoneStatus,
    ScoreWarning,
    ScoringRule,
)

DAYS_PER_MONTH = 365.25 / 12

# M-CHAT-R/F: the items at risk on "yes"; every other item is at risk on "no".
MCHAT_RISK_ON_YES = frozenset({2, 5, 12})
MCHAT_ITEMS = range(1, 21)

# WHO Multicentre Growth Reference Study windows of achievement, 1st–99th percentile, in months.
WHO_MOTOR_WINDOWS: dict[str, tuple[float, float]] = {
    "sitting_without_support": (3.8, 9.2),
    "standing_with_assistance": (4.8, 11.4),
    "hands_and_knees_crawling": (5.2, 13.5),
    "walking_with_assistance": (5.9, 13.7),
    "standing_alone": (6.9, 16.9),
    "walking_alone": (8.2, 17.6),
}
# Corrected age is used for children born before this many weeks, while younger than CORRECT_UNTIL_MONTHS.
PRETERM_BELOW_WEEKS = 37
TERM_WEEKS = 40
CORRECT_UNTIL_MONTHS = 24

DELAY_LEVELS = {
    DelayRating.AGE_APPROPRIATE: 0,
    DelayRating.MILD: 1,
    DelayRating.MODERATE: 2,
    DelayRating.SEVERE: 3,
}


@dataclass(frozen=True)
class ScoringContext:
    """What a rule may know beyond the answers: the child's age on the day and the instrument's settings."""

    age_days: int | None = None
    age_months: int | None = None  # completed months, as on a birthday calendar
    gestation_weeks: int | None = None
    follow_up_score: int | None = None
    min_age_months: int | None = None
    max_age_months: int | None = None
    parameters: dict = field(default_factory=dict)


@dataclass
class ScoreResult:
    scores: dict
    interpretation: str


def parameter_problems(rule: str, parameters: Any) -> list[str]:
    """Why an instrument's scoring parameters do not fit its rule (for Instrument.clean)."""
    if not isinstance(parameters, dict):
        return [_("The scoring parameters are a JSON object.")]
    bands = parameters.get("bands")
    if bands is None:
        return []
    if rule != ScoringRule.SUM:
        return [_('Bands apply to the "sum" rule only.')]
    if not isinstance(bands, list):
        return [_("The bands are a list.")]
    for band in bands:
        if (
            not isinstance(band, dict)
            or not isinstance(band.get("code"), str)
            or not band.get("code")
            or not all(isinstance(band.get(k), int | float) for k in ("min", "max"))
            or band["min"] > band["max"]
        ):
            return [_('Each band needs a "code" and numbers "min" ≤ "max".')]
    return []


# ------------------------------------------------------------------------------------------------- the rules


def corrected_age_days(age_days: int, gestation_weeks: int | None) -> tuple[int, bool]:
    """The age to compare with developmental norms: corrected for prematurity (born before 37 weeks) up to
    24 months of chronological age: corrected = chronological − (40 − gestation) weeks."""
    if (
        gestation_weeks is not None
        and gestation_weeks < PRETERM_BELOW_WEEKS
        and age_days / DAYS_PER_MONTH <= CORRECT_UNTIL_MONTHS
    ):
        return age_days - (TERM_WEEKS - gestation_weeks) * 7, True
    return age_days, False


def _months(days: int) -> float:
    return round(days / DAYS_PER_MONTH, 1)


def score_none(items: Sequence, answers: dict, context: ScoringContext) -> ScoreResult:
    return ScoreResult({}, Interpretation.RECORDED)


def score_sum(items: Sequence, answers: dict, context: ScoringContext) -> ScoreResult:
    total: float = 0
    for item in items:
        value = answers.get(item.code)
        if value is None:
            continue
        if item.answer_type == AnswerType.YES_NO:
            total += 1 if value == "yes" else 0
        elif item.answer_type in (AnswerType.SCALE, AnswerType.NUMBER):
            total += value
        elif item.answer_type == AnswerType.CHOICE:
            option = next((o for o in item_options(item) if o.get("value") == value), {})
            total += as_number(option.get("score")) or 0
    total = int(total) if total == int(total) else round(total, 2)
    bands = context.parameters.get("bands") or []
    band = next((b for b in bands if b["min"] <= total <= b["max"]), None)
    return ScoreResult(
        {"total": total, "band": band["code"] if band else None},
        band["code"] if band else Interpretation.SCORED,
    )


def score_mchat(items: Sequence, answers: dict, context: ScoringContext) -> ScoreResult:
    failed = []
    for item in items:
        if item.number not in MCHAT_ITEMS or item.answer_type != AnswerType.YES_NO:
            continue
        at_risk = "yes" if item.number in MCHAT_RISK_ON_YES else "no"
        if answers.get(item.code) == at_risk:
            failed.append(item.number)
    total = len(failed)
    follow_up = context.follow_up_score
    if follow_up is not None:
        if total < 3:
            raise ValidationError(
                {"follow_up_score": _("The follow-up interview is for a total score of 3 or more.")}
            )
        if follow_up > total:
            raise ValidationError(
                {
                    "follow_up_score": _("The follow-up score cannot exceed the total score (%(total)s).")
                    % {"total": total}
                }
            )
    if total <= 2:
        interpretation = Interpretation.MCHAT_LOW
    elif total <= 7:
        if follow_up is None:
            interpretation = Interpretation.MCHAT_MEDIUM
        elif follow_up >= 2:
            interpretation = Interpretation.MCHAT_FOLLOW_UP_POSITIVE
        else:
            interpretation = Interpretation.MCHAT_FOLLOW_UP_NEGATIVE
    else:
        interpretation = Interpretation.MCHAT_HIGH
    scores = {
        "total": total,
        "failed_items": sorted(failed),
        "follow_up_score": follow_up,
        "rescreen_after_24_months": bool(
            interpretation == Interpretation.MCHAT_LOW
            and context.age_months is not None
            and context.age_months < 24
        ),
    }
    return ScoreResult(scores, interpretation)


def score_who_motor(items: Sequence, answers: dict, context: ScoringContext) -> ScoreResult:
    scores: dict[str, Any] = {"milestones": {}, "flags": []}
    age_days = None
    if context.age_days is not None:
        age_days, corrected = corrected_age_days(context.age_days, context.gestation_weeks)
        scores.update(
            age_months=_months(age_days),
            chronological_age_months=_months(context.age_days),
            corrected=corrected,
            gestation_weeks=context.gestation_weeks if corrected else None,
        )
    unknown = False
    for item in items:
        window = WHO_MOTOR_WINDOWS.get(item.code)
        answer = answers.get(item.code)
        if window is None or answer is None:
            continue
        lower, upper = window
        if answer == "yes":
            status = MilestoneStatus.ACHIEVED
        elif age_days is None:
            status, unknown = MilestoneStatus.AGE_UNKNOWN, True
        else:
            age = age_days / DAYS_PER_MONTH
            if age > upper:
                status = MilestoneStatus.LATE
                scores["flags"].append(item.code)
            elif age >= lower:
                status = MilestoneStatus.IN_WINDOW
            else:
                status = MilestoneStatus.NOT_YET_EXPECTED
        scores["milestones"][item.code] = {"status": str(status), "lower": lower, "upper": upper}
    if scores["flags"]:
        interpretation = Interpretation.MOTOR_FLAGGED
    elif unknown:
        interpretation = Interpretation.MOTOR_AGE_UNKNOWN
    else:
        interpretation = Interpretation.MOTOR_ON_TRACK
    return ScoreResult(scores, interpretation)


def _domain_order(domain: str) -> tuple[int, str]:
    values = DevelopmentalDomain.values
    return (values.index(domain) if domain in values else len(values), domain)


def score_domain_profile(items: Sequence, answers: dict, context: ScoringContext) -> ScoreResult:
    domains: dict[str, dict] = {}
    for item in items:
        value = answers.get(item.code)
        if value is None:
            continue
        if value in DELAY_LEVELS:
            level = DELAY_LEVELS[value]
        elif item.answer_type == AnswerType.SCALE and isinstance(value, int):
            level = value - int(item.min_value or 0)
        else:
            continue
        domain = item.domain or item.code
        current = domains.get(domain)
        if current is None or level > current["level"]:
            rating = next((r for r, lv in DELAY_LEVELS.items() if lv == min(level, 3)), None)
            domains[domain] = {"level": level, "rating": str(rating) if rating else None}
    domains = dict(sorted(domains.items(), key=lambda entry: _domain_order(entry[0])))
    needs = [domain for domain, entry in domains.items() if entry["level"] >= 1]
    interpretation = Interpretation.DOMAINS_NEED_SUPPORT if needs else Interpretation.DOMAINS_AGE_APPROPRIATE
    return ScoreResult({"domains": domains, "needs_support": needs}, interpretation)


def icf_notation(code: str, value: dict) -> str:
    """The ICF's own notation: b167.2, d310.21 (performance, capacity), e310.3 barrier, e310+3 facilitator."""
    if code.startswith("d"):
        return f"{code}.{value.get('performance')}{value.get('capacity')}"
    if code.startswith("e") and value.get("sign") == IcfSign.FACILITATOR:
        return f"{code}+{value.get('qualifier')}"
    return f"{code}.{value.get('qualifier')}"


def _problem_level(code: str, value: dict) -> int:
    """0 none, 1 mild, 2 moderate or greater (8 and 9 count as none)."""
    if code.startswith("d"):
        qualifiers = [value.get("performance"), value.get("capacity")]
    elif code.startswith("e") and value.get("sign") == IcfSign.FACILITATOR:
        return 0
    else:
        qualifiers = [value.get("qualifier")]
    worst = max((q for q in qualifiers if isinstance(q, int) and q <= 4), default=0)
    return 2 if worst >= 2 else worst


def score_icf_profile(items: Sequence, answers: dict, context: ScoringContext) -> ScoreResult:
    rows, problems, barriers, facilitators = [], [], [], []
    by_component = dict.fromkeys(IcfComponent.values, 0)
    worst = 0
    for code in sorted((c for c in answers if ICF_CODE.match(c)), key=lambda c: ("bsde".index(c[0]), c)):
        value = answers[code]
        by_component[code[0]] += 1
        rows.append(
            {
                "code": code,
                "component": code[0],
                "notation": icf_notation(code, value),
                "title": value.get("title", ""),
            }
        )
        level = _problem_level(code, value)
        worst = max(worst, level)
        if level >= 2:
            problems.append(code)
        if code.startswith("e"):
            (facilitators if value.get("sign") == IcfSign.FACILITATOR else barriers).append(code)
    interpretation = {0: Interpretation.ICF_NO_PROBLEM, 1: Interpretation.ICF_MILD}.get(
        worst, Interpretation.ICF_SIGNIFICANT
    )
    scores = {
        "rows": rows,
        "by_component": by_component,
        "problems": problems,
        "barriers": barriers,
        "facilitators": facilitators,
    }
    return ScoreResult(scores, interpretation)


def score_exam_result(items: Sequence, answers: dict, context: ScoringContext) -> ScoreResult:
    findings, abnormal = {}, []
    for item in items:
        value = answers.get(item.code)
        if item.answer_type != AnswerType.CHOICE or value is None:
            continue
        findings[item.code] = value
        option = next((o for o in item_options(item) if o.get("value") == value), {})
        if option.get("abnormal"):
            abnormal.append(item.code)
    if abnormal:
        interpretation = Interpretation.EXAM_ABNORMAL
    elif findings:
        interpretation = Interpretation.EXAM_NORMAL
    else:
        interpretation = Interpretation.RECORDED
    return ScoreResult({"findings": findings, "abnormal": abnormal}, interpretation)


Rule = Callable[[Sequence, dict, ScoringContext], ScoreResult]
RULES: dict[str, Rule] = {
    ScoringRule.NONE: score_none,
    ScoringRule.SUM: score_sum,
    ScoringRule.ICF_PROFILE: score_icf_profile,
    ScoringRule.MCHAT_RF: score_mchat,
    ScoringRule.WHO_MOTOR: score_who_motor,
    ScoringRule.DOMAIN_PROFILE: score_domain_profile,
    ScoringRule.EXAM_RESULT: score_exam_result,
}
# Rules that use the corrected age: the others compare the chronological age with their window.
AGE_CORRECTED_RULES = frozenset({ScoringRule.WHO_MOTOR})


def evaluate(
    *, rule: str, items: Sequence, answers: Any, context: ScoringContext
) -> tuple[dict, ScoreResult]:
    """Check the answers and score them: (clean answers, result). Raises ValidationError on bad input."""
    if rule not in RULES:
        raise ValidationError({"instrument": _("The instrument's scoring rule is not known.")})
    if context.follow_up_score is not None and rule != ScoringRule.MCHAT_RF:
        raise ValidationError({"follow_up_score": _("Only the M-CHAT-R/F has a follow-up interview.")})
    clean = validate_answers(rule=rule, items=items, answers=answers)
    result = RULES[rule](items, clean, context)
    warnings = []
    if context.age_months is None:
        if (
            context.min_age_months is not None
            or context.max_age_months is not None
            or rule in AGE_CORRECTED_RULES
        ):
            warnings.append(ScoreWarning.AGE_UNKNOWN)
    elif (context.min_age_months is not None and context.age_months < context.min_age_months) or (
        context.max_age_months is not None and context.age_months > context.max_age_months
    ):
        warnings.append(ScoreWarning.OUTSIDE_AGE_WINDOW)
    if result.scores.get("corrected"):
        warnings.append(ScoreWarning.CORRECTED_AGE)
    result.scores["warnings"] = [str(w) for w in warnings]
    return clean, result
