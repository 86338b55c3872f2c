"""The overdue-appeal reminder, run by a periodic command: each overdue appeal reaches its assignee (or,
unassigned, the organisation's managers) once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tirek.notifications.choices import NotificationKind
from tirek.notifications.services import notify, staff_of
from tirek.support.models import Appeal


def overdue_dedupe_key(appeal: Appeal) -> str:
    return f"appeal-overdue:{appeal.pk}"


def appeals_overdue_notify(today: dt.date | None = None) -> int:
    """Notify whoever answers each overdue appeal, once per appeal and person. Returns how many
    notifications were sent."""
    today = today or timezone.localdate()
    overdue = Appeal.objects.overdue(today).select_related("assignee").order_by("due_on", "number")
    managers: dict = {}
    sent = 0
    with transaction.atomic():
        for appeal in overdue.iterator(chunk_size=500):
            if appeal.assignee is not None and appeal.assignee.is_active:
                recipients = [appeal.assignee]
            else:
                if appeal.organisation_id not in managers:
                    managers[appeal.organisation_id] = staff_of(appeal.organisation_id, ["manager"])
                recipients = managers[appeal.organisation_id]
            sent += len(
                notify(
                    recipients=recipients,
                    kind=NotificationKind.APPEAL_OVERDUE,
                    organisation=appeal.organisation_id,
                    link=reverse("support:appeal_detail", args=[appeal.pk]),
                    dedupe_key=overdue_dedupe_key(appeal),
                    number=appeal.number,
                    due=appeal.due_on,
                )
            )
    return sent
