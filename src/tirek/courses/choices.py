from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    ADOPTIVE_PARENTS_SCHOOL = "adoptive_parents_school", _("School for adoptive and foster parents")
    PARENTING = "parenting", _("Parenting course")
    CARE_LEAVER_SKILLS = "care_leaver_skills", _("Vocational or life-skills course for care leavers")
    OTHER = "other", _("Other course")


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")


# A course takes participants while it is planned or running.
OPEN_COURSE_STATUSES = (CourseStatus.PLANNED, CourseStatus.RUNNING)
