from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from tirek.cases.choices import CaseStatus, DeadlineState
from tirek.cases.deadlines import DEADLINE_EVENT_KINDS, Clock, case_clocks
from tirek.cases.models import Case, CaseEvent, DeadlinePause
from tirek.core.scoping import get_visible_or_404

# What a deadline list shows unless asked for a state: the clocks that need someone to act.
ATTENTION_STATES = (DeadlineState.OVERDUE, DeadlineState.DUE_SOON)
# The states a deadline list can be filtered by (the others are either not running yet or done in time).
LISTED_STATES = (
    DeadlineState.OVERDUE,
    DeadlineState.DUE_SOON,
    DeadlineState.PAUSED,
    DeadlineState.MET_LATE,
    DeadlineState.ON_TRACK,
)


def case_list(*, user, status: str | None = None, programme=None) -> QuerySet[Case]:
    cases = Case.objects.visible_to(user).select_related("person", "programme", "coordinator", "organisation")
    if status:
        cases = cases.filter(status=status)
    if programme is not None:
        cases = cases.filter(programme=programme)
    return cases


def case_get(*, user, pk) -> Case:
    return get_visible_or_404(
        Case.objects.select_related(
            "person", "programme", "coordinator", "organisation", "closure_reason"
        ).prefetch_related("team"),
        user,
        pk=pk,
    )


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor")


def case_deadlines(*, case: Case, on: dt.date | None = None) -> list[Clock]:
    """The clocks of one case (see tirek.cases.deadlines), with the events and pauses fetched once."""
    case.deadline_events = list(case.events.filter(kind__in=DEADLINE_EVENT_KINDS))
    prefetch_related_objects([case], "deadline_pauses")
    return case_clocks(case, on)


def case_open_pause(*, case: Case) -> DeadlinePause | None:
    """The case's running pause of its first-plan clock, if any."""
    return next((p for p in case.deadline_pauses.all() if p.ends_on is None), None)


@dataclass(frozen=True)
class DeadlineRow:
    """One clock of one case in a deadline list."""

    case: Case
    clock: Clock


def deadline_list(
    *,
    user,
    on: dt.date | None = None,
    state: str | None = None,
    programme=None,
    clock: str | None = None,
    coordinator=None,
) -> list[DeadlineRow]:
    """The clocks of the open cases the user's organisation holds, in `state` (by default: overdue or due
    soon), earliest due first. Three queries whatever the number of cases."""
    on = on or timezone.localdate()
    cases = (
        Case.objects.visible_to(user)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("person", "programme", "coordinator")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=CaseEvent.objects.filter(kind__in=DEADLINE_EVENT_KINDS).order_by(),
                to_attr="deadline_events",
            ),
            "deadline_pauses",
        )
        .order_by("number")
    )
    if programme is not None:
        cases = cases.filter(programme=programme)
    if coordinator is not None:
        cases = cases.filter(coordinator=coordinator)
    wanted = {state} if state else set(ATTENTION_STATES)
    rows = [
        DeadlineRow(case=case, clock=c)
        for case in cases
        for c in case_clocks(case, on)
        if c.state in wanted and (clock is None or c.kind == clock)
    ]
    far = dt.date.max
    rows.sort(key=lambda row: (row.clock.due_on or far, row.case.number, row.clock.kind))
    return rows


def deadline_summary(*, user, coordinator=None, on: dt.date | None = None, limit: int = 8) -> dict:
    """For the home page: how many clocks are overdue and due soon, and the first few of them."""
    rows = deadline_list(user=user, on=on, coordinator=coordinator)
    counts = Counter(row.clock.state for row in rows)
    return {
        "rows": rows[:limit],
        "overdue": counts[DeadlineState.OVERDUE],
        "due_soon": counts[DeadlineState.DUE_SOON],
        "more": max(0, len(rows) - limit),
    }
