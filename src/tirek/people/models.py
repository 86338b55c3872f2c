from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import AGGREGATE_ONLY_ROLES
from tirek.people.choices import (
    AccessReason,
    ConsentPurpose,
    DisabilityStatus,
    FamilyRole,
    IinMissingReason,
    Sex,
)

phone_validator = RegexValidator(
    r"^\+7\d{10}$", _("Enter the phone as +7 and ten digits, e.g. +77011234567.")
)


def person_visibility(user, prefix: str = "") -> Q | None:
    """The condition under which `user` sees a person: through a case of their organisation, or because their
    organisation registered them. None means every person (administrators); an empty Q() never matches."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return None
    organisation_id = user.active_organisation_id_checked()
    if organisation_id is None or user.roles(organisation_id) <= AGGREGATE_ONLY_ROLES:
        return Q(pk__in=[])  # no organisation, or an analyst's (aggregates only)
    condition = Q(
        **{
            f"{prefix}pk__in": PersonAccess.objects.filter(organisation_id=organisation_id).values(
                "person_id"
            )
        }
    )
    from tirek.emergency.selectors import emergency_person_ids

    emergency = emergency_person_ids(user)  # a manager's running emergency access (break the glass)
    if emergency:
        condition |= Q(**{f"{prefix}pk__in": list(emergency)})
    return condition


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        condition = person_visibility(user)
        persons = self.filter(merged_into__isnull=True)
        return persons if condition is None else persons.filter(condition)


class Person(models.Model):
    """One human in the national register, whichever organisations serve them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    iin = models.CharField(_("IIN"), max_length=12, null=True, blank=True, unique=True)
    iin_missing_reason = models.CharField(
        _("why there is no IIN"), max_length=20, choices=IinMissingReason.choices, blank=True
    )
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gestation_weeks = models.PositiveSmallIntegerField(
        _("gestation at birth (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(44)],
        help_text=_("For children born before 37 weeks: developmental checks use the corrected age."),
    )
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    citizenship = models.CharField(_("citizenship"), max_length=60, blank=True, default="KZ")
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    locality = models.CharField(_("locality"), max_length=150, blank=True)
    street = models.CharField(_("street and house"), max_length=200, blank=True)
    phone = models.CharField(
        _("phone"), max_length=12, blank=True, validators=[phone_validator], db_index=True
    )
    phone_other = models.CharField(
        _("other phone"), max_length=12, blank=True, validators=[phone_validator], db_index=True
    )
    home_languages = models.CharField(_("languages spoken at home"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    # Health data: visible to the case team and managers only (see selectors).
    disability_status = models.CharField(
        _("disability status"), max_length=20, choices=DisabilityStatus.choices, blank=True
    )
    ipar_number = models.CharField(_("ИПАР number"), max_length=50, blank=True)
    ipar_from = models.DateField(_("ИПАР valid from"), null=True, blank=True)
    ipar_to = models.DateField(_("ИПАР valid to"), null=True, blank=True)

    # Derived match keys (names.py), kept in step by the services that write names.
    name_folded = models.CharField(max_length=320, blank=True, editable=False)
    name_skeleton = models.CharField(max_length=320, blank=True, editable=False, db_index=True)

    registered_by = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    # When the retention period ran out and the identifying data was removed (tirek.people.retention).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Moves on by one with each save by a user; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["surname", "given_name", "patronymic"]
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date"),
            # The register's order: the first page of a list is read from the index, not sorted.
            models.Index(fields=["surname", "given_name", "patronymic"], name="person_name_order"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)

    def age_in_months(self, on) -> int | None:
        if self.birth_date is None:
            return None
        months = (on.year - self.birth_date.year) * 12 + (on.month - self.birth_date.month)
        if on.day < self.birth_date.day:
            months -= 1
        return months

    def clean(self) -> None:
        errors = {}
        if not self.iin and not self.iin_missing_reason:
            errors["iin_missing_reason"] = _("Enter the IIN, or say why there is none.")
        if self.iin and self.iin_missing_reason:
            self.iin_missing_reason = ""
        if self.birth_date and self.birth_date > timezone.localdate():
            errors["birth_date"] = _("The date of birth cannot be in the future.")
        if self.ipar_from and self.ipar_to and self.ipar_from > self.ipar_to:
            errors["ipar_to"] = _("The end date comes before the start date.")
        if errors:
            raise ValidationError(errors)


class PersonAccess(models.Model):
    """That an organisation may see a person: it registered them, holds a case or received a referral.

    Kept by the services that create those links, so that "whom may this organisation see" is one indexed
    lookup instead of a union over every kind of link.
    """

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="accesses")
    reason = models.CharField(_("reason"), max_length=20, choices=AccessReason.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("access to a person")
        verbose_name_plural = _("accesses to persons")
        constraints = [models.UniqueConstraint(fields=["organisation", "person"], name="person_access_once")]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.person_id} ({self.reason})"


class PersonNameToken(models.Model):
    """One word of a person's name key, so that any word of a name is found by an indexed prefix search."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=60, db_index=True)

    class Meta:
        verbose_name = _("name word")
        verbose_name_plural = _("name words")
        constraints = [models.UniqueConstraint(fields=["person", "token"], name="person_name_token_once")]

    def __str__(self) -> str:
        return self.token


class PersonDiagnosis(models.Model):
    """A diagnosis of the catalog recorded for a person, with when and by whom it was made."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="diagnoses")
    diagnosis = models.ForeignKey("catalog.Diagnosis", verbose_name=_("diagnosis"), on_delete=models.PROTECT)
    diagnosed_on = models.DateField(_("diagnosed on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. PMPK conclusion, polyclinic")
    )
    recorded_by = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("diagnosis of a person")
        verbose_name_plural = _("diagnoses of persons")
        ordering = ["-diagnosed_on", "diagnosis__code"]

    def __str__(self) -> str:
        return f"{self.diagnosis.code} {self.person}"


class ExternalReference(models.Model):
    """A person's number in an organisation's own journal, the key for importing the same journal again."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(_("external id"), max_length=64)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="external_references")

    class Meta:
        verbose_name = _("external reference")
        verbose_name_plural = _("external references")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "external_id"], name="external_reference_unique")
        ]

    def __str__(self) -> str:
        return self.external_id


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user) -> FamilyQuerySet:
        """Families the user's organisation registered, or with a member it serves — a person it sees only
        through a referral does not open their family (the referral page shows it when shared)."""
        condition = person_visibility(user)
        if condition is None:
            return self.all()
        organisation_id = user.active_organisation_id_checked() if user.is_authenticated else None
        if organisation_id is None or user.roles(organisation_id) <= AGGREGATE_ONLY_ROLES:
            return self.none()
        served = PersonAccess.objects.filter(organisation_id=organisation_id).exclude(
            reason=AccessReason.REFERRAL
        )
        members = FamilyMember.objects.filter(person__in=served.values("person_id")).values("family_id")
        return self.filter(Q(registered_by_id=organisation_id) | Q(pk__in=members))


class Family(models.Model):
    """A household: the persons who live and are cared for together, with its circumstances."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        _("family name"), max_length=150, help_text=_("Usually the surname, e.g. the Omarovs.")
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    low_income = models.BooleanField(_("low income"), default=False)
    many_children = models.BooleanField(_("many children"), default=False)
    single_parent = models.BooleanField(_("single parent"), default=False)
    difficult_situation = models.BooleanField(_("difficult life situation"), default=False)
    difficult_situation_grounds = models.TextField(_("grounds of the difficult life situation"), blank=True)
    registered_by = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.difficult_situation and not self.difficult_situation_grounds.strip():
            raise ValidationError(
                {"difficult_situation_grounds": _("Say on what grounds the situation is difficult.")}
            )


class FamilyMember(models.Model):
    """One person's place in a family, and whether they represent the children legally."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="family_links"
    )
    role = models.CharField(_("role in the family"), max_length=20, choices=FamilyRole.choices)
    is_legal_representative = models.BooleanField(_("legal representative"), default=False)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [models.UniqueConstraint(fields=["family", "person"], name="family_member_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class ConsentQuerySet(models.QuerySet):
    def active_on(self, day) -> ConsentQuerySet:
        return self.filter(given_on__lte=day, withdrawn_on__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Consent(models.Model):
    """A consent recorded for a person: given by them or their legal representative, for given purposes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    given_by = models.ForeignKey(
        Person,
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="consents_given",
        help_text=_("The person themselves or their legal representative."),
    )
    purposes = models.JSONField(_("purposes"), default=list)
    shared_with = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("organisations it may be shared with"),
        blank=True,
        related_name="+",
    )
    share_with_referral_targets = models.BooleanField(
        _("may be shared with any organisation a referral goes to"), default=False
    )
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document_reference = models.CharField(
        _("document reference"),
        max_length=120,
        blank=True,
        help_text=_("Number and date of the signed form. Never a scan of an identity document."),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.CharField(_("withdrawn by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"{self.person} {self.given_on}"

    def clean(self) -> None:
        errors = {}
        unknown = set(self.purposes or []) - set(ConsentPurpose.values)
        if not self.purposes or unknown:
            errors["purposes"] = _("Choose at least one purpose of the consent.")
        if self.valid_until and self.given_on and self.valid_until < self.given_on:
            errors["valid_until"] = _("The consent cannot end before it is given.")
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = _("A consent cannot be withdrawn before it is given.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (
            self.withdrawn_on is None
            and self.given_on <= today
            and (self.valid_until is None or self.valid_until >= today)
        )


class DuplicateDismissal(models.Model):
    """A manager's decision that two persons their organisation sees are not the same human.

    The duplicate finder does not propose the pair to that organisation again. The pair is stored once, with
    `person_a` the one whose id sorts first.
    """

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dismissed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed duplicate")
        verbose_name_plural = _("dismissed duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person_a", "person_b"], name="duplicate_dismissal_once"
            ),
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="duplicate_dismissal_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ≠ {self.person_b_id}"
