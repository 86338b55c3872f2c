"""Social support: appeals, material aid and outcomes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import ScopedQuerySet
from tirek.people.models import phone_validator
from tirek.support.choices import (
    CLOSED_STATUSES,
    MAX_DEADLINE_DAYS,
    AidKind,
    AppealCategory,
    AppealChannel,
    AppealEventKind,
    AppealResult,
    AppealStatus,
    OutcomeKind,
)


class AppealQuerySet(ScopedQuerySet):
    def open(self) -> AppealQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today=None) -> AppealQuerySet:
        """Appeals not yet closed whose due date has passed."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Appeal(models.Model):
    """A request to an organisation from a person (a care leaver, a parent, a family) or an anonymous caller:
    what they ask for, how it came in, who handles it by when, and how it was answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("appeal number"), max_length=30)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    caller = models.CharField(
        _("caller"),
        max_length=300,
        blank=True,
        help_text=_("Who called or wrote, when not a registered person, e.g. anonymous, care leaver, 19."),
    )
    caller_phone = models.CharField(
        _("caller's phone"), max_length=12, blank=True, validators=[phone_validator]
    )
    family = models.ForeignKey(
        "people.Family",
        verbose_name=_("family"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    category = models.CharField(_("category"), max_length=30, choices=AppealCategory.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=AppealChannel.choices)
    received_at = models.DateTimeField(_("received at"))
    text = models.TextField(_("what the appeal is about"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_appeals",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.REGISTERED
    )
    forwarded_to = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("forwarded to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    forward_note = models.TextField(_("forwarding note"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    result = models.CharField(_("result"), max_length=20, choices=AppealResult.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Moves on by one with each save by a user; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_at", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="appeal_number_unique_per_org")
        ]
        indexes = [
            models.Index(fields=["organisation", "received_at"], name="appeal_org_received"),
            models.Index(fields=["organisation", "status", "due_on"], name="appeal_org_status_due"),
            models.Index(fields=["assignee", "status"], name="appeal_assignee_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def is_anonymous(self) -> bool:
        return self.person_id is None

    def clean(self) -> None:
        errors = {}
        if self.status == AppealStatus.FORWARDED and self.forwarded_to_id is None:
            errors["forwarded_to"] = _("Choose the organisation the appeal is forwarded to.")
        if self.status == AppealStatus.RESOLVED and not self.result:
            errors["result"] = _("Say how the appeal was answered.")
        if self.status in (AppealStatus.RESOLVED, AppealStatus.REJECTED) and not self.resolution.strip():
            errors["resolution"] = _("Write the answer given.")
        if errors:
            raise ValidationError(errors)


class AppealCounter(models.Model):
    """The last appeal number given by an organisation in a year."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="appeal_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.last}"


class AppealEventQuerySet(ScopedQuerySet):
    organisation_path = "appeal__organisation"


class AppealEvent(models.Model):
    """One line of an appeal's history (registered, assigned, forwarded, resolved …), written by the service
    that did the act."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=AppealEventKind.choices)
    happened_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    objects = AppealEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["-happened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.appeal} {self.kind}"


class AppealDeadlineQuerySet(ScopedQuerySet):
    pass


class AppealDeadline(models.Model):
    """An organisation's own number of days to answer appeals of one category (instead of the default)."""

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("category"), max_length=30, choices=AppealCategory.choices)
    days = models.PositiveSmallIntegerField(
        _("days to answer"), validators=[MinValueValidator(1), MaxValueValidator(MAX_DEADLINE_DAYS)]
    )

    objects = AppealDeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal deadline")
        verbose_name_plural = _("appeal deadlines")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "category"], name="appeal_deadline_once")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.days}"


class AidDistributionQuerySet(ScopedQuerySet):
    pass


class AidDistribution(models.Model):
    """Material aid handed to one family or one person: what, how much, worth how much, when, paid by whom."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        "people.Family",
        verbose_name=_("family"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_distributions",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_distributions",
    )
    kind = models.CharField(_("kind of aid"), max_length=20, choices=AidKind.choices)
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    value = models.DecimalField(
        _("value, KZT"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The total value of what was handed over."),
    )
    distributed_on = models.DateField(_("date"))
    funding_partner = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("funding partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    funding_partner_name = models.CharField(
        _("funding partner (not in the directory)"),
        max_length=300,
        blank=True,
        help_text=_("A fund or company that is not in Tirek's directory."),
    )
    note = models.TextField(_("note"), blank=True)
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AidDistributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("aid distribution")
        verbose_name_plural = _("aid distributions")
        ordering = ["-distributed_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "distributed_on"], name="aid_org_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(family__isnull=True, person__isnull=False)
                | Q(family__isnull=False, person__isnull=True),
                name="aid_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} × {self.quantity} {self.distributed_on:%d.%m.%Y}"

    @property
    def recipient(self):
        return self.family or self.person

    @property
    def funder(self) -> str:
        return str(self.funding_partner) if self.funding_partner_id else self.funding_partner_name

    def clean(self) -> None:
        if (self.family_id is None) == (self.person_id is None):
            raise ValidationError(_("Choose either a family or a person as the recipient."))


class OutcomeQuerySet(ScopedQuerySet):
    pass


class Outcome(models.Model):
    """A dated change in a person's life that an organisation helped bring about (a flat, a job, a return
    to the birth family, a course completed …), recorded from a case, an appeal or a course."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(_("outcome"), max_length=40, choices=OutcomeKind.choices)
    happened_on = models.DateField(_("date"))
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    appeal = models.ForeignKey(
        Appeal,
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "kind", "happened_on"], name="outcome_org_kind_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on:%d.%m.%Y}"
