from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    YOUTH_HOUSE = "youth_house", _("Youth house")
    SOCIAL_APARTMENT = "social_apartment", _("Social apartment")
    SHELTER = "shelter", _("Shelter")
    OTHER = "other", _("Other")
