"""The scoring rules are pure: items and answers in, scores and an interpretation out."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tirek.assessments.answers import validate_answers
from tirek.assessments.choices import Interpretation, ScoringRule
from tirek.assessments.scoring import (
    RULES,
    WHO_MOTOR_WINDOWS,
    ScoringContext,
    corrected_age_days,
    evaluate,
)


def item(number, code=None, answer_type="yes_no", **extra):
    fields = {
        "number": number,
        "code": code or str(number),
        "prompt_kk": "",
        "prompt_ru": "",
        "prompt_en": "",
        "answer_type": answer_type,
        "choices": [],
        "min_value": None,
        "max_value": None,
        "domain": "",
        "required": True,
    }
    fields.update(extra)
    return SimpleNamespace(**fields)


MCHAT_ITEMS = [item(n) for n in range(1, 21)]
MOTOR_ITEMS = [item(n, code) for n, code in enumerate(WHO_MOTOR_WINDOWS, 1)]


def mchat_answers(failed: int) -> dict:
    return {
        str(n): ("yes" if n in (2, 5, 12) else "no") if n <= failed else ("no" if n in (2, 5, 12) else "yes")
        for n in range(1, 21)
    }


def mchat(failed: int, **context):
    return evaluate(
        rule=ScoringRule.MCHAT_RF,
        items=MCHAT_ITEMS,
        answers=mchat_answers(failed),
        context=ScoringContext(min_age_months=16, max_age_months=30, **context),
    )[1]


def test_every_scoring_rule_of_the_choices_is_implemented():
    assert set(RULES) == set(ScoringRule.values)


@pytest.mark.parametrize(
    ("failed", "expected"),
    [
        (0, Interpretation.MCHAT_LOW),
        (2, Interpretation.MCHAT_LOW),
        (3, Interpretation.MCHAT_MEDIUM),
        (7, Interpretation.MCHAT_MEDIUM),
        (8, Interpretation.MCHAT_HIGH),
        (20, Interpretation.MCHAT_HIGH),
    ],
)
def test_mchat_cut_offs_are_2_3_and_7_8(failed, expected):
    result = mchat(failed, age_months=20)
    assert result.scores["total"] == failed
    assert result.interpretation == expected


def test_mchat_items_2_5_and_12_are_at_risk_on_yes():
    answers = {str(n): "yes" for n in range(1, 21)}
    _clean, result = evaluate(
        rule=ScoringRule.MCHAT_RF, items=MCHAT_ITEMS, answers=answers, context=ScoringContext()
    )
    assert result.scores["failed_items"] == [2, 5, 12]
    assert result.interpretation == Interpretation.MCHAT_MEDIUM


def test_the_mchat_follow_up_is_positive_from_a_score_of_2():
    assert mchat(5, follow_up_score=1).interpretation == Interpretation.MCHAT_FOLLOW_UP_NEGATIVE
    assert mchat(5, follow_up_score=2).interpretation == Interpretation.MCHAT_FOLLOW_UP_POSITIVE
    assert mchat(9, follow_up_score=0).interpretation == Interpretation.MCHAT_HIGH


def test_the_mchat_follow_up_needs_a_total_of_3_and_cannot_exceed_it():
    with pytest.raises(ValidationError) as low:
        mchat(2, follow_up_score=0)
    assert "follow_up_score" in low.value.message_dict
    with pytest.raises(ValidationError) as too_high:
        mchat(4, follow_up_score=5)
    assert "follow_up_score" in too_high.value.message_dict


def test_a_low_risk_child_under_24_months_is_rescreened_and_ages_outside_16_30_are_warned():
    assert mchat(1, age_months=18).scores["rescreen_after_24_months"] is True
    assert mchat(1, age_months=26).scores["rescreen_after_24_months"] is False
    assert mchat(1, age_months=26).scores["warnings"] == []
    assert mchat(1, age_months=15).scores["warnings"] == ["outside_age_window"]
    assert mchat(1, age_months=31).scores["warnings"] == ["outside_age_window"]
    assert mchat(1).scores["warnings"] == ["age_unknown"]


def test_every_mchat_item_must_be_answered_and_the_message_names_the_item():
    answers = mchat_answers(0)
    del answers["7"]
    answers["3"] = "maybe"
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        evaluate(rule=ScoringRule.MCHAT_RF, items=MCHAT_ITEMS, answers=answers, context=ScoringContext())
    errors = refused.value.message_dict
    assert errors["answers.7"] == ["Item 7: answer this item."]
    assert errors["answers.3"] == ["Item 3: answer yes or no."]


def motor(age_days, gestation_weeks=None, **answers):
    base = dict.fromkeys(WHO_MOTOR_WINDOWS, "no")
    base.update(answers)
    return evaluate(
        rule=ScoringRule.WHO_MOTOR,
        items=MOTOR_ITEMS,
        answers=base,
        context=ScoringContext(
            age_days=age_days, age_months=age_days * 12 // 365, gestation_weeks=gestation_weeks
        ),
    )[1]


def test_corrected_age_subtracts_the_weeks_before_term_up_to_24_months():
    assert corrected_age_days(365, 30) == (365 - 70, True)
    assert corrected_age_days(365, 37) == (365, False)
    assert corrected_age_days(365, None) == (365, False)
    assert corrected_age_days(800, 30) == (800, False)  # 26 months: no longer corrected


def test_a_preterm_child_who_does_not_sit_is_judged_by_the_corrected_age():
    # 11 months (335 days) born at 30 weeks: corrected 265 days = 8.7 months, inside sitting's 3.8–9.2.
    result = motor(335, 30)
    assert result.scores["age_months"] == 8.7
    assert result.scores["corrected"] is True
    assert result.scores["milestones"]["sitting_without_support"]["status"] == "in_window"
    assert "sitting_without_support" not in result.scores["flags"]
    assert result.scores["warnings"] == ["corrected_age"]
    # The same age born at term: 11.0 months is past 9.2.
    term = motor(335)
    assert "sitting_without_support" in term.scores["flags"]
    assert term.interpretation == Interpretation.MOTOR_FLAGGED


def test_a_12_month_old_born_at_30_weeks_is_past_the_sitting_window():
    # 12 months (365 days) − 10 weeks = 295 days = 9.7 months corrected, past 9.2.
    result = motor(365, 30)
    assert result.scores["age_months"] == 9.7
    assert result.scores["flags"] == ["sitting_without_support"]
    assert result.interpretation == Interpretation.MOTOR_FLAGGED


def test_milestones_reached_or_not_yet_due_are_not_flagged():
    result = motor(300, sitting_without_support="yes")  # 9.9 months
    statuses = {code: m["status"] for code, m in result.scores["milestones"].items()}
    assert statuses["sitting_without_support"] == "achieved"
    assert statuses["standing_with_assistance"] == "in_window"
    assert statuses["walking_alone"] == "in_window"
    assert result.interpretation == Interpretation.MOTOR_ON_TRACK
    assert motor(100).scores["milestones"]["walking_alone"]["status"] == "not_yet_expected"


def test_without_a_date_of_birth_milestones_are_not_checked():
    _clean, result = evaluate(
        rule=ScoringRule.WHO_MOTOR,
        items=MOTOR_ITEMS,
        answers=dict.fromkeys(WHO_MOTOR_WINDOWS, "no"),
        context=ScoringContext(),
    )
    assert result.interpretation == Interpretation.MOTOR_AGE_UNKNOWN
    assert result.scores["warnings"] == ["age_unknown"]


def icf(answers):
    return evaluate(rule=ScoringRule.ICF_PROFILE, items=[], answers=answers, context=ScoringContext())


def test_an_icf_profile_is_written_in_the_icf_notation():
    clean, result = icf(
        {
            "d310": {"performance": 2, "capacity": "1", "title": "понимает речь"},
            "b167": {"qualifier": 1},
            "E310": {"qualifier": 3, "sign": "facilitator"},
            "e1151": {"qualifier": 2, "sign": "barrier"},
        }
    )
    assert clean["e310"] == {"qualifier": 3, "sign": "facilitator"}
    assert [row["notation"] for row in result.scores["rows"]] == ["b167.1", "d310.21", "e1151.2", "e310+3"]
    assert result.scores["problems"] == ["d310", "e1151"]
    assert result.scores["facilitators"] == ["e310"]
    assert result.interpretation == Interpretation.ICF_SIGNIFICANT
    assert icf({"b167": {"qualifier": 1}})[1].interpretation == Interpretation.ICF_MILD
    assert icf({"b167": {"qualifier": 8}})[1].interpretation == Interpretation.ICF_NO_PROBLEM


@pytest.mark.parametrize(
    ("answers", "key", "fragment"),
    [
        ({"x310": {"qualifier": 1}}, "answers.x310", "not an ICF code"),
        ({"d31": {"performance": 1, "capacity": 1}}, "answers.d31", "not an ICF code"),
        ({"b167": {"qualifier": 5}}, "answers.b167", "0, 1, 2, 3, 4, 8 or 9"),
        ({"d310": {"performance": 2}}, "answers.d310", "performance and capacity"),
        ({"d310": {"qualifier": 2}}, "answers.d310", "performance and capacity"),
        ({"e310": {"qualifier": 2}}, "answers.e310", "barrier or a facilitator"),
        ({"s110": "2"}, "answers.s110", "as an object"),
        ({}, "answers", "at least one ICF code"),
    ],
)
def test_icf_codes_and_qualifiers_are_checked(answers, key, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        icf(answers)
    assert fragment in " ".join(refused.value.message_dict[key])


DELAY = [{"value": v} for v in ("age_appropriate", "mild", "moderate", "severe")]
DOMAIN_ITEMS = [
    item(1, "motor", "choice", choices=DELAY, domain="physical"),
    item(2, "vision", "choice", choices=DELAY, domain="physical"),
    item(3, "hearing", "choice", choices=DELAY, domain="physical"),
    item(4, "cognitive", "choice", choices=DELAY, domain="cognitive"),
    item(5, "communication", "choice", choices=DELAY, domain="communication"),
    item(6, "social_emotional", "choice", choices=DELAY, domain="social_emotional"),
    item(7, "adaptive", "choice", choices=DELAY, domain="adaptive"),
]


def test_the_domain_profile_lists_the_domains_needing_support_with_their_worst_rating():
    answers = {i.code: "age_appropriate" for i in DOMAIN_ITEMS}
    answers.update(hearing="moderate", vision="mild", communication="severe")
    _clean, result = evaluate(
        rule=ScoringRule.DOMAIN_PROFILE, items=DOMAIN_ITEMS, answers=answers, context=ScoringContext()
    )
    assert result.scores["needs_support"] == ["physical", "communication"]
    assert result.scores["domains"]["physical"] == {"level": 2, "rating": "moderate"}
    assert result.interpretation == Interpretation.DOMAINS_NEED_SUPPORT
    fine = {i.code: "age_appropriate" for i in DOMAIN_ITEMS}
    assert (
        evaluate(rule=ScoringRule.DOMAIN_PROFILE, items=DOMAIN_ITEMS, answers=fine, context=ScoringContext())[
            1
        ].interpretation
        == Interpretation.DOMAINS_AGE_APPROPRIATE
    )


EAR = [{"value": "pass"}, {"value": "refer", "abnormal": True}]
HEARING_ITEMS = [
    item(1, "right_ear", "choice", choices=EAR),
    item(2, "left_ear", "choice", choices=EAR),
    item(3, "performer", "text"),
    item(4, "conclusion", "text"),
]


def test_an_examination_with_a_refer_result_needs_follow_up():
    answers = {"right_ear": "pass", "left_ear": "refer", "performer": "Dr A", "conclusion": "Repeat OAE"}
    _clean, result = evaluate(
        rule=ScoringRule.EXAM_RESULT, items=HEARING_ITEMS, answers=answers, context=ScoringContext()
    )
    assert result.scores["abnormal"] == ["left_ear"]
    assert result.interpretation == Interpretation.EXAM_ABNORMAL
    answers["left_ear"] = "pass"
    _clean, normal = evaluate(
        rule=ScoringRule.EXAM_RESULT, items=HEARING_ITEMS, answers=answers, context=ScoringContext()
    )
    assert normal.interpretation == Interpretation.EXAM_NORMAL


def test_a_sum_instrument_falls_into_its_band():
    items = [item(1, "a", "scale", min_value=0, max_value=3), item(2, "b", "number"), item(3, "c")]
    bands = {"bands": [{"min": 0, "max": 4, "code": "typical"}, {"min": 6, "max": 99, "code": "concern"}]}
    clean, result = evaluate(
        rule=ScoringRule.SUM,
        items=items,
        answers={"a": "3", "b": "1,5", "c": True},
        context=ScoringContext(parameters=bands),
    )
    assert clean == {"a": 3, "b": 1.5, "c": "yes"}
    assert result.scores["total"] == 5.5
    assert result.interpretation == "scored"  # between the bands
    _clean, low = evaluate(
        rule=ScoringRule.SUM,
        items=items,
        answers={"a": 1, "b": 2, "c": "no"},
        context=ScoringContext(parameters=bands),
    )
    assert (low.scores["total"], low.interpretation) == (3, "typical")


def test_answers_out_of_range_or_unknown_are_refused_item_by_item():
    items = [
        item(1, "a", "scale", min_value=0, max_value=3),
        item(2, "b", "choice", choices=[{"value": "x"}]),
    ]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_answers(rule=ScoringRule.SUM, items=items, answers={"a": 4, "b": "y", "zzz": 1})
    errors = refused.value.message_dict
    assert errors["answers.a"] == ["Item 1: the answer must be between 0 and 3."]
    assert errors["answers.b"] == ["Item 2: choose one of the listed answers."]
    assert "answers.zzz" in errors
