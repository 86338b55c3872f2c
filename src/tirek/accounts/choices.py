from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """What a member may do in an organisation."""

    SPECIALIST = "specialist", _("Specialist")
    COORDINATOR = "coordinator", _("Case coordinator")
    INTAKE = "intake", _("Intake / hotline operator")
    MANAGER = "manager", pgettext_lazy("role", "Manager")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
