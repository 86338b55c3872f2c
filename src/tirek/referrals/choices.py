from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tirek.cases.choices import ReferralSource


class ReferralStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("referral status", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
    DECLINED = "declined", pgettext_lazy("referral status", "Declined")
    COMPLETED = "completed", pgettext_lazy("referral status", "Completed")
    REVOKED = "revoked", pgettext_lazy("referral status", "Revoked")


# The referrals that still let the receiving organisation see the person (and the parts of the case shared).
LIVE_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
# Which status each act leads from.
RESPOND_FROM = (ReferralStatus.SENT,)
COMPLETE_FROM = (ReferralStatus.ACCEPTED,)
REVOKE_FROM = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Urgency(models.TextChoices):
    ROUTINE = "routine", pgettext_lazy("urgency", "Routine")
    URGENT = "urgent", pgettext_lazy("urgency", "Urgent")
    EMERGENCY = "emergency", pgettext_lazy("urgency", "Emergency")


class SharedPart(models.TextChoices):
    """The parts of the sending organisation's case the receiving one may read with the referral."""

    CONTACTS = "contacts", _("Contacts and address")
    FAMILY = "family", _("Family")
    HEALTH = "health", _("Health: diagnoses and disability")
    ASSESSMENTS = "assessments", _("Assessments: scores and interpretations")
    PLAN = "plan", _("Individual plan: goals")
    SESSIONS = "sessions", _("Sessions: a summary")


class ReferralEventKind(models.TextChoices):
    SENT = "sent", _("Referral sent")
    RECORDED = "recorded", _("Incoming referral recorded")
    ACCEPTED = "accepted", _("Referral accepted")
    DECLINED = "declined", _("Referral declined")
    COMPLETED = "completed", _("Referral completed")
    REVOKED = "revoked", _("Referral revoked")


# Where a referral from outside Tirek comes from: the sources of a case, except another organisation in Tirek
# (that one sends its referral through Tirek itself).
EXTERNAL_SOURCE_CHOICES = [(s.value, s.label) for s in ReferralSource if s != ReferralSource.ORGANISATION]


# The referrals whose shared parts the receiver reads (not after it declined or the sender revoked).
SHARED_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Sent")
