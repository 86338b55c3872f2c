"""The two steps every create and update service shares: validate, then save with its audit event.

Services decide *whether* a write is allowed and *what* it writes; these helpers make sure that each write
is validated with `full_clean()`, atomic, and leaves exactly one audit event with its field changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot

M = TypeVar("M", bound=models.Model)


def create_audited(
    *, actor, instance: M, organisation=None, exclude: Iterable[str] = (), subject_person_id=None
) -> M:
    instance.full_clean(exclude=list(exclude) or None)
    with transaction.atomic():
        instance.save()
        audit_created(
            actor=actor, obj=instance, organisation=organisation, subject_person_id=subject_person_id
        )
    return instance


def update_audited(
    *,
    actor,
    instance: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    organisation=None,
    subject_person_id=None,
) -> M:
    """Apply `data` restricted to `fields`; validate; save and audit the changes (nothing when none)."""
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    before = snapshot(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    changes = changes_between(before, snapshot(instance))
    if changes:
        with transaction.atomic():
            instance.save()
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=instance,
                organisation=organisation,
                changes=changes,
                subject_person_id=subject_person_id,
            )
    return instance
