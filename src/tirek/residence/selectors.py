"""Reads of residence, always starting from what the user may see: their organisation's facilities and
residents (every organisation's for administrators); another organisation's record is not found."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.core.scoping import get_visible_or_404
from tirek.people.models import Person, PersonAccess
from tirek.people.selectors import person_search
from tirek.residence.models import Facility, Residence


def _current(day: dt.date, prefix: str = "residences__") -> Q:
    return Q(**{f"{prefix}moved_in_on__lte": day}) & (
        Q(**{f"{prefix}moved_out_on__isnull": True}) | Q(**{f"{prefix}moved_out_on__gt": day})
    )


def facility_list(*, user, day: dt.date | None = None, active_only: bool = False) -> QuerySet[Facility]:
    """Facilities with their occupancy on `day` (today) as `occupied`."""
    day = day or timezone.localdate()
    facilities = (
        Facility.objects.visible_to(user)
        .select_related("organisation")
        .annotate(occupied=Count("residences", filter=_current(day)))
    )
    if active_only:
        facilities = facilities.filter(is_active=True)
    return facilities.order_by("name", "id")


def facility_get(*, user, pk, day: dt.date | None = None) -> Facility:
    return get_visible_or_404(facility_list(user=user, day=day), user, pk=pk)


def facility_residents(*, facility: Facility, day: dt.date | None = None) -> QuerySet[Residence]:
    """Who lives there on `day` (today), in the order they moved in."""
    return (
        facility.residences.on(day or timezone.localdate())
        .select_related("person")
        .order_by("moved_in_on", "person__surname", "id")
    )


def facility_history(*, facility: Facility) -> QuerySet[Residence]:
    """Those who have moved out, the latest first."""
    return (
        facility.residences.filter(moved_out_on__isnull=False)
        .select_related("person")
        .order_by("-moved_out_on", "person__surname", "id")
    )


def residence_list(
    *, user, facility=None, person=None, current: bool | None = None, day: dt.date | None = None
) -> QuerySet[Residence]:
    residences = Residence.objects.visible_to(user).select_related("facility", "person")
    if facility is not None:
        residences = residences.filter(facility_id=getattr(facility, "pk", facility))
    if person is not None:
        residences = residences.filter(person_id=getattr(person, "pk", person))
    if current is not None:
        on = Residence.objects.on(day or timezone.localdate()).values("pk")
        residences = residences.filter(pk__in=on) if current else residences.exclude(pk__in=on)
    return residences.order_by("-moved_in_on", "id")


def residence_get(*, user, pk) -> Residence:
    return get_visible_or_404(
        Residence.objects.select_related("facility", "facility__organisation", "person"), user, pk=pk
    )


def move_in_candidates(*, user, facility: Facility, query: str = "") -> QuerySet[Person]:
    """Persons the facility's organisation may see and who live nowhere today; found by `query` when given."""
    persons = Person.objects.filter(
        merged_into__isnull=True,
        pk__in=PersonAccess.objects.filter(organisation_id=facility.organisation_id).values("person_id"),
    ).exclude(pk__in=Residence.objects.on(timezone.localdate()).values("person_id"))
    if query:
        persons = persons.filter(pk__in=person_search(user=user, query=query).values("pk"))
    return persons.order_by("surname", "given_name", "patronymic")


def facility_person_get(*, facility: Facility, pk) -> Person:
    """A person the facility's organisation may see; a field error otherwise (missing and foreign alike)."""
    person = Person.objects.filter(
        pk=pk,
        merged_into__isnull=True,
        pk__in=PersonAccess.objects.filter(organisation_id=facility.organisation_id).values("person_id"),
    ).first()
    if person is None:
        raise ValidationError({"person": _("Choose a person your organisation serves.")})
    return person
