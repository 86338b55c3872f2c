from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VisitStatus(models.TextChoices):
    """Where a session stands: an appointment, or how it went."""

    PLANNED = "planned", pgettext_lazy("visit status", "Planned")
    ATTENDED = "attended", pgettext_lazy("visit status", "Attended")
    CANCELLED = "cancelled", pgettext_lazy("visit status", "Cancelled")
    NO_SHOW = "no_show", pgettext_lazy("visit status", "No-show")


# The outcomes a session can be logged with.
OUTCOME_STATUSES = (VisitStatus.ATTENDED, VisitStatus.CANCELLED, VisitStatus.NO_SHOW)
# The statuses that hold the specialist's time (a cancelled or no-show session frees the slot).
BUSY_STATUSES = (VisitStatus.PLANNED, VisitStatus.ATTENDED)
# The statuses that need a reason.
NOT_HELD_STATUSES = (VisitStatus.CANCELLED, VisitStatus.NO_SHOW)
OUTCOME_CHOICES = [(s.value, s.label) for s in OUTCOME_STATUSES]


class VisitFormat(models.TextChoices):
    INDIVIDUAL = "individual", pgettext_lazy("session format", "Individual")
    GROUP = "group", pgettext_lazy("session format", "Group")


class VisitMode(models.TextChoices):
    """Where or how the session takes place (the modality of the service log); the same words as a plan's
    service mode."""

    CENTRE = "centre", pgettext_lazy("service mode", "At the centre")
    HOME = "home", pgettext_lazy("service mode", "At home")
    PHONE = "phone", pgettext_lazy("service mode", "By phone")
    MESSENGER = "messenger", pgettext_lazy("service mode", "By messenger")
    VIDEO = "video", pgettext_lazy("service mode", "By video call")


class Participant(models.TextChoices):
    """Who took part in a session besides the specialist."""

    CHILD = "child", pgettext_lazy("session participant", "Child")
    MOTHER = "mother", pgettext_lazy("session participant", "Mother")
    FATHER = "father", pgettext_lazy("session participant", "Father")
    GUARDIAN = "guardian", pgettext_lazy("session participant", "Guardian")
    OTHER = "other", pgettext_lazy("session participant", "Other")


class CancellationReason(models.TextChoices):
    """Why a session did not take place (cancelled ahead, or nobody came)."""

    CHILD_ILL = "child_ill", _("The child is ill")
    HOSPITAL = "hospital", _("In hospital")
    FAMILY = "family", _("Family circumstances")
    NO_NOTICE = "no_notice", _("Did not come, no reason given")
    TRANSPORT = "transport", _("Transport or weather")
    SPECIALIST_ABSENT = "specialist_absent", _("The specialist is absent")
    CENTRE_CLOSED = "centre_closed", _("The centre is closed (quarantine, holiday)")
    OTHER = "other", _("Other reason")


class GroupActivityKind(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    TRAINING = "training", _("Training")
    GROUP_CONSULTATION = "group_consultation", _("Group consultation")
    GROUP_CLASS = "group_class", _("Group (frontal) class")


class GroupActivityStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("group activity status", "Planned")
    HELD = "held", pgettext_lazy("group activity status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("group activity status", "Cancelled")


# The statuses a group activity can be set to by editing it (it is held once its attendance is recorded).
GROUP_EDITABLE_STATUS_CHOICES = [
    (s.value, s.label) for s in (GroupActivityStatus.PLANNED, GroupActivityStatus.CANCELLED)
]
