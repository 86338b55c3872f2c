"""A case's deadline clocks on a given day, computed from the case, its programme's settings, its pauses and
its timeline.

Pure functions: nothing here writes, and nothing imports the plans or assessments apps. What those apps did
reaches the clocks through the CaseEvents their services write (the protocol):

- PLAN_APPROVED — a plan was approved; the first one stops the first-plan clock, each one restarts the review
  clock;
- PLAN_REVIEWED — a plan in force was reviewed; restarts the review clock;
- ASSESSED — an assessment was recorded; restarts the assessment clock;
- TRANSITION with ``step`` — a transition step (the conference among them) took place.

The day of the act is read from the event's data (``approved_on``, ``reviewed_on``, ``assessed_on`` or ``on``,
ISO dates) and falls back to the day the event was written. A ``review_due_on`` / ``next_review_due_on`` in
the data can bring the next review forward, never put it off past the programme's interval.

Selectors that list many cases prefetch the events into ``case.deadline_events`` and the pauses into
``case.deadline_pauses``; on a single case the functions query them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from tirek.cases.choices import CaseEventKind, DeadlineClock, DeadlineState, TransitionStep

# The events the clocks read; selectors prefetch exactly these.
DEADLINE_EVENT_KINDS = (
    CaseEventKind.PLAN_APPROVED,
    CaseEventKind.PLAN_REVIEWED,
    CaseEventKind.ASSESSED,
    CaseEventKind.TRANSITION,
)
# How many days before its due date a clock counts as "due soon".
DUE_SOON_DAYS = {
    DeadlineClock.FIRST_PLAN: 7,
    DeadlineClock.PLAN_REVIEW: 30,
    DeadlineClock.ASSESSMENT: 14,
    DeadlineClock.TRANSITION: 30,
    DeadlineClock.EXIT: 30,
}
_DATE_KEYS = ("approved_on", "reviewed_on", "assessed_on", "on", "date")
_NEXT_REVIEW_KEYS = ("next_review_due_on", "review_due_on")


@dataclass(frozen=True)
class Clock:
    """One deadline of a case as it stands on day `on`."""

    kind: str
    state: str
    on: dt.date
    due_on: dt.date | None = None
    met_on: dt.date | None = None
    starts_on: dt.date | None = None  # when the clock's window opens (transition) or it started
    ends_on: dt.date | None = None  # the exit date the transition leads to
    paused_days: int = 0

    @property
    def label(self) -> str:
        return DeadlineClock(self.kind).label

    @property
    def state_label(self) -> str:
        return DeadlineState(self.state).label

    @property
    def days_left(self) -> int | None:
        """Days from `on` to the due date: negative once overdue; None when met or without a due date."""
        if self.due_on is None or self.met_on is not None:
            return None
        return (self.due_on - self.on).days

    @property
    def days_late(self) -> int | None:
        if self.due_on is None:
            return None
        if self.met_on is not None:
            return max(0, (self.met_on - self.due_on).days)
        return max(0, (self.on - self.due_on).days)

    @property
    def window_open(self) -> bool:
        return self.starts_on is not None and self.starts_on <= self.on


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug + 6 → 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def event_on(event) -> dt.date:
    """The day the act behind a CaseEvent took place."""
    data = event.data if isinstance(event.data, dict) else {}
    for key in _DATE_KEYS:
        day = _as_date(data.get(key))
        if day is not None:
            return day
    return timezone.localdate(event.happened_at)


def _events(case, kinds: Iterable[str]) -> list:
    kinds = set(kinds)
    prefetched = getattr(case, "deadline_events", None)
    if prefetched is not None:
        return [e for e in prefetched if e.kind in kinds]
    return list(case.events.filter(kind__in=kinds))


def _pauses(case, clock: str) -> list:
    # .all() uses the prefetch cache when the selector filled it.
    return [p for p in case.deadline_pauses.all() if p.clock == clock]


def _dated(case, kinds: Iterable[str], until: dt.date | None = None) -> list[tuple[dt.date, object]]:
    dated = sorted(((event_on(e), e) for e in _events(case, kinds)), key=lambda pair: pair[0])
    return [(day, e) for day, e in dated if until is None or day <= until]


def first_plan_approved_on(case, until: dt.date | None = None) -> dt.date | None:
    """The day the case's first plan was approved (from its PLAN_APPROVED events), or None."""
    dated = _dated(case, [CaseEventKind.PLAN_APPROVED], until)
    return dated[0][0] if dated else None


def last_review_or_approval_on(case, until: dt.date | None = None) -> dt.date | None:
    """The day of the latest plan approval or review (PLAN_APPROVED / PLAN_REVIEWED events), or None."""
    dated = _dated(case, [CaseEventKind.PLAN_APPROVED, CaseEventKind.PLAN_REVIEWED], until)
    return dated[-1][0] if dated else None


def last_assessed_on(case, until: dt.date | None = None) -> dt.date | None:
    dated = _dated(case, [CaseEventKind.ASSESSED], until)
    return dated[-1][0] if dated else None


def transition_step_on(case, step: str, until: dt.date | None = None) -> dt.date | None:
    """The first day the transition `step` was recorded, or None."""
    for day, event in _dated(case, [CaseEventKind.TRANSITION], until):
        if isinstance(event.data, dict) and event.data.get("step") == step:
            return day
    return None


def _running_state(kind: str, due: dt.date, on: dt.date) -> str:
    if on > due:
        return DeadlineState.OVERDUE
    if (due - on).days <= DUE_SOON_DAYS[kind]:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TRACK


def first_plan_due_on(case, until: dt.date) -> tuple[dt.date, int]:
    """The first plan's due date counting the pauses up to `until`, and the paused days."""
    paused = sum(p.days_until(until) for p in _pauses(case, DeadlineClock.FIRST_PLAN))
    due = case.referral_received_on + dt.timedelta(days=case.programme.first_plan_days + paused)
    return due, paused


def first_plan_clock(case, on: dt.date) -> Clock:
    """Referral received → first approved plan within the programme's days, documented pauses added."""
    kind = DeadlineClock.FIRST_PLAN
    approved = first_plan_approved_on(case, until=on)
    due, paused = first_plan_due_on(case, approved or on)
    if approved is not None:
        state = DeadlineState.MET if approved <= due else DeadlineState.MET_LATE
        return Clock(kind, state, on, due_on=due, met_on=approved, paused_days=paused)
    if any(p.is_open_on(on) for p in _pauses(case, kind)):
        return Clock(kind, DeadlineState.PAUSED, on, due_on=due, paused_days=paused)
    return Clock(kind, _running_state(kind, due, on), on, due_on=due, paused_days=paused)


def plan_review_clock(case, on: dt.date) -> Clock:
    """A plan is reviewed at least every `review_months` after its approval or last review."""
    kind = DeadlineClock.PLAN_REVIEW
    dated = _dated(case, [CaseEventKind.PLAN_APPROVED, CaseEventKind.PLAN_REVIEWED], until=on)
    if not dated:
        return Clock(kind, DeadlineState.UPCOMING, on)
    last, event = dated[-1]
    due = add_months(last, case.programme.review_months)
    data = event.data if isinstance(event.data, dict) else {}
    for key in _NEXT_REVIEW_KEYS:
        asked = _as_date(data.get(key))
        if asked is not None and last < asked < due:
            due = asked
    return Clock(kind, _running_state(kind, due, on), on, due_on=due, starts_on=last)


def assessment_clock(case, on: dt.date) -> Clock | None:
    """The next assessment: the first by the first plan's due date, then every `assessment_every_months`."""
    every = case.programme.assessment_every_months
    if not every:
        return None
    kind = DeadlineClock.ASSESSMENT
    last = last_assessed_on(case, until=on)
    if last is None:
        due, _paused = first_plan_due_on(case, on)
    else:
        due = add_months(last, every)
    return Clock(kind, _running_state(kind, due, on), on, due_on=due, starts_on=last)


def transition_clock(case, on: dt.date) -> Clock | None:
    """Transition planning opens at `transition_from_months` of age; the conference is due by
    `conference_by_months`; the child leaves at the programme's maximum age."""
    programme, birth = case.programme, case.person.birth_date
    if programme.transition_from_months is None or birth is None:
        return None
    kind = DeadlineClock.TRANSITION
    opens = add_months(birth, programme.transition_from_months)
    due = add_months(birth, programme.conference_by_months) if programme.conference_by_months else None
    leaves = add_months(birth, programme.max_age_months) if programme.max_age_months else None
    window = {"starts_on": opens, "ends_on": leaves, "due_on": due}
    held = transition_step_on(case, TransitionStep.CONFERENCE_HELD, until=on)
    if held is not None:
        state = DeadlineState.MET if due is None or held <= due else DeadlineState.MET_LATE
        return Clock(kind, state, on, met_on=held, **window)
    if on < opens:
        return Clock(kind, DeadlineState.UPCOMING, on, **window)
    if due is None:
        return Clock(kind, DeadlineState.ON_TRACK, on, **window)
    return Clock(kind, _running_state(kind, due, on), on, **window)


def exit_clock(case, on: dt.date) -> Clock | None:
    """The day the child reaches the programme's maximum age and leaves it."""
    programme, birth = case.programme, case.person.birth_date
    if programme.max_age_months is None or birth is None:
        return None
    kind = DeadlineClock.EXIT
    leaves = add_months(birth, programme.max_age_months)
    if case.closed_on is not None and case.closed_on <= on:
        state = DeadlineState.MET if case.closed_on <= leaves else DeadlineState.MET_LATE
        return Clock(kind, state, on, due_on=leaves, met_on=case.closed_on)
    return Clock(kind, _running_state(kind, leaves, on), on, due_on=leaves)


def case_clocks(case, on: dt.date | None = None) -> list[Clock]:
    """Every clock of `case` on day `on` (today by default); a closed case's clocks stop when it closed."""
    on = on or timezone.localdate()
    if case.closed_on is not None:
        on = min(on, case.closed_on)
    clocks = [
        first_plan_clock(case, on),
        plan_review_clock(case, on),
        assessment_clock(case, on),
        transition_clock(case, on),
        exit_clock(case, on),
    ]
    return [clock for clock in clocks if clock is not None]
