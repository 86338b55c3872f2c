from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_REVOKED = "referral_revoked", _("Referral revoked")
    REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
    APPEAL_ASSIGNED = "appeal_assigned", _("Appeal assigned")
    APPEAL_OVERDUE = "appeal_overdue", _("Appeal overdue")
    DEADLINE_DUE_SOON = "deadline_due_soon", _("Deadline due soon")
    DEADLINE_OVERDUE = "deadline_overdue", _("Deadline overdue")
    EMERGENCY_ACCESS = "emergency_access", _("Emergency access to a record")


# What the bell says, with the notification's parameters: number, counterpart (the other organisation), due,
# clock. Parameters never hold a person's name, IIN or health data: a notification (and its e-mail) names
# the record by its number and the page to open.
MESSAGES = {
    NotificationKind.REFERRAL_RECEIVED: _("Referral %(number)s received from %(counterpart)s."),
    NotificationKind.REFERRAL_ACCEPTED: _("Referral %(number)s was accepted by %(counterpart)s."),
    NotificationKind.REFERRAL_DECLINED: _("Referral %(number)s was declined by %(counterpart)s."),
    NotificationKind.REFERRAL_REVOKED: _("Referral %(number)s was revoked by %(counterpart)s."),
    NotificationKind.REFERRAL_COMPLETED: _("Referral %(number)s was completed by %(counterpart)s."),
    NotificationKind.APPEAL_ASSIGNED: _("Appeal %(number)s was assigned to you; due %(due)s."),
    NotificationKind.APPEAL_OVERDUE: _("Appeal %(number)s is overdue since %(due)s."),
    NotificationKind.DEADLINE_DUE_SOON: _("Case %(number)s: %(clock)s is due on %(due)s."),
    NotificationKind.DEADLINE_OVERDUE: _("Case %(number)s: %(clock)s was due on %(due)s."),
    NotificationKind.EMERGENCY_ACCESS: _(
        "%(who)s (%(counterpart)s) opened, in an emergency, the record of a person your organisation serves, "
        "for %(hours)s hours. The reason is on the emergency access page."
    ),
}
