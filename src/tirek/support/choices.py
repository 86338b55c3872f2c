from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutcomeKind(models.TextChoices):
    """What changed in a person's life, as the reports count it."""

    FLAT_ALLOCATED = "flat_allocated", _("Flat allocated")
    RENT_SUPPORT = "rent_support", _("Rent support")
    JOB_FOUND = "job_found", _("Job found")
    EDUCATION_GRANT = "education_grant", _("Education grant")
    FINANCIAL_AID = "financial_aid", _("Financial aid received")
    BENEFIT_GRANTED = "benefit_granted", _("Benefit granted")
    RETURNED_TO_BIRTH_FAMILY = "returned_to_birth_family", _("Returned to the birth family")
    PLACED_FOSTER = "placed_foster", _("Placed in a foster family")
    PLACED_GUARDIAN = "placed_guardian", _("Placed with a guardian")
    PLACED_ADOPTIVE = "placed_adoptive", _("Placed in an adoptive family")
    COURSE_COMPLETED = "course_completed", _("Course completed")
    MOVED_TO_SCHOOL = "moved_to_school", _("Moved on to school")
    MOVED_TO_KINDERGARTEN = "moved_to_kindergarten", _("Moved on to kindergarten")


class AppealCategory(models.TextChoices):
    """What an appeal asks for (seed 003: most care leavers' appeals are about housing)."""

    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION_GRANT = "education_grant", pgettext_lazy("appeal category", "Education grant")
    FINANCIAL_AID = "financial_aid", pgettext_lazy("appeal category", "Financial aid")
    LEGAL_HELP = "legal_help", _("Legal help")
    PSYCHOLOGICAL_HELP = "psychological_help", _("Psychological help")
    DOCUMENTS = "documents", _("Documents")
    BENEFITS = "benefits", _("Benefits")
    OTHER = "other", pgettext_lazy("appeal category", "Other")


# Days to answer an appeal of each category, unless the organisation set its own (AppealDeadline).
DEFAULT_DEADLINE_DAYS = {
    AppealCategory.HOUSING: 30,
    AppealCategory.EMPLOYMENT: 30,
    AppealCategory.EDUCATION_GRANT: 30,
    AppealCategory.FINANCIAL_AID: 15,
    AppealCategory.LEGAL_HELP: 10,
    AppealCategory.PSYCHOLOGICAL_HELP: 3,
    AppealCategory.DOCUMENTS: 15,
    AppealCategory.BENEFITS: 15,
    AppealCategory.OTHER: 15,
}
MAX_DEADLINE_DAYS = 365


class AppealChannel(models.TextChoices):
    """How the appeal reached the organisation."""

    WALK_IN = "walk_in", _("Walk-in")
    HELPLINE_150 = "helpline_150", _("Helpline 150")
    HELPLINE_111 = "helpline_111", _("Helpline 111")
    PHONE = "phone", pgettext_lazy("appeal channel", "Phone")
    ONLINE = "online", _("Online")
    LETTER = "letter", _("Letter")
    OUTREACH = "outreach", _("Outreach")


# The channels of the helpline quick-intake form.
HELPLINE_CHANNELS = (AppealChannel.HELPLINE_150, AppealChannel.HELPLINE_111, AppealChannel.PHONE)
HELPLINE_CHANNEL_CHOICES = [(c.value, c.label) for c in HELPLINE_CHANNELS]


class AppealStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("appeal status", "Registered")
    IN_PROGRESS = "in_progress", pgettext_lazy("appeal status", "In progress")
    FORWARDED = "forwarded", pgettext_lazy("appeal status", "Forwarded")
    RESOLVED = "resolved", pgettext_lazy("appeal status", "Resolved")
    REJECTED = "rejected", pgettext_lazy("appeal status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("appeal status", "Withdrawn")


# An appeal is closed once it is answered one way or another; a forwarded one waits for the answer.
CLOSED_STATUSES = (AppealStatus.RESOLVED, AppealStatus.REJECTED, AppealStatus.WITHDRAWN)
OPEN_STATUSES = (AppealStatus.REGISTERED, AppealStatus.IN_PROGRESS, AppealStatus.FORWARDED)
# Which status may follow which.
APPEAL_FLOW = {
    AppealStatus.REGISTERED: {
        AppealStatus.IN_PROGRESS,
        AppealStatus.FORWARDED,
        AppealStatus.RESOLVED,
        AppealStatus.REJECTED,
        AppealStatus.WITHDRAWN,
    },
    AppealStatus.IN_PROGRESS: {
        AppealStatus.FORWARDED,
        AppealStatus.RESOLVED,
        AppealStatus.REJECTED,
        AppealStatus.WITHDRAWN,
    },
    AppealStatus.FORWARDED: {
        AppealStatus.IN_PROGRESS,
        AppealStatus.RESOLVED,
        AppealStatus.REJECTED,
        AppealStatus.WITHDRAWN,
    },
    AppealStatus.RESOLVED: set(),
    AppealStatus.REJECTED: set(),
    AppealStatus.WITHDRAWN: set(),
}


class AppealResult(models.TextChoices):
    """How a resolved appeal was answered."""

    SATISFIED = "satisfied", _("Satisfied")
    PARTLY_SATISFIED = "partly_satisfied", _("Partly satisfied")
    EXPLAINED = "explained", _("Advice or explanation given")


class AppealEventKind(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("appeal event", "Registered")
    ASSIGNED = "assigned", pgettext_lazy("appeal event", "Assigned")
    STARTED = "started", pgettext_lazy("appeal event", "Taken into work")
    FORWARDED = "forwarded", pgettext_lazy("appeal event", "Forwarded")
    RESOLVED = "resolved", pgettext_lazy("appeal event", "Resolved")
    REJECTED = "rejected", pgettext_lazy("appeal event", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("appeal event", "Withdrawn")
    CASE_LINKED = "case_linked", pgettext_lazy("appeal event", "Linked to a case")
    UPDATED = "updated", pgettext_lazy("appeal event", "Details changed")
    OUTCOME_RECORDED = "outcome_recorded", pgettext_lazy("appeal event", "Outcome recorded")


class AidKind(models.TextChoices):
    FOOD_PACKAGE = "food_package", _("Food package")
    HYGIENE_KIT = "hygiene_kit", _("Hygiene kit")
    CLOTHING = "clothing", _("Clothing")
    SCHOOL_KIT = "school_kit", _("School kit")
    CASH = "cash", _("Cash")
    OTHER = "other", pgettext_lazy("aid kind", "Other")
