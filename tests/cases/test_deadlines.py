"""The deadline clocks, day by day: first plan within 45 days with documented pauses, plan review every
6 months, the transition window, the exit age and assessments. Dates are fixed in the past so that the
arithmetic is exact whatever day the tests run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.deadlines import (
    add_months,
    assessment_clock,
    case_clocks,
    exit_clock,
    first_plan_approved_on,
    first_plan_clock,
    last_review_or_approval_on,
    plan_review_clock,
    transition_clock,
)
from tirek.cases.models import CaseEvent
from tirek.cases.services import case_open, case_record_transition, deadline_pause, deadline_resume
from tirek.core.errors import NotAllowed
from tirek.people.services import person_register

BORN = dt.date(2024, 5, 10)
DAY_0 = dt.date(2025, 1, 6)  # the referral is received


def day(n: int) -> dt.date:
    return DAY_0 + dt.timedelta(days=n)


@pytest.fixture
def case(cast):
    """A child born on 10 May 2024, referred on 6 January 2025 (day 0), enrolled two days later."""
    child = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Сейітова",
        given_name="Аружан",
        sex="female",
        birth_date=BORN,
        iin_missing_reason="unknown",
    )
    return case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        referral_received_on=DAY_0,
        opened_on=day(2),
        coordinator=cast.coordinator_a,
    )


def plan_event(case, kind: str, on: dt.date, **data) -> CaseEvent:
    """What the plans (or assessments) service writes on the timeline, with the day of the act."""
    key = {"plan_approved": "approved_on", "plan_reviewed": "reviewed_on", "assessed": "assessed_on"}[kind]
    return CaseEvent.objects.create(case=case, kind=kind, data={key: on.isoformat(), **data})


# -- first plan ------------------------------------------------------------------------------------------


def test_a_referral_received_on_day_0_without_a_plan_is_overdue_on_day_46(case):
    assert first_plan_clock(case, day(37)).state == "on_track"
    assert first_plan_clock(case, day(38)).state == "due_soon"  # 7 days left
    due_today = first_plan_clock(case, day(45))
    assert (due_today.state, due_today.due_on, due_today.days_left) == ("due_soon", dt.date(2025, 2, 20), 0)
    overdue = first_plan_clock(case, day(46))
    assert (overdue.state, overdue.due_on, overdue.days_late) == ("overdue", dt.date(2025, 2, 20), 1)


def test_a_pause_moves_it(cast, case):
    deadline_pause(
        actor=cast.coordinator_a, case=case, reason="family_unavailable", starts_on=day(10), note="Away"
    )
    deadline_resume(actor=cast.coordinator_a, case=case, ends_on=day(20))
    on_day_46 = first_plan_clock(case, day(46))
    assert (on_day_46.state, on_day_46.due_on, on_day_46.paused_days) == ("on_track", dt.date(2025, 3, 2), 10)
    assert first_plan_clock(case, day(55)).state == "due_soon"
    assert first_plan_clock(case, day(56)).state == "overdue"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[:2] == ["deadline_resumed", "deadline_paused"]
    assert AuditEvent.objects.filter(object_type="cases.deadlinepause", action="create").count() == 1
    assert AuditEvent.objects.filter(object_type="cases.deadlinepause", action="update").count() == 1


def test_an_open_pause_counts_up_to_the_day_in_question(cast, case):
    deadline_pause(actor=cast.coordinator_a, case=case, reason="consent_pending", starts_on=day(10))
    paused = first_plan_clock(case, day(46))
    assert (paused.state, paused.paused_days, paused.due_on) == ("paused", 36, day(45 + 36))
    today = timezone.localdate()
    assert first_plan_clock(case, today).paused_days == (today - day(10)).days


def test_a_plan_approved_in_time_is_met_and_a_late_one_met_late(case):
    plan_event(case, "plan_approved", day(40))
    met = first_plan_clock(case, day(100))
    assert (met.state, met.met_on, met.days_late) == ("met", day(40), 0)
    assert first_plan_approved_on(case) == day(40)
    # Read on a day before the approval, the clock is still running.
    assert first_plan_clock(case, day(39)).state == "due_soon"


def test_a_plan_approved_after_the_deadline_is_met_late(case):
    plan_event(case, "plan_approved", day(50))
    plan_event(case, "plan_approved", day(80))  # a later plan does not change the first one
    late = first_plan_clock(case, day(100))
    assert (late.state, late.met_on, late.days_late) == ("met_late", day(50), 5)


def test_the_day_of_an_event_without_a_date_is_the_day_it_was_written(case):
    CaseEvent.objects.create(case=case, kind="plan_approved", data={})
    assert first_plan_approved_on(case) == timezone.localdate()


# -- plan review -----------------------------------------------------------------------------------------


def test_review_due_6_months_after_approval(case):
    assert plan_review_clock(case, day(30)).state == "upcoming"
    plan_event(case, "plan_approved", dt.date(2025, 2, 10))
    clock = plan_review_clock(case, dt.date(2025, 3, 1))
    assert (clock.state, clock.due_on) == ("on_track", dt.date(2025, 8, 10))
    assert plan_review_clock(case, dt.date(2025, 7, 10)).state == "on_track"
    assert plan_review_clock(case, dt.date(2025, 7, 11)).state == "due_soon"
    assert plan_review_clock(case, dt.date(2025, 8, 10)).state == "due_soon"
    assert plan_review_clock(case, dt.date(2025, 8, 11)).state == "overdue"


def test_a_review_restarts_the_review_clock_and_may_bring_the_next_one_forward(case):
    plan_event(case, "plan_approved", dt.date(2025, 2, 10))
    plan_event(case, "plan_reviewed", dt.date(2025, 8, 1))
    assert last_review_or_approval_on(case) == dt.date(2025, 8, 1)
    assert plan_review_clock(case, dt.date(2025, 8, 20)).due_on == dt.date(2026, 2, 1)
    plan_event(case, "plan_reviewed", dt.date(2025, 8, 31), next_review_due_on="2025-12-01")
    assert plan_review_clock(case, dt.date(2025, 9, 1)).due_on == dt.date(2025, 12, 1)


def test_months_are_added_to_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_the_review_interval_is_the_programmes(cast, case):
    cast.programme_a.review_months = 3
    cast.programme_a.save()
    plan_event(case, "plan_approved", dt.date(2025, 2, 10))
    assert plan_review_clock(case, dt.date(2025, 3, 1)).due_on == dt.date(2025, 5, 10)


# -- transition and exit ---------------------------------------------------------------------------------


@pytest.fixture
def early_intervention(cast):
    cast.programme_a.transition_from_months = 27
    cast.programme_a.conference_by_months = 33
    cast.programme_a.save()
    return cast.programme_a


def test_a_child_turning_27_months_opens_the_transition_window(case, early_intervention):
    before = transition_clock(case, dt.date(2026, 8, 9))
    assert (before.state, before.window_open, before.starts_on) == ("upcoming", False, dt.date(2026, 8, 10))
    opened = transition_clock(case, dt.date(2026, 8, 10))
    assert opened.window_open
    assert (opened.state, opened.due_on, opened.ends_on) == (
        "on_track",
        dt.date(2027, 2, 10),  # conference by 33 months
        dt.date(2027, 5, 10),  # exit at 36
    )
    assert transition_clock(case, dt.date(2027, 1, 11)).state == "due_soon"
    assert transition_clock(case, dt.date(2027, 2, 11)).state == "overdue"


def test_a_conference_held_meets_the_transition_clock(cast, case, early_intervention):
    case_record_transition(actor=cast.coordinator_a, case=case, step="steps_agreed", happened_on=day(30))
    assert transition_clock(case, dt.date(2026, 9, 1)).met_on is None
    case_record_transition(actor=cast.coordinator_a, case=case, step="conference_held", happened_on=day(40))
    clock = transition_clock(case, dt.date(2026, 9, 1))
    assert (clock.state, clock.met_on) == ("met", day(40))


def test_a_programme_without_transition_settings_has_no_transition_clock(case):
    assert transition_clock(case, dt.date(2026, 9, 1)) is None
    assert "transition" not in [c.kind for c in case_clocks(case, dt.date(2026, 9, 1))]


def test_the_exit_clock_runs_to_the_programmes_maximum_age(case):
    clock = exit_clock(case, dt.date(2027, 4, 1))
    assert (clock.state, clock.due_on) == ("on_track", dt.date(2027, 5, 10))
    assert exit_clock(case, dt.date(2027, 4, 10)).state == "due_soon"
    assert exit_clock(case, dt.date(2027, 5, 11)).state == "overdue"


# -- assessments -----------------------------------------------------------------------------------------


def test_assessments_are_due_by_the_first_plan_then_every_n_months(cast, case):
    assert assessment_clock(case, day(10)) is None  # the programme sets no regular assessments
    cast.programme_a.assessment_every_months = 6
    cast.programme_a.save()
    first = assessment_clock(case, day(10))
    assert (first.state, first.due_on) == ("on_track", dt.date(2025, 2, 20))
    plan_event(case, "assessed", dt.date(2025, 2, 1))
    assert assessment_clock(case, dt.date(2025, 3, 1)).due_on == dt.date(2025, 8, 1)
    assert assessment_clock(case, dt.date(2025, 8, 2)).state == "overdue"


# -- pausing rules ---------------------------------------------------------------------------------------


def test_a_pause_needs_a_documented_reason_and_cannot_overlap(cast, case):
    with pytest.raises(ValidationError) as no_note:
        deadline_pause(actor=cast.coordinator_a, case=case, reason="other", starts_on=day(5))
    assert "note" in no_note.value.message_dict
    with pytest.raises(ValidationError):
        deadline_pause(actor=cast.coordinator_a, case=case, reason="nonsense", starts_on=day(5))
    with pytest.raises(ValidationError) as early:
        deadline_pause(actor=cast.coordinator_a, case=case, reason="consent_pending", starts_on=day(-1))
    assert "starts_on" in early.value.message_dict
    deadline_pause(actor=cast.coordinator_a, case=case, reason="consent_pending", starts_on=day(5))
    with pytest.raises(ValidationError):  # already paused
        deadline_pause(actor=cast.coordinator_a, case=case, reason="consent_pending", starts_on=day(8))
    with pytest.raises(ValidationError):  # cannot end before it starts
        deadline_resume(actor=cast.coordinator_a, case=case, ends_on=day(4))
    deadline_resume(actor=cast.coordinator_a, case=case, ends_on=day(9))
    with pytest.raises(ValidationError):  # not paused any more
        deadline_resume(actor=cast.coordinator_a, case=case)
    with pytest.raises(ValidationError) as overlap:
        deadline_pause(actor=cast.coordinator_a, case=case, reason="consent_pending", starts_on=day(8))
    assert "starts_on" in overlap.value.message_dict


def test_a_pause_cannot_rescue_a_deadline_already_missed_or_met(cast, case):
    with pytest.raises(ValidationError) as missed:
        deadline_pause(actor=cast.coordinator_a, case=case, reason="family_unavailable", starts_on=day(46))
    assert "starts_on" in missed.value.message_dict
    plan_event(case, "plan_approved", day(30))
    with pytest.raises(ValidationError):
        deadline_pause(actor=cast.coordinator_a, case=case, reason="family_unavailable", starts_on=day(20))


def test_only_coordinators_and_managers_pause_the_clock(cast, case):
    with pytest.raises(NotAllowed):
        deadline_pause(actor=cast.specialist_a, case=case, reason="family_unavailable", starts_on=day(5))
    with pytest.raises(NotAllowed):
        deadline_pause(actor=cast.manager_b, case=case, reason="family_unavailable", starts_on=day(5))
