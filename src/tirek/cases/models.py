from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import CaseEventKind, CaseStatus, ReferralSource
from tirek.core.scoping import ScopedQuerySet


class CaseQuerySet(ScopedQuerySet):
    pass


class Case(models.Model):
    """One person's enrolment in one programme of one organisation; it owns the work done there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    programme = models.ForeignKey(
        "directory.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cases"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField(_("case number"), max_length=30)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    opened_on = models.DateField(_("opened on"))
    referral_source = models.CharField(_("referral source"), max_length=20, choices=ReferralSource.choices)
    referral_received_on = models.DateField(
        _("referral received on"), help_text=_("Deadlines such as the first plan count from this date.")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team"), blank=True, related_name="cases"
    )
    eligibility_override_reason = models.CharField(
        _("eligibility override reason"), max_length=300, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.ForeignKey(
        "catalog.ClosureReason",
        verbose_name=_("closure reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closure_note = models.TextField(_("closure note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="case_number_unique_per_organisation"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="case_org_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseCounter(models.Model):
    """The last case number given by an organisation in a year (numbers run prefix-year-sequence)."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.last}"


class CaseEventQuerySet(ScopedQuerySet):
    organisation_path = "case__organisation"


class CaseEvent(models.Model):
    """One line of a case's human-readable history, written by the service that did the act."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=40, choices=CaseEventKind.choices)
    happened_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-happened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"
