"""What a stored result means, in the active language: labels, colours and sentences from the scores."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from tirek.assessments.answers import item_label, item_options, option_label
from tirek.assessments.choices import (
    AnswerType,
    DelayRating,
    DevelopmentalDomain,
    IcfComponent,
    Interpretation,
    MilestoneStatus,
    ScoreWarning,
    ScoringRule,
)

LEVELS = {
    Interpretation.MCHAT_LOW: "success",
    Interpretation.MCHAT_MEDIUM: "warning",
    Interpretation.MCHAT_FOLLOW_UP_NEGATIVE: "success",
    Interpretation.MCHAT_FOLLOW_UP_POSITIVE: "danger",
    Interpretation.MCHAT_HIGH: "danger",
    Interpretation.MOTOR_ON_TRACK: "success",
    Interpretation.MOTOR_FLAGGED: "danger",
    Interpretation.MOTOR_AGE_UNKNOWN: "warning",
    Interpretation.DOMAINS_AGE_APPROPRIATE: "success",
    Interpretation.DOMAINS_NEED_SUPPORT: "warning",
    Interpretation.ICF_NO_PROBLEM: "success",
    Interpretation.ICF_MILD: "info",
    Interpretation.ICF_SIGNIFICANT: "warning",
    Interpretation.EXAM_NORMAL: "success",
    Interpretation.EXAM_ABNORMAL: "danger",
}


def interpretation_level(code: str) -> str:
    """A Bootstrap colour for the interpretation: success, info, warning, danger or secondary."""
    return LEVELS.get(code, "secondary")


def interpretation_label(code: str, parameters: dict | None = None) -> str:
    if code in Interpretation.values:
        return str(Interpretation(code).label)
    for band in (parameters or {}).get("bands") or []:
        if isinstance(band, dict) and band.get("code") == code:
            return option_label({"value": code, **band})
    return code


def _months_text(value: float) -> str:
    return f"{value:.1f}"


def explain(
    *, rule: str, interpretation: str, scores: dict, items: Iterable, parameters: dict | None = None
) -> list[str]:
    """The interpretation in sentences of the active language, from the stored scores."""
    by_code = {item.code: item for item in items}

    def name(code: str) -> str:
        return item_label(by_code[code]) if code in by_code else code

    lines: list[str] = []
    if rule == ScoringRule.MCHAT_RF:
        lines.append(_("Total score: %(total)s of 20.") % {"total": scores.get("total")})
        if scores.get("failed_items"):
            lines.append(
                _("Items at risk: %(items)s.") % {"items": ", ".join(str(n) for n in scores["failed_items"])}
            )
        advice = {
            Interpretation.MCHAT_LOW: _("Low risk (0–2): no follow-up needed now."),
            Interpretation.MCHAT_MEDIUM: _(
                "Medium risk (3–7): give the follow-up interview for the items at risk, "
                "then record its score."
            ),
            Interpretation.MCHAT_FOLLOW_UP_NEGATIVE: _(
                "Follow-up score %(score)s (below 2): screen negative; keep watching development."
            ),
            Interpretation.MCHAT_FOLLOW_UP_POSITIVE: _(
                "Follow-up score %(score)s (2 or more): screen positive; "
                "refer for a diagnostic evaluation and early intervention."
            ),
            Interpretation.MCHAT_HIGH: _(
                "High risk (8–20): refer at once for a diagnostic evaluation and early intervention; the "
                "follow-up interview may be skipped."
            ),
        }.get(interpretation)
        if advice:
            lines.append(advice % {"score": scores.get("follow_up_score")})
        if scores.get("rescreen_after_24_months"):
            lines.append(_("The child is younger than 24 months: screen again after the second birthday."))
    elif rule == ScoringRule.WHO_MOTOR:
        if scores.get("age_months") is not None:
            if scores.get("corrected"):
                lines.append(
                    _(
                        "Age compared with the windows: %(age)s months, "
                        "corrected for birth at %(weeks)s weeks (chronological age %(chronological)s months)."
                    )
                    % {
                        "age": _months_text(scores["age_months"]),
                        "weeks": scores.get("gestation_weeks"),
                        "chronological": _months_text(scores["chronological_age_months"]),
                    }
                )
            else:
                lines.append(
                    _("Age compared with the windows: %(age)s months.")
                    % {"age": _months_text(scores["age_months"])}
                )
        for code in scores.get("flags") or []:
            milestone = scores["milestones"][code]
            lines.append(
                _("Not reached past its window (%(lower)s–%(upper)s months): %(milestone)s — screen further.")
                % {"milestone": name(code), "lower": milestone["lower"], "upper": milestone["upper"]}
            )
    elif rule == ScoringRule.DOMAIN_PROFILE:
        needs = scores.get("needs_support") or []
        if needs:
            parts = []
            for domain in needs:
                entry = scores["domains"][domain]
                label = DevelopmentalDomain(domain).label if domain in DevelopmentalDomain.values else domain
                rating = (
                    DelayRating(entry["rating"]).label if entry.get("rating") in DelayRating.values else ""
                )
                parts.append(f"{label} ({str(rating).lower()})" if rating else str(label))
            lines.append(_("Domains needing support: %(domains)s.") % {"domains": "; ".join(parts)})
        else:
            lines.append(_("Development is age-appropriate in every domain rated."))
    elif rule == ScoringRule.ICF_PROFILE:
        count = len(scores.get("rows") or [])
        lines.append(_("ICF codes recorded: %(count)s.") % {"count": count})
        if scores.get("problems"):
            lines.append(
                _("Moderate or greater problems: %(codes)s.") % {"codes": ", ".join(scores["problems"])}
            )
        if scores.get("barriers"):
            lines.append(_("Barriers: %(codes)s.") % {"codes": ", ".join(scores["barriers"])})
        if scores.get("facilitators"):
            lines.append(_("Facilitators: %(codes)s.") % {"codes": ", ".join(scores["facilitators"])})
    elif rule == ScoringRule.EXAM_RESULT:
        for code in scores.get("abnormal") or []:
            item = by_code.get(code)
            value = scores["findings"].get(code)
            option = next((o for o in item_options(item) if o.get("value") == value), {}) if item else {}
            lines.append(
                _("Needs follow-up: %(item)s — %(answer)s.")
                % {"item": name(code), "answer": option_label(option) if option else value}
            )
    elif rule == ScoringRule.SUM:
        lines.append(_("Total: %(total)s.") % {"total": scores.get("total")})
        if scores.get("band"):
            lines.append(interpretation_label(scores["band"], parameters))
    for warning in scores.get("warnings") or []:
        if warning in ScoreWarning.values and warning != ScoreWarning.CORRECTED_AGE:
            lines.append(str(ScoreWarning(warning).label))
    return lines


def answer_text(item, value) -> str:
    """One stored answer as a person reads it."""
    if value is None or value == "":
        return "—"
    if item.answer_type == AnswerType.YES_NO:
        return str(_("Yes") if value == "yes" else _("No"))
    if item.answer_type == AnswerType.CHOICE:
        option = next((o for o in item_options(item) if o.get("value") == value), None)
        return option_label(option) if option else str(value)
    return str(value)


def answer_rows(*, items: Iterable, answers: dict) -> list[tuple[str, str]]:
    """(item, answer) in the instrument's order, ICF rows left to the profile table."""
    return [
        (item_label(item), answer_text(item, answers.get(item.code)))
        for item in items
        if item.answer_type != AnswerType.ICF_QUALIFIER
    ]


def icf_rows(scores: dict) -> list[dict]:
    """The ICF profile's rows with their component's name, for a table."""
    return [
        {**row, "component_label": IcfComponent(row["component"]).label}
        for row in scores.get("rows") or []
        if row.get("component") in IcfComponent.values
    ]


def milestone_rows(*, items: Iterable, scores: dict) -> list[dict]:
    """The WHO milestones with their window and status, flagged ones marked."""
    rows = []
    milestones = scores.get("milestones") or {}
    for item in items:
        entry = milestones.get(item.code)
        if entry is None:
            continue
        status = entry.get("status")
        rows.append(
            {
                "label": item_label(item),
                "window": f"{entry['lower']}–{entry['upper']}",
                "status": MilestoneStatus(status).label if status in MilestoneStatus.values else status,
                "flagged": status == MilestoneStatus.LATE,
            }
        )
    return rows
