from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    MALE = "male", pgettext_lazy("sex", "Male")
    FEMALE = "female", pgettext_lazy("sex", "Female")


class IinMissingReason(models.TextChoices):
    NEWBORN = "newborn", _("Newborn, not yet registered")
    FOREIGN = "foreign", _("Foreign citizen")
    UNKNOWN = "unknown", _("Unknown")


class DisabilityStatus(models.TextChoices):
    NONE = "none", _("No disability")
    CHILD = "child", _("Child with disability")
    GROUP_1 = "group_1", _("Disability group 1")
    GROUP_2 = "group_2", _("Disability group 2")
    GROUP_3 = "group_3", _("Disability group 3")
    ASSESSING = "assessing", _("Being assessed")


class FamilyRole(models.TextChoices):
    CHILD = "child", _("Child")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GUARDIAN = "guardian", _("Guardian")
    TRUSTEE = "trustee", _("Trustee")
    FOSTER_PARENT = "foster_parent", _("Foster parent")
    ADOPTIVE_PARENT = "adoptive_parent", _("Adoptive parent")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER = "other", _("Other relative or person")


class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("Receiving services")
    DATA_PROCESSING = "data_processing", _("Processing of personal data")
    SHARING = "sharing", _("Sharing with other organisations")


class AccessReason(models.TextChoices):
    REGISTERED = "registered", _("Registered by the organisation")
    CASE = "case", _("A case in the organisation")
    REFERRAL = "referral", _("A referral to the organisation")
