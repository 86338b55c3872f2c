"""Writes of notifications: sending (in-app row + e-mail after commit) and marking as read."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import override

from tirek.accounts.models import Membership
from tirek.notifications.models import Notification

log = logging.getLogger(__name__)
LANGUAGES = ("kk", "ru", "en")


def _stored(value):
    """A parameter as the bell will show it in any language: a translatable text or a record with names in
    the three languages is kept as {language: text}; anything else as its text."""
    if isinstance(value, Promise):
        texts = {}
        for language in LANGUAGES:
            with override(language):
                texts[language] = str(value)
        return texts
    if hasattr(value, "name_kk") and hasattr(value, "name_ru"):
        return {
            "kk": value.name_kk,
            "ru": value.name_ru,
            "en": getattr(value, "name_en", "") or value.name_ru,
        }
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def staff_of(organisation, roles: Iterable[str]) -> list:
    """The active members of `organisation` holding one of `roles` (whom an organisation-wide notice
    reaches, e.g. the coordinators and managers for a referral received)."""
    memberships = Membership.objects.filter(
        organisation=organisation, role__in=list(roles), is_active=True, user__is_active=True
    ).select_related("user")
    seen: dict = {}
    for membership in memberships:
        seen.setdefault(membership.user_id, membership.user)
    return list(seen.values())


def notify(
    *,
    recipients: Iterable,
    kind: str,
    organisation=None,
    link: str = "",
    dedupe_key: str = "",
    **params,
) -> list[Notification]:
    """Notify each of `recipients` (users) of `kind`. Call it inside the transaction of the act it reports:
    the rows commit with it, and the e-mails go out only after the commit (never for a rolled-back act).

    With `dedupe_key`, a recipient who already got a notification with that key gets no second one."""
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if dedupe_key:
        already = set(
            Notification.objects.filter(recipient_id__in=users, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        users = {pk: u for pk, u in users.items() if pk not in already}
    rows = [
        Notification(
            recipient=user,
            organisation_id=getattr(organisation, "pk", organisation),
            kind=kind,
            params={name: _stored(value) for name, value in params.items()},
            link=link,
            dedupe_key=dedupe_key,
        )
        for user in users.values()
    ]
    Notification.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: send_notification_emails(ids))
    return rows


def send_notification_emails(ids: Iterable) -> int:
    """E-mail the notifications `ids` to recipients with an address; mark them e-mailed. Returns the count.

    The e-mail carries the message in Kazakh and Russian and a link, nothing more: the record itself is
    read in Tirek, after login."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=list(ids), emailed_at__isnull=True).select_related(
        "recipient"
    ):
        address = notification.recipient.email
        if not address:
            continue
        texts = []
        for language in ("kk", "ru"):
            with override(language):
                texts.append(notification.message)
        with override("kk"):
            subject = _("Tirek: %(kind)s") % {"kind": notification.get_kind_display()}
        url = settings.TIREK_BASE_URL.rstrip("/") + (notification.link or "/notifications/")
        body = "\n\n".join([*texts, url])
        try:
            send_mail(subject, body, None, [address])
        except OSError:
            log.warning("notification e-mail to user %s failed", notification.recipient_id, exc_info=True)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def notification_read(*, actor, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_read_all(*, actor) -> int:
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())
