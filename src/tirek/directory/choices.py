from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    EARLY_INTERVENTION = "early_intervention", _("Early-intervention centre")
    REHABILITATION = "rehabilitation", _("Rehabilitation centre")
    INCLUSION_CABINET = "inclusion_cabinet", _("Inclusion-support cabinet")
    AUTISM_CENTRE = "autism_centre", _("Autism centre")
    PMPK = "pmpk", _("Psychological-medical-pedagogical consultation (PMPK)")
    FAMILY_SUPPORT = "family_support", _("Family-support centre")
    CARE_LEAVER_ASSOCIATION = "care_leaver_association", _("Care-leaver association")
    YOUTH_HOUSE = "youth_house", _("Youth house")
    NGO = "ngo", _("Non-governmental organisation")
    PARENTS_ASSOCIATION = "parents_association", _("Parents' association")
    PUBLIC_ASSOCIATION = "public_association", _("Public association / party branch")
    STATE_BODY = "state_body", _("State body")


class ProgrammeKind(models.TextChoices):
    EARLY_INTERVENTION = "early_intervention", _("Early intervention (0–3)")
    DEVELOPMENTAL_SUPPORT = "developmental_support", _("Developmental support (3–7)")
    REHABILITATION = "rehabilitation", _("Habilitation and rehabilitation")
    AUTISM_SUPPORT = "autism_support", _("Autism support")
    INCLUSION_SUPPORT = "inclusion_support", _("Inclusion support")
    FAMILY_STRENGTHENING = "family_strengthening", _("Family strengthening")
    CARE_LEAVER_SUPPORT = "care_leaver_support", _("Care-leaver support")
    FOSTER_PARENT_SCHOOL = "foster_parent_school", _("Foster and adoptive parents' school")
    YOUTH_HOUSE = "youth_house", _("Youth house residence")
    OTHER = "other", _("Other")


class PartnershipStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
