"""Writes to the directory: organisations, their programmes and the memoranda between them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record, changes_between, snapshot
from tirek.audit.writes import create_audited, update_audited
from tirek.catalog.models import Service
from tirek.core.errors import NotAllowed
from tirek.core.scoping import CAPABILITIES, require
from tirek.directory.choices import PartnershipStatus, ProgrammeKind
from tirek.directory.models import Organisation, Partnership, Programme

ORGANISATION_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "kind",
    "region",
    "parent",
    "bin",
    "address",
    "phone",
    "email",
    "website",
    "capacity",
    "case_prefix",
    "is_active",
    "referrals_partners_only",
)
# What a manager may change about their own organisation; the rest is the administrators' register.
ORGANISATION_FIELDS_FOR_MANAGERS = (
    "address",
    "phone",
    "email",
    "website",
    "capacity",
    "referrals_partners_only",
)
PROGRAMME_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "kind",
    "min_age_months",
    "max_age_months",
    "yearly_capacity",
    "yearly_target",
    "first_plan_days",
    "review_months",
    "assessment_every_months",
    "transition_from_months",
    "conference_by_months",
    "is_active",
)
# Deadline settings a new programme of a kind starts with unless they are given (editable afterwards).
PROGRAMME_DEADLINE_DEFAULTS: dict[str, dict[str, int]] = {
    ProgrammeKind.EARLY_INTERVENTION: {"transition_from_months": 27, "conference_by_months": 33},
}


def organisation_create(*, actor, **fields: Any) -> Organisation:
    require(actor, "directory.add_organisation")
    organisation = Organisation(**fields)
    return create_audited(actor=actor, instance=organisation, organisation=organisation)


def organisation_update(*, actor, organisation: Organisation, **fields: Any) -> Organisation:
    require(actor, "directory.change_organisation", organisation)
    editable = ORGANISATION_FIELDS if actor.is_administrator else ORGANISATION_FIELDS_FOR_MANAGERS
    return update_audited(
        actor=actor, instance=organisation, data=fields, fields=editable, organisation=organisation
    )


def programme_create(*, actor, organisation: Organisation, **fields: Any) -> Programme:
    require(actor, "directory.manage_programmes", organisation)
    for name, value in PROGRAMME_DEADLINE_DEFAULTS.get(fields.get("kind"), {}).items():
        fields.setdefault(name, value)
    programme = Programme(organisation=organisation, **fields)
    return create_audited(actor=actor, instance=programme, organisation=organisation)


def programme_update(*, actor, programme: Programme, **fields: Any) -> Programme:
    require(actor, "directory.manage_programmes", programme.organisation_id)
    return update_audited(
        actor=actor,
        instance=programme,
        data=fields,
        fields=PROGRAMME_FIELDS,
        organisation=programme.organisation_id,
    )


# --- memoranda (partnerships) -----------------------------------------------------------------------------

PARTNERSHIP_FIELDS = ("title", "signed_on", "valid_until", "region", "scope", "status", "document_reference")
# Which status a memorandum may move to from each status (the same status is no change).
PARTNERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    PartnershipStatus.DRAFT: frozenset({PartnershipStatus.ACTIVE, PartnershipStatus.TERMINATED}),
    PartnershipStatus.ACTIVE: frozenset({PartnershipStatus.EXPIRED, PartnershipStatus.TERMINATED}),
    PartnershipStatus.EXPIRED: frozenset({PartnershipStatus.ACTIVE}),
    PartnershipStatus.TERMINATED: frozenset(),
}
NEW_PARTNERSHIP_STATUSES = (PartnershipStatus.DRAFT, PartnershipStatus.ACTIVE)


def _acting_party(actor, parties: Iterable[Organisation]) -> Organisation | None:
    """The party in whose name `actor` acts: one they manage memoranda of (their active one first)."""
    parties = list(parties)
    active_id = actor.active_organisation_id_checked()
    parties.sort(key=lambda party: party.pk != active_id)
    managers = CAPABILITIES["partnerships.manage"]
    return next((p for p in parties if actor.roles(p.pk) & managers), None)


def _check_parties(actor, parties: list[Organisation]) -> Organisation | None:
    """At least two distinct parties, the actor's organisation among them (administrators excepted)."""
    if len({p.pk for p in parties}) < 2 or len({p.pk for p in parties}) != len(parties):
        raise ValidationError({"parties": _("A memorandum needs at least two different parties.")})
    acting = _acting_party(actor, parties)
    if acting is None and not actor.is_administrator:
        raise ValidationError({"parties": _("Your organisation must be a party to the memorandum.")})
    return acting


def may_change_partnership(actor, partnership: Partnership) -> bool:
    """A manager of one of the memorandum's parties, or an administrator, may change it."""
    return actor.is_administrator or _acting_party(actor, partnership.parties.all()) is not None


def _partnership_links(partnership: Partnership) -> dict[str, list[str]]:
    return {
        "parties": sorted(str(pk) for pk in partnership.parties.values_list("pk", flat=True)),
        "services": sorted(partnership.services.values_list("code", flat=True)),
    }


def partnership_create(
    *,
    actor,
    parties: Iterable[Organisation],
    services: Iterable[Service] = (),
    **fields: Any,
) -> Partnership:
    """Record a memorandum signed by two or more organisations, by a manager of one of them (or an
    administrator)."""
    require(actor, "partnerships.manage")
    parties, services = list(parties), list(services)
    acting = _check_parties(actor, parties)
    unknown = set(fields) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    fields.setdefault("status", PartnershipStatus.ACTIVE)
    if fields["status"] not in NEW_PARTNERSHIP_STATUSES:
        raise ValidationError({"status": _("A new memorandum is a draft or in force.")})
    partnership = Partnership(**fields)
    partnership.full_clean()
    with transaction.atomic():
        partnership.save()
        partnership.parties.set(parties)
        partnership.services.set(services)
        created = {
            name: [None, value] for name, value in snapshot(partnership).items() if value not in (None, "")
        }
        created |= {name: [None, value] for name, value in _partnership_links(partnership).items()}
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=partnership,
            organisation=acting or parties[0],
            changes=created,
        )
    return partnership


def partnership_update(
    *,
    actor,
    partnership: Partnership,
    parties: Iterable[Organisation] | None = None,
    services: Iterable[Service] | None = None,
    note: str = "",
    **fields: Any,
) -> Partnership:
    """Change a memorandum: its details, parties, services, or its status (draft → in force → expired or
    terminated)."""
    if not may_change_partnership(actor, partnership):
        raise NotAllowed("partnerships.manage")
    current = list(partnership.parties.all())
    acting = _acting_party(actor, current)
    unknown = set(fields) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    status = fields.get("status", partnership.status)
    if status != partnership.status and status not in PARTNERSHIP_TRANSITIONS[partnership.status]:
        raise ValidationError(
            {
                "status": _("A memorandum cannot go from “%(old)s” to “%(new)s”.")
                % {"old": partnership.get_status_display(), "new": PartnershipStatus(status).label}
            }
        )
    if parties is not None:
        parties = list(parties)
        _check_parties(actor, parties)
    before = snapshot(partnership) | _partnership_links(partnership)
    for name, value in fields.items():
        setattr(partnership, name, "" if value is None and name in ("scope", "document_reference") else value)
    partnership.full_clean()
    with transaction.atomic():
        partnership.save()
        if parties is not None:
            partnership.parties.set(parties)
        if services is not None:
            partnership.services.set(list(services))
        changes = changes_between(before, snapshot(partnership) | _partnership_links(partnership))
        if changes:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=partnership,
                organisation=acting or current[0],
                changes=changes,
                note=note,
            )
    return partnership


def partnership_terminate(
    *, actor, partnership: Partnership, terminated_on: dt.date | None = None, reason: str = ""
) -> Partnership:
    """End a memorandum before its term (or one without a term): it is no longer in force from the day after
    `terminated_on` (today when not given)."""
    if not may_change_partnership(actor, partnership):
        raise NotAllowed("partnerships.manage")
    terminated_on = terminated_on or timezone.localdate()
    if terminated_on < partnership.signed_on:
        raise ValidationError({"terminated_on": _("A memorandum cannot end before it is signed.")})
    fields: dict[str, Any] = {"status": PartnershipStatus.TERMINATED}
    if partnership.valid_until is None or partnership.valid_until > terminated_on:
        fields["valid_until"] = terminated_on
    return partnership_update(actor=actor, partnership=partnership, note=reason[:500], **fields)
