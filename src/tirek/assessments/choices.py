from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstrumentKind(models.TextChoices):
    SCREENING = "screening", _("Screening")
    FUNCTIONAL_PROFILE = "functional_profile", _("Functional profile")
    MILESTONES = "milestones", _("Developmental milestones")
    DEVELOPMENTAL_PROFILE = "developmental_profile", _("Developmental profile")
    EXAMINATION = "examination", _("Diagnostic examination")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire or scale")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    SCALE = "scale", _("Point on a scale")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("One of a list")
    TEXT = "text", _("Text")
    ICF_QUALIFIER = "icf_qualifier", _("ICF qualifier")


class ScoringRule(models.TextChoices):
    """The fixed registry of scoring rules (implemented in scoring.py); instruments pick one by code."""

    NONE = "none", _("No scoring: answers are recorded")
    SUM = "sum", _("Sum of the answers, with optional bands")
    ICF_PROFILE = "icf_profile", _("ICF-CY functional profile")
    MCHAT_RF = "mchat_rf", _("M-CHAT-R/F")
    WHO_MOTOR = "who_motor", _("WHO motor milestones")
    DOMAIN_PROFILE = "domain_profile", _("Five-domain developmental profile")
    EXAM_RESULT = "exam_result", _("Examination result")


class IcfComponent(models.TextChoices):
    BODY_FUNCTIONS = "b", _("Body functions")
    BODY_STRUCTURES = "s", _("Body structures")
    ACTIVITIES = "d", _("Activities and participation")
    ENVIRONMENT = "e", _("Environmental factors")


class IcfQualifier(models.IntegerChoices):
    NONE = 0, pgettext_lazy("ICF qualifier", "0 — no problem")
    MILD = 1, pgettext_lazy("ICF qualifier", "1 — mild")
    MODERATE = 2, pgettext_lazy("ICF qualifier", "2 — moderate")
    SEVERE = 3, pgettext_lazy("ICF qualifier", "3 — severe")
    COMPLETE = 4, pgettext_lazy("ICF qualifier", "4 — complete")
    NOT_SPECIFIED = 8, pgettext_lazy("ICF qualifier", "8 — not specified")
    NOT_APPLICABLE = 9, pgettext_lazy("ICF qualifier", "9 — not applicable")


class IcfSign(models.TextChoices):
    BARRIER = "barrier", _("Barrier")
    FACILITATOR = "facilitator", _("Facilitator")


class DevelopmentalDomain(models.TextChoices):
    """The five areas of a child's present levels (domain-kz.md §5)."""

    PHYSICAL = "physical", _("Physical development, vision and hearing")
    COGNITIVE = "cognitive", _("Cognitive development")
    COMMUNICATION = "communication", _("Communication")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social-emotional development")
    ADAPTIVE = "adaptive", _("Adaptive skills")


class DelayRating(models.TextChoices):
    """The scale of the five-domain profile, from no delay to a severe one (0–3)."""

    AGE_APPROPRIATE = "age_appropriate", _("Age-appropriate")
    MILD = "mild", _("Mild delay")
    MODERATE = "moderate", _("Moderate delay")
    SEVERE = "severe", _("Severe delay")


class MilestoneStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    NOT_YET_EXPECTED = "not_yet_expected", _("Not yet expected at this age")
    IN_WINDOW = "in_window", _("Not yet; still within the normal window")
    LATE = "late", _("Not reached past the window")
    AGE_UNKNOWN = "age_unknown", _("Not reached; age unknown")


class Interpretation(models.TextChoices):
    """Stable codes of the built-in rules' interpretations (a "sum" instrument adds its own band codes)."""

    RECORDED = "recorded", _("Recorded")
    SCORED = "scored", _("Scored")
    MCHAT_LOW = "mchat_low", _("Low risk")
    MCHAT_MEDIUM = "mchat_medium", _("Medium risk: follow-up interview needed")
    MCHAT_FOLLOW_UP_NEGATIVE = "mchat_follow_up_negative", _("Medium risk, follow-up negative")
    MCHAT_FOLLOW_UP_POSITIVE = "mchat_follow_up_positive", _("Medium risk, follow-up positive: refer")
    MCHAT_HIGH = "mchat_high", _("High risk: refer at once")
    MOTOR_ON_TRACK = "motor_on_track", _("No milestone past its window")
    MOTOR_FLAGGED = "motor_flagged", _("Milestone not reached past its window")
    MOTOR_AGE_UNKNOWN = "motor_age_unknown", _("Age unknown: milestones not checked")
    DOMAINS_AGE_APPROPRIATE = "domains_age_appropriate", _("Development age-appropriate in every domain")
    DOMAINS_NEED_SUPPORT = "domains_need_support", _("Support needed in some domains")
    ICF_NO_PROBLEM = "icf_no_problem", _("No problems recorded")
    ICF_MILD = "icf_mild", _("Mild problems")
    ICF_SIGNIFICANT = "icf_significant", _("Moderate or greater problems")
    EXAM_NORMAL = "exam_normal", _("Pass / normal")
    EXAM_ABNORMAL = "exam_abnormal", _("Refer / abnormal: follow up")


class ScoreWarning(models.TextChoices):
    OUTSIDE_AGE_WINDOW = "outside_age_window", _("The child's age is outside the instrument's age window.")
    AGE_UNKNOWN = "age_unknown", _("The date of birth is unknown: age-dependent rules were not applied.")
    CORRECTED_AGE = "corrected_age", _("Corrected age for prematurity was used.")
