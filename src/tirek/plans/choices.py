from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    APPROVED = "approved", pgettext_lazy("plan status", "Approved")
    ACTIVE = "active", pgettext_lazy("plan status", "In force")
    REVIEWED = "reviewed", pgettext_lazy("plan status", "Reviewed")
    SUPERSEDED = "superseded", pgettext_lazy("plan status", "Superseded")


# A plan being prepared (one per case at a time), and a plan in force (one per case at a time).
PENDING_STATUSES = (PlanStatus.DRAFT, PlanStatus.APPROVED)
IN_FORCE_STATUSES = (PlanStatus.ACTIVE, PlanStatus.REVIEWED)


class Domain(models.TextChoices):
    """The developmental domains of an early-intervention plan (present levels, goals)."""

    PHYSICAL = "physical", _("Physical development, vision and hearing")
    COGNITIVE = "cognitive", _("Cognitive development")
    COMMUNICATION = "communication", _("Communication")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social and emotional development")
    ADAPTIVE = "adaptive", _("Adaptive (self-care) skills")


class FrequencyPeriod(models.TextChoices):
    WEEK = "week", pgettext_lazy("frequency", "per week")
    MONTH = "month", pgettext_lazy("frequency", "per month")


class ServiceMode(models.TextChoices):
    """Where or how a service is delivered: in the centre, at home (the natural environment) or remotely."""

    CENTRE = "centre", pgettext_lazy("service mode", "At the centre")
    HOME = "home", pgettext_lazy("service mode", "At home")
    PHONE = "phone", pgettext_lazy("service mode", "By phone")
    MESSENGER = "messenger", pgettext_lazy("service mode", "By messenger")
    VIDEO = "video", pgettext_lazy("service mode", "By video call")


class GoalRating(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("goal progress", "Not started")
    EMERGING = "emerging", pgettext_lazy("goal progress", "Emerging")
    PROGRESSING = "progressing", pgettext_lazy("goal progress", "Progressing")
    ACHIEVED = "achieved", pgettext_lazy("goal progress", "Achieved")
    DISCONTINUED = "discontinued", pgettext_lazy("goal progress", "Discontinued")


class PdfLanguage(models.TextChoices):
    """The languages a plan is printed in for the family to sign."""

    KK = "kk", "Қазақша"
    RU = "ru", "Русский"
