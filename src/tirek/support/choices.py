from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
