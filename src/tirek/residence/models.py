"""Youth houses and similar facilities: places and residents."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import AGGREGATE_ONLY_ROLES, ScopedQuerySet
from tirek.residence.choices import FacilityKind


class FacilityQuerySet(ScopedQuerySet):
    hidden_from = AGGREGATE_ONLY_ROLES
    pass


class Facility(models.Model):
    """A house, apartment or shelter where an organisation accommodates people, with its number of places."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=FacilityKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    places = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResidenceQuerySet(ScopedQuerySet):
    hidden_from = AGGREGATE_ONLY_ROLES
    organisation_path = "facility__organisation"

    def on(self, day) -> ResidenceQuerySet:
        """Who lives there on `day`: moved in on or before it, not moved out by then (the move-out day is
        the first day away)."""
        return self.filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=day), moved_in_on__lte=day)


class Residence(models.Model):
    """A person's stay in a facility, from moving in to moving out (open while they live there)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="residences"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="residences"
    )
    moved_in_on = models.DateField(_("moved in on"))
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        ordering = ["-moved_in_on", "id"]
        indexes = [
            models.Index(fields=["facility", "moved_in_on"], name="residence_facility_in"),
            models.Index(fields=["person", "moved_in_on"], name="residence_person_in"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=models.F("moved_in_on")),
                name="residence_out_after_in",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.person_id} {self.moved_in_on}"

    def clean(self) -> None:
        if self.moved_out_on and self.moved_in_on and self.moved_out_on < self.moved_in_on:
            raise ValidationError({"moved_out_on": _("A person cannot move out before moving in.")})
