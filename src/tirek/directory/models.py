from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.i18n import MultilingualName
from tirek.core.scoping import ScopedQuerySet
from tirek.core.validators import validate_bin
from tirek.directory.choices import OrganisationKind, PartnershipStatus, ProgrammeKind


class Region(MultilingualName, models.Model):
    """One KATO unit of the first level (a region or a city of republican significance), with its validity."""

    kato = models.CharField(
        _("KATO code"), max_length=9, unique=True, validators=[RegexValidator(r"^\d{9}$", _("Nine digits."))]
    )
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["kato"]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """The directory is open to every signed-in user: organisations hold no personal data."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()


class Organisation(MultilingualName, models.Model):
    """A service provider or authority that runs its own caseload in Tirek."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=40, choices=OrganisationKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    bin = models.CharField(
        _("BIN"), max_length=12, blank=True, validators=[validate_bin], help_text=_("12 digits.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (persons at a time)"), null=True, blank=True)
    case_prefix = models.CharField(
        _("case number prefix"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[A-ZА-ЯӘҒҚҢӨҰҮҺІ0-9]+$", _("Capital letters and digits only."))],
        help_text=_("Case numbers run prefix-year-sequence, e.g. KEN-2026-00017."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    referrals_partners_only = models.BooleanField(
        _("refer only to partners"),
        default=False,
        help_text=_(
            "Referrals from this organisation may go only to organisations with an active memorandum."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_kk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bin"], condition=~models.Q(bin=""), name="organisation_bin_unique_when_present"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": _("An organisation cannot be its own parent body.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class ProgrammeQuerySet(ScopedQuerySet):
    # Analysts read every organisation's programmes (they hold no personal data) to compare coverage.
    national_roles = frozenset({"administrator", "analyst"})


class Programme(MultilingualName, models.Model):
    """A service programme an organisation runs, with who is eligible and how many it can serve a year."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="programmes"
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=ProgrammeKind.choices)
    min_age_months = models.PositiveIntegerField(_("minimum age (months)"), null=True, blank=True)
    max_age_months = models.PositiveIntegerField(
        _("maximum age (months)"), null=True, blank=True, help_text=_("The age at which a person leaves.")
    )
    yearly_capacity = models.PositiveIntegerField(
        _("yearly capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    yearly_target = models.PositiveIntegerField(_("yearly target"), null=True, blank=True)
    # Deadlines: defaults from early-intervention practice, editable per programme.
    first_plan_days = models.PositiveSmallIntegerField(
        _("first plan within (days)"),
        default=45,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days from the referral to the first approved plan, documented pauses not counted."),
    )
    review_months = models.PositiveSmallIntegerField(
        _("plan review every (months)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    assessment_every_months = models.PositiveSmallIntegerField(
        _("assessment every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Leave empty when the programme sets no regular assessments."),
    )
    transition_from_months = models.PositiveSmallIntegerField(
        _("transition planning from age (months)"),
        null=True,
        blank=True,
        help_text=_("The age at which transition steps start, e.g. 27 in early intervention."),
    )
    conference_by_months = models.PositiveSmallIntegerField(
        _("transition conference by age (months)"),
        null=True,
        blank=True,
        help_text=_("e.g. 33 in early intervention: three months before the exit at 36."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["organisation__name_kk", "name_kk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.min_age_months is not None
            and self.max_age_months is not None
            and self.min_age_months >= self.max_age_months
        ):
            raise ValidationError(
                {"max_age_months": _("The maximum age must be greater than the minimum age.")}
            )
        self._clean_transition()

    def _clean_transition(self) -> None:
        start, conference, end = self.transition_from_months, self.conference_by_months, self.max_age_months
        if conference is not None and start is None:
            raise ValidationError(
                {"transition_from_months": _("Say from which age transition planning starts.")}
            )
        if start is not None and end is None:
            raise ValidationError(
                {"max_age_months": _("Transition planning needs the age at which children leave.")}
            )
        if start is not None and start >= end:
            raise ValidationError(
                {"transition_from_months": _("Transition planning must start before the maximum age.")}
            )
        if conference is not None and not start <= conference <= end:
            raise ValidationError(
                {
                    "conference_by_months": _(
                        "The conference must fall between the start of transition planning "
                        "and the maximum age."
                    )
                }
            )


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> PartnershipQuerySet:
        """Memoranda are public within Tirek, like the directory: they hold no personal data."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()

    def in_force_on(self, day) -> PartnershipQuerySet:
        return self.filter(status=PartnershipStatus.ACTIVE, signed_on__lte=day).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
        )


class Partnership(models.Model):
    """A memorandum of cooperation between two or more organisations: who signed, when, for how long, and
    what they agreed to do together."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=300)
    parties = models.ManyToManyField(Organisation, verbose_name=_("parties"), related_name="partnerships")
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope = models.TextField(_("scope"), blank=True)
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services"), blank=True, related_name="partnerships"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.ACTIVE
    )
    document_reference = models.CharField(_("document reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("memorandum")
        verbose_name_plural = _("memoranda")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("signed_on")),
                name="partnership_valid_after_signing",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.valid_until and self.signed_on and self.valid_until < self.signed_on:
            raise ValidationError({"valid_until": _("A memorandum cannot end before it is signed.")})
