"""Writes of residence: facilities and their places, moving in and moving out.

Occupancy never exceeds a facility's places without a warning: a move-in beyond the places (or fewer places
than residents) is refused unless the user confirms it (`confirm_over_capacity=True`), and the confirmation
is kept in the audit trail. A person lives in one place at a time: overlapping stays are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot
from tirek.audit.writes import create_audited
from tirek.core.scoping import require
from tirek.people.models import Person, PersonAccess
from tirek.residence.models import Facility, Residence

FACILITY_FIELDS = ("name", "kind", "address", "places", "is_active", "note")
OVER_CAPACITY = "over_capacity"


def occupancy_on(facility: Facility, day: dt.date, *, exclude=None) -> int:
    """How many people live in `facility` on `day`."""
    residences = Residence.objects.filter(facility=facility).on(day)
    if exclude is not None:
        residences = residences.exclude(pk=exclude.pk)
    return residences.count()


def peak_occupancy(facility: Facility, first: dt.date, last: dt.date | None = None) -> tuple[int, dt.date]:
    """The most residents on any day from `first` to `last` (open: onwards), and the first such day.

    Occupancy only rises on a move-in day, so those days (and `first`) are the ones to count."""
    later = Residence.objects.filter(facility=facility, moved_in_on__gt=first)
    if last is not None:
        later = later.filter(moved_in_on__lt=last)
    days = [first, *sorted(set(later.values_list("moved_in_on", flat=True)))]
    # max() keeps the first of equal counts: the earliest day.
    return max(((occupancy_on(facility, day), day) for day in days), key=lambda pair: pair[0])


def _over_capacity_error(
    facility: Facility, residents: int, day: dt.date, *, places: int | None = None
) -> ValidationError:
    return ValidationError(
        {
            "confirm_over_capacity": ValidationError(
                _(
                    "%(facility)s — places: %(places)s, residents on %(day)s: %(residents)s. Confirm to "
                    "accommodate more people than there are places."
                )
                % {
                    "facility": facility.name,
                    "places": facility.places if places is None else places,
                    "residents": residents,
                    "day": formats.date_format(day, "SHORT_DATE_FORMAT"),
                },
                code=OVER_CAPACITY,
            )
        }
    )


def facility_create(*, actor, organisation, **fields: Any) -> Facility:
    organisation_id = getattr(organisation, "pk", organisation)
    require(actor, "residence.manage", organisation_id)
    unknown = set(fields) - set(FACILITY_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    facility = Facility(organisation_id=organisation_id, **fields)
    return create_audited(actor=actor, instance=facility, organisation=organisation_id)


def facility_update(
    *, actor, facility: Facility, confirm_over_capacity: bool = False, **fields: Any
) -> Facility:
    """Change a facility; fewer places than its residents today needs a confirmation."""
    require(actor, "residence.manage", facility.organisation_id)
    unknown = set(fields) - set(FACILITY_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    places = fields.get("places", facility.places)
    residents = occupancy_on(facility, timezone.localdate()) if places != facility.places else 0
    over = isinstance(places, int) and residents > places
    if over and not confirm_over_capacity:
        raise _over_capacity_error(facility, residents, timezone.localdate(), places=places)
    before = snapshot(facility)
    for name, value in fields.items():
        setattr(facility, name, "" if value is None and name in ("address", "note") else value)
    facility.full_clean()
    changes = changes_between(before, snapshot(facility))
    if changes:
        with transaction.atomic():
            facility.save()
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=facility,
                organisation=facility.organisation_id,
                changes=changes,
                note=OVER_CAPACITY if over else "",
            )
    return facility


def _check_no_overlap(person: Person, moved_in_on: dt.date) -> None:
    """A person lives in one place at a time: no other stay of theirs may last past `moved_in_on`."""
    stays = Residence.objects.filter(person=person).filter(
        Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=moved_in_on)
    )
    if stays.exists():
        raise ValidationError({"person": _("This person already lives somewhere during these dates.")})


def residence_move_in(
    *,
    actor,
    facility: Facility,
    person: Person,
    moved_in_on: dt.date | None = None,
    note: str = "",
    confirm_over_capacity: bool = False,
) -> Residence:
    """Accommodate a person the organisation serves in one of its facilities."""
    require(actor, "residence.manage", facility.organisation_id)
    moved_in_on = moved_in_on or timezone.localdate()
    if moved_in_on > timezone.localdate():
        raise ValidationError({"moved_in_on": _("The date cannot be in the future.")})
    if not facility.is_active:
        raise ValidationError({"facility": _("The facility is closed.")})
    if not PersonAccess.objects.filter(
        organisation_id=facility.organisation_id, person_id=person.pk
    ).exists():
        raise ValidationError({"person": _("Choose a person your organisation serves.")})
    residence = Residence(
        facility=facility,
        person=person,
        moved_in_on=moved_in_on,
        note=note or "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    residence.full_clean()
    with transaction.atomic():
        # One move-in at a time per facility and per person: two clerks cannot both take the last place.
        Facility.objects.select_for_update().filter(pk=facility.pk).first()
        Person.objects.select_for_update().filter(pk=person.pk).first()
        _check_no_overlap(person, moved_in_on)
        residents, day = peak_occupancy(facility, moved_in_on)
        over = residents + 1 > facility.places
        if over and not confirm_over_capacity:
            raise _over_capacity_error(facility, residents, day)
        residence.save()
        audit_created(
            actor=actor,
            obj=residence,
            organisation=facility.organisation_id,
            subject_person_id=person.pk,
            note=OVER_CAPACITY if over else "",
        )
    return residence


def residence_move_out(
    *, actor, residence: Residence, moved_out_on: dt.date | None = None, note: str = ""
) -> Residence:
    """Record that a resident moved out (the day they left)."""
    facility = residence.facility
    require(actor, "residence.manage", facility.organisation_id)
    if residence.moved_out_on is not None:
        raise ValidationError({"moved_out_on": _("This resident has already moved out.")})
    moved_out_on = moved_out_on or timezone.localdate()
    if moved_out_on > timezone.localdate():
        raise ValidationError({"moved_out_on": _("The date cannot be in the future.")})
    if moved_out_on < residence.moved_in_on:
        raise ValidationError({"moved_out_on": _("A person cannot move out before moving in.")})
    before = snapshot(residence)
    residence.moved_out_on = moved_out_on
    if note:
        residence.note = f"{residence.note}\n{note}".strip()
    residence.full_clean()
    with transaction.atomic():
        residence.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=residence,
            organisation=facility.organisation_id,
            changes=changes_between(before, snapshot(residence)),
            subject_person_id=residence.person_id,
        )
    return residence
