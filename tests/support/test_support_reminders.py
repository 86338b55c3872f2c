from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tirek.notifications.models import Notification
from tirek.support.models import Appeal
from tirek.support.reminders import appeals_overdue_notify
from tirek.support.selectors import appeal_list
from tirek.support.services import appeal_assign, appeal_register, appeal_resolve


def _appeal(cast, category: str, days_ago: int, organisation=None, actor=None):
    return appeal_register(
        actor=actor or cast.coordinator_a,
        organisation=organisation or cast.almaty,
        category=category,
        channel="helpline_150",
        caller="анонимді",
        text="Қоңырау",
        received_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_an_appeal_is_overdue_once_its_due_date_has_passed_while_open(cast, today):
    due_today = _appeal(cast, "psychological_help", 3)
    late = _appeal(cast, "psychological_help", 5)
    answered = _appeal(cast, "psychological_help", 6)
    appeal_resolve(actor=cast.coordinator_a, appeal=answered, resolution="Кеңес", result="explained")
    fresh = _appeal(cast, "housing", 5)
    assert due_today.due_on == today and not due_today.is_overdue
    assert late.is_overdue and not fresh.is_overdue
    assert list(Appeal.objects.overdue()) == [late]
    assert list(appeal_list(user=cast.coordinator_a, overdue=True)) == [late]
    assert set(appeal_list(user=cast.coordinator_a)) == {due_today, late, answered, fresh}
    assert set(Appeal.objects.overdue(today + dt.timedelta(days=1))) == {late, due_today}


def test_the_overdue_reminder_reaches_each_assignee_once_per_appeal(cast, today):
    mine = _appeal(cast, "legal_help", 20)
    appeal_assign(actor=cast.coordinator_a, appeal=mine, assignee=cast.specialist_a)
    unassigned = _appeal(cast, "psychological_help", 10)
    _appeal(cast, "housing", 1)
    shymkent = _appeal(cast, "documents", 30, organisation=cast.shymkent, actor=cast.coordinator_b)
    Notification.objects.all().delete()
    assert appeals_overdue_notify() == 3
    assert appeals_overdue_notify() == 0
    overdue = Notification.objects.filter(kind="appeal_overdue")
    assert {(n.recipient, n.params["number"]) for n in overdue} == {
        (cast.specialist_a, mine.number),
        (cast.manager_a, unassigned.number),
        (cast.manager_b, shymkent.number),
    }
    assert overdue.get(recipient=cast.specialist_a).params["due"] == mine.due_on.strftime("%d.%m.%Y")
    # A new assignee of an overdue appeal hears of it once too; the earlier one does not again.
    appeal_assign(actor=cast.coordinator_a, appeal=unassigned, assignee=cast.coordinator_a)
    appeal_assign(actor=cast.manager_a, appeal=unassigned, assignee=cast.specialist_a)
    assert appeals_overdue_notify() == 1
    assert overdue.filter(recipient=cast.specialist_a).count() == 2
    # Forty days on, the housing appeal (unassigned, due in 29 days) reaches the managers.
    assert appeals_overdue_notify(today + dt.timedelta(days=40)) == 1
    assert overdue.filter(recipient=cast.manager_a).count() == 2
