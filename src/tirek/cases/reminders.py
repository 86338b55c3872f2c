"""Deadline reminders: the coordinator of each open case hears of a clock that is due soon or overdue, once
per clock, state and due date (run daily by `tirek remind`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from tirek.cases.choices import CaseStatus, DeadlineState
from tirek.cases.deadlines import DEADLINE_EVENT_KINDS, case_clocks
from tirek.cases.models import Case, CaseEvent
from tirek.notifications.choices import NotificationKind
from tirek.notifications.services import notify, staff_of

KINDS = {
    DeadlineState.DUE_SOON: NotificationKind.DEADLINE_DUE_SOON,
    DeadlineState.OVERDUE: NotificationKind.DEADLINE_OVERDUE,
}


def deadlines_notify(on: dt.date | None = None) -> int:
    """Notify about every clock of an open case that is due soon or overdue on `on`; returns how many
    notifications were written (a reminder already sent is not sent again)."""
    on = on or timezone.localdate()
    cases = (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .select_related("programme", "coordinator", "organisation")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=CaseEvent.objects.filter(kind__in=DEADLINE_EVENT_KINDS).order_by(),
                to_attr="deadline_events",
            ),
            "deadline_pauses",
        )
        .order_by("organisation_id", "number")
    )
    managers: dict = {}
    written = 0
    for case in cases.iterator(chunk_size=500):
        for clock in case_clocks(case, on):
            kind = KINDS.get(clock.state)
            if kind is None or clock.due_on is None:
                continue
            if case.coordinator is not None and case.coordinator.is_active:
                recipients = [case.coordinator]
            else:
                if case.organisation_id not in managers:
                    managers[case.organisation_id] = staff_of(case.organisation, ["manager"])
                recipients = managers[case.organisation_id]
            with transaction.atomic():
                written += len(
                    notify(
                        recipients=recipients,
                        kind=kind,
                        organisation=case.organisation,
                        link=reverse("cases:case_detail", args=[case.pk]),
                        dedupe_key=f"deadline:{case.pk}:{clock.kind}:{clock.state}:{clock.due_on}",
                        number=case.number,
                        clock=clock_label(clock.kind),
                        due=clock.due_on,
                    )
                )
    return written


def clock_label(kind: str):
    from tirek.cases.choices import DeadlineClock

    return DeadlineClock(kind).label
