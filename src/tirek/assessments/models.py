"""Instruments (reference data: items and a scoring rule) and the assessments recorded with them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.assessments.answers import item_label, item_problems
from tirek.assessments.choices import AnswerType, InstrumentKind, ScoringRule
from tirek.assessments.interpretation import interpretation_label, interpretation_level
from tirek.assessments.scoring import parameter_problems
from tirek.core.i18n import MultilingualName, pick_name
from tirek.core.scoping import ScopedQuerySet

CODE_VALIDATOR = RegexValidator(r"^[A-Za-z0-9_.\-]+$", _("Latin letters, digits, dot, dash and underscore."))


class Instrument(MultilingualName, models.Model):
    """One assessment instrument: its items and the rule (from scoring.py) that scores its answers."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=InstrumentKind.choices)
    scoring_rule = models.CharField(
        _("scoring rule"), max_length=30, choices=ScoringRule.choices, default=ScoringRule.NONE
    )
    scoring_parameters = models.JSONField(
        _("scoring parameters"),
        default=dict,
        blank=True,
        help_text=_(
            'For the "sum" rule: {"bands": [{"min": 0, "max": 10, "code": "typical", "label_kk": "…", '
            '"label_ru": "…", "label_en": "…"}]}.'
        ),
    )
    min_age_months = models.PositiveSmallIntegerField(_("from age (months)"), null=True, blank=True)
    max_age_months = models.PositiveSmallIntegerField(
        _("to age (months)"),
        null=True,
        blank=True,
        help_text=_("Outside this window an assessment is recorded with a warning."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if (
            self.min_age_months is not None
            and self.max_age_months is not None
            and self.min_age_months > self.max_age_months
        ):
            errors["max_age_months"] = _("The upper age comes before the lower one.")
        problems = parameter_problems(self.scoring_rule, self.scoring_parameters)
        if problems:
            errors["scoring_parameters"] = problems
        if errors:
            raise ValidationError(errors)


class InstrumentItem(models.Model):
    """One question or measurement of an instrument; answers are keyed by its code."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=40, validators=[CODE_VALIDATOR])
    prompt_kk = models.CharField(_("prompt (Kazakh)"), max_length=500, blank=True)
    prompt_ru = models.CharField(_("prompt (Russian)"), max_length=500, blank=True)
    prompt_en = models.CharField(
        _("prompt (English)"),
        max_length=500,
        blank=True,
        help_text=_("Leave the prompts empty for licensed items: the item is shown by its number."),
    )
    answer_type = models.CharField(_("answer type"), max_length=20, choices=AnswerType.choices)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            'For "one of a list": [{"value": "pass", "label_kk": "…", "label_ru": "…", "label_en": "…"}]; '
            'add "score": 1 to count an option in a sum, "abnormal": true to mark a finding.'
        ),
    )
    min_value = models.DecimalField(_("minimum"), max_digits=9, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=9, decimal_places=2, null=True, blank=True)
    domain = models.CharField(_("domain"), max_length=40, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("instrument item")
        verbose_name_plural = _("instrument items")
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="instrument_item_code_unique"),
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_item_number_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def prompt(self) -> str:
        return pick_name(self, "prompt")

    @property
    def label(self) -> str:
        return item_label(self)

    def clean(self) -> None:
        errors = item_problems(self)
        if errors:
            raise ValidationError(errors)


class AssessmentQuerySet(ScopedQuerySet):
    organisation_path = "case__organisation"


class Assessment(models.Model):
    """One instrument applied to the child of a case on one date: answers, computed scores, interpretation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="assessments"
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    profession = models.ForeignKey(
        "catalog.Profession",
        verbose_name=_("profession"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True, editable=False)
    interpretation = models.CharField(_("interpretation"), max_length=40, blank=True, editable=False)
    follow_up_score = models.PositiveSmallIntegerField(
        _("follow-up score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(20)],
        help_text=_("M-CHAT-R/F: items still failed after the follow-up interview."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-created_at"]
        indexes = [
            models.Index(fields=["case", "assessed_on"], name="assessment_case_date"),
            models.Index(fields=["instrument", "interpretation"], name="assessment_interpretation"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.assessed_on:%d.%m.%Y}"

    @property
    def interpretation_label(self) -> str:
        return interpretation_label(self.interpretation, self.instrument.scoring_parameters)

    @property
    def interpretation_level(self) -> str:
        return interpretation_level(self.interpretation)
