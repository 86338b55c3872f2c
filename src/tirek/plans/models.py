from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tirek.core.scoping import ScopedQuerySet
from tirek.plans.choices import (
    IN_FORCE_STATUSES,
    PENDING_STATUSES,
    Domain,
    FrequencyPeriod,
    GoalRating,
    PlanStatus,
    ServiceMode,
)


class PlanQuerySet(ScopedQuerySet):
    organisation_path = "case__organisation"


class Plan(models.Model):
    """One version of a case's individual plan: present levels, the family's view, goals, services."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="plans"
    )
    number = models.PositiveIntegerField(_("plan number"), help_text=_("Numbered from 1 within the case."))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    present_levels = models.JSONField(
        _("present levels"),
        default=dict,
        blank=True,
        help_text=_("What the child can do now, by developmental domain."),
    )
    family_concerns = models.TextField(_("the family's concerns"), blank=True)
    family_priorities = models.TextField(_("the family's priorities"), blank=True)
    family_resources = models.TextField(_("the family's resources"), blank=True)
    transition_steps = models.TextField(
        _("transition steps"), blank=True, help_text=_("Steps towards leaving the programme, when due.")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_plans",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    active_from = models.DateField(_("in force from"), null=True, blank=True)
    review_due_on = models.DateField(_("review due on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Moves on by one with each save by a user; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("individual plan")
        verbose_name_plural = _("individual plans")
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="plan_number_unique_per_case"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=[s.value for s in PENDING_STATUSES]),
                name="plan_one_pending_per_case",
                violation_error_message=_("This case already has a plan in preparation."),
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=[s.value for s in IN_FORCE_STATUSES]),
                name="plan_one_in_force_per_case",
                violation_error_message=_("This case already has a plan in force."),
            ),
        ]
        indexes = [models.Index(fields=["status", "review_due_on"], name="plan_status_review_due")]

    def __str__(self) -> str:
        return f"{self.case} / {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.status in IN_FORCE_STATUSES

    def present_level(self, domain: str) -> str:
        return (self.present_levels or {}).get(domain, "")

    def clean(self) -> None:
        levels = self.present_levels
        if not isinstance(levels, dict) or set(levels) - set(Domain.values):
            raise ValidationError({"present_levels": _("Describe the present levels by domain.")})
        if any(not isinstance(text, str) for text in levels.values()):
            raise ValidationError({"present_levels": _("Describe the present levels by domain.")})


class PlanGoal(models.Model):
    """One measurable outcome of a plan: in a domain, with the criterion of success and a target date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    wording = models.TextField(
        _("goal"), help_text=_("What the child will do, in words the family uses, e.g. 'asks for water'.")
    )
    criterion = models.CharField(
        _("criterion"), max_length=300, help_text=_("How we will know it is reached, e.g. '4 times of 5'.")
    )
    target_date = models.DateField(_("target date"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ["order", "target_date"]

    def __str__(self) -> str:
        return self.wording[:80]


class PlannedService(models.Model):
    """A service the plan promises: which, by whom, how often and long, where, from when — with consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    profession = models.ForeignKey(
        "catalog.Profession",
        verbose_name=_("provider profession"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planned_services",
        help_text=_("A member of the organisation; or name an outside provider below."),
    )
    provider_name = models.CharField(_("outside provider"), max_length=200, blank=True)
    frequency = models.PositiveSmallIntegerField(
        _("sessions"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    frequency_period = models.CharField(
        _("per"), max_length=10, choices=FrequencyPeriod.choices, default=FrequencyPeriod.WEEK
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes per session"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    mode = models.CharField(_("mode"), max_length=20, choices=ServiceMode.choices, default=ServiceMode.CENTRE)
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the family's home, a kindergarten group."),
    )
    start_date = models.DateField(_("start date"))
    family_consent = models.BooleanField(_("the family consents"), default=False)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)

    class Meta:
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        ordering = ["start_date", "id"]

    def __str__(self) -> str:
        return str(self.service)

    @property
    def frequency_text(self) -> str:
        return ngettext("%(count)s session %(period)s", "%(count)s sessions %(period)s", self.frequency) % {
            "count": self.frequency,
            "period": self.get_frequency_period_display(),
        }

    @property
    def provider_text(self) -> str:
        return str(self.provider) if self.provider_id else self.provider_name

    def clean(self) -> None:
        errors = {}
        if self.family_consent and self.consent_date is None:
            errors["consent_date"] = _("Give the date the family consented.")
        if not self.family_consent and self.consent_date is not None:
            errors["family_consent"] = _("Tick the consent, or leave its date empty.")
        if self.provider_id and self.provider_name.strip():
            errors["provider_name"] = _("Choose a member of the organisation or name an outside provider.")
        if errors:
            raise ValidationError(errors)


class PlanReview(models.Model):
    """One review of a plan in force: how each goal progresses, and when the next review is due."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    next_review_due_on = models.DateField(_("next review due on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.plan} {self.reviewed_on}"

    def clean(self) -> None:
        if self.reviewed_on and self.next_review_due_on and self.next_review_due_on <= self.reviewed_on:
            raise ValidationError({"next_review_due_on": _("The next review must come after this one.")})


class GoalProgress(models.Model):
    """How far one goal has come, as rated at one review."""

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(
        PlanGoal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="progress"
    )
    rating = models.CharField(_("progress"), max_length=20, choices=GoalRating.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("goal progress")
        verbose_name_plural = _("goal progress")
        ordering = ["goal__order", "goal__target_date"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goal_progress_once_per_review")
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_rating_display()}"
