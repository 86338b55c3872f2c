from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import (
    CaseEventKind,
    CaseStatus,
    ClosureDestination,
    DeadlineClock,
    DocumentKind,
    OutcomeArea,
    OutcomeRating,
    PauseReason,
    ReferralSource,
)
from tirek.core.scoping import AGGREGATE_ONLY_ROLES, ScopedQuerySet


class CaseQuerySet(ScopedQuerySet):
    hidden_from = AGGREGATE_ONLY_ROLES
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
    closure_destination = models.CharField(
        _("destination"), max_length=30, choices=ClosureDestination.choices, blank=True
    )
    # The child-outcome ratings (1–7) in three areas, at entry and at exit, to compare progress.
    entry_rated_on = models.DateField(_("entry ratings on"), null=True, blank=True)
    entry_social = models.PositiveSmallIntegerField(
        _("entry rating: social relationships"), choices=OutcomeRating.choices, null=True, blank=True
    )
    entry_knowledge = models.PositiveSmallIntegerField(
        _("entry rating: knowledge and skills"), choices=OutcomeRating.choices, null=True, blank=True
    )
    entry_needs = models.PositiveSmallIntegerField(
        _("entry rating: meeting own needs"), choices=OutcomeRating.choices, null=True, blank=True
    )
    exit_rated_on = models.DateField(_("exit ratings on"), null=True, blank=True)
    exit_social = models.PositiveSmallIntegerField(
        _("exit rating: social relationships"), choices=OutcomeRating.choices, null=True, blank=True
    )
    exit_knowledge = models.PositiveSmallIntegerField(
        _("exit rating: knowledge and skills"), choices=OutcomeRating.choices, null=True, blank=True
    )
    exit_needs = models.PositiveSmallIntegerField(
        _("exit rating: meeting own needs"), choices=OutcomeRating.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Moves on by one with each save by a user; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

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
        indexes = [
            models.Index(fields=["organisation", "status"], name="case_org_status"),
            # The case list's first page: an organisation's cases newest first, read from the index alone.
            models.Index(fields=["organisation", "-opened_on", "-number"], name="case_org_newest"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def outcome_ratings(self) -> list[tuple[str, int | None, int | None]]:
        """(area label, entry rating, exit rating) for the three child-outcome areas."""
        return [
            (area.label, getattr(self, f"entry_{area.value}"), getattr(self, f"exit_{area.value}"))
            for area in OutcomeArea
        ]


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
    hidden_from = AGGREGATE_ONLY_ROLES
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


class DeadlinePauseQuerySet(ScopedQuerySet):
    hidden_from = AGGREGATE_ONLY_ROLES
    organisation_path = "case__organisation"


class DeadlinePause(models.Model):
    """A documented stretch of days during which one of a case's deadline clocks stood still."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadline_pauses")
    clock = models.CharField(
        _("clock"), max_length=20, choices=DeadlineClock.choices, default=DeadlineClock.FIRST_PLAN
    )
    reason = models.CharField(_("reason"), max_length=30, choices=PauseReason.choices)
    starts_on = models.DateField(_("paused from"))
    ends_on = models.DateField(_("resumed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DeadlinePauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline pause")
        verbose_name_plural = _("deadline pauses")
        ordering = ["starts_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="deadline_pause_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["case", "clock"],
                condition=models.Q(ends_on__isnull=True),
                name="deadline_pause_one_open_per_clock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.clock} {self.starts_on}–{self.ends_on or ''}"

    def clean(self) -> None:
        if self.ends_on is not None and self.starts_on is not None and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A pause cannot end before it starts.")})
        if self.reason == PauseReason.OTHER and not self.note.strip():
            raise ValidationError({"note": _("Describe the reason for the pause.")})

    def days_until(self, day: dt.date) -> int:
        """How many days of this pause fall before `day` (an open pause runs up to `day`)."""
        end = day if self.ends_on is None else min(self.ends_on, day)
        return max(0, (end - self.starts_on).days)

    def is_open_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)


class CaseDocumentQuerySet(ScopedQuerySet):
    hidden_from = AGGREGATE_ONLY_ROLES
    organisation_path = "case__organisation"


def document_path(instance: CaseDocument, filename: str) -> str:
    """Stored under a random name: the file name a user uploads may carry a child's name."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"case-documents/{instance.case_id}/{uuid.uuid4().hex}.{suffix}"


class CaseDocument(models.Model):
    """A paper of the case (a referral letter, a PMPK conclusion, a signed plan …): what it is, its date and
    who issued it, and the scanned file when there is one. Files are served only through Tirek, to those who
    may see the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    dated = models.DateField(_("date of the document"))
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, blank=True)
    content_type = models.CharField(max_length=50, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = CaseDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-dated", "-created_at"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()
