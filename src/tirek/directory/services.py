"""Writes to the directory: organisations and their programmes."""

from __future__ import annotations

from typing import Any

from tirek.core.scoping import require
from tirek.core.writes import create_audited, update_audited
from tirek.directory.choices import ProgrammeKind
from tirek.directory.models import Organisation, Programme

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
)
# What a manager may change about their own organisation; the rest is the administrators' register.
ORGANISATION_FIELDS_FOR_MANAGERS = ("address", "phone", "email", "website", "capacity")
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
