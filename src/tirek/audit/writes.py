"""The two steps every create and update service shares: validate, then save with its audit event.

Services decide *whether* a write is allowed and *what* it writes; these helpers make sure that each write
is validated with `full_clean()`, atomic, and leaves exactly one audit event with its field changes.

Records that users edit in forms (persons, cases, plans, appeals) carry a `version`: each save moves it on
by one, and a save based on an older version than the stored one is refused (`check_version`), so that
two people editing the same record cannot silently overwrite each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot
from tirek.core.errors import Conflict

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
    expected_version: int | None = None,
) -> M:
    """Apply `data` restricted to `fields`; validate; save and audit the changes (nothing when none).

    A record with a `version` moves to the next one; given `expected_version`, a save over another version
    is refused with `Conflict` (see check_version)."""
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
            if is_versioned(instance):
                changes.update(check_version(instance, expected_version))
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


def is_versioned(instance: models.Model) -> bool:
    return any(field.name == "version" for field in instance._meta.concrete_fields)


def check_version(
    instance: models.Model, expected: int | None, *, hidden: Iterable[str] = ()
) -> dict[str, list[int]]:
    """Lock the stored row and move `instance` to the version after it; call inside the write's transaction,
    just before saving. Refuses with `Conflict` when `expected` is given and the stored version differs
    (`hidden`: fields the user may not see, left out of the changes shown). Returns the audit change
    {"version": [stored, next]}, which also lets `changes_since` find the changes between versions."""
    model = type(instance)
    stored = model._base_manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    if expected is not None and stored != expected:
        changes = changes_since(instance, expected)
        for name in hidden:
            changes.pop(name, None)
        raise Conflict(model=model, expected_version=expected, current_version=stored, changes=changes)
    instance.version = stored + 1
    return {"version": [stored, stored + 1]}


def changes_since(instance: models.Model, version: int) -> dict[str, list[Any]]:
    """{field: [value at `version`, current value]} of a versioned record, from its audit trail: the update
    events that moved it on from `version` or later, merged in order (a field changed back is left out)."""
    events = AuditEvent.objects.filter(
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        action=AuditAction.UPDATE,
        changes__has_key="version",
    ).order_by("created_at", "pk")
    merged: dict[str, list[Any]] = {}
    for changes in events.values_list("changes", flat=True):
        old_version = changes["version"][0]
        if not isinstance(old_version, int) or old_version < version:
            continue
        for name, values in changes.items():
            if name == "version" or not isinstance(values, list) or len(values) != 2:
                continue
            merged.setdefault(name, list(values))[1] = values[1]
    return {name: values for name, values in merged.items() if values[0] != values[1]}
