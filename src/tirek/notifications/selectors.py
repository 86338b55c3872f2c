"""Reads of notifications: a user sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from tirek.core.scoping import get_visible_or_404
from tirek.notifications.models import Notification


def notification_list(*, user, unread: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.for_user(user)
    return notifications.unread() if unread else notifications


def unread_count(*, user) -> int:
    return Notification.objects.for_user(user).unread().count()


def notification_get(*, user, pk) -> Notification:
    return get_visible_or_404(Notification.objects.all(), user, pk=pk)
