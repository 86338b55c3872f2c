"""Writing the audit trail. Services call `audit_record` inside their own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent, RefusalTally
from tirek.core.middleware import current_client_address

_SECRET_FIELDS = frozenset({"password"})


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, uuid.UUID | dt.date | dt.datetime | dt.time | decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):  # the stored name, never the content
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values, as JSON-safe data (secrets left out)."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SECRET_FIELDS or field.name in ("created_at", "updated_at"):
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    return values


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    organisation=None,
    changes: dict | None = None,
    subject_person_id=None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction of the act it records."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        actor=actor,
        actor_label=(str(actor) if actor else "")[:300],
        organisation_id=getattr(organisation, "pk", organisation),
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else str(object_id)[:64],
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:300],
        subject_person_id=subject_person_id,
        client_address=current_client_address(),
        changes=changes or {},
        note=note[:500],
    )
    event.save()
    return event


def audit_created(*, actor, obj: models.Model, organisation=None, **extra) -> AuditEvent:
    created = {name: [None, value] for name, value in snapshot(obj).items() if value not in (None, "")}
    return audit_record(
        actor=actor, action=AuditAction.CREATE, obj=obj, organisation=organisation, changes=created, **extra
    )


def audit_view(*, actor, obj: models.Model, organisation=None, subject_person_id=None) -> AuditEvent:
    """Record that `actor` opened a record holding personal data."""
    return audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=obj,
        organisation=organisation,
        subject_person_id=subject_person_id,
    )


# -- refusals ------------------------------------------------------------------------------------------------

# Refusals of one actor for one kind of record within this long of the first are counted on its event.
REFUSAL_WINDOW = dt.timedelta(minutes=1)


def refusal_record(
    *,
    actor,
    kind: str,
    status: int,
    object_id: str = "",
    method: str = "",
    path: str = "",
    capability: str = "",
) -> AuditEvent | None:
    """Record that `actor` was refused a record of `kind` (404: beyond their reach) or an action (403),
    collapsed: the first refusal of a minute for this actor and kind is a PERMISSION_DENIED event (what was
    asked: method, path, kind, id), the repeats within that minute add to its RefusalTally. Returns the event
    when one was written.

    Two requests racing at the start of a minute may each write an event; a scanner running N requests at
    once writes at most N events a minute, not one per probe."""
    now = timezone.now()
    with transaction.atomic():
        open_tally = (
            RefusalTally.objects.filter(actor=actor, kind=kind, started_at__gt=now - REFUSAL_WINDOW)
            .order_by("-started_at")
            .values_list("pk", flat=True)
            .first()
        )
        if open_tally is not None:
            RefusalTally.objects.filter(pk=open_tally).update(count=F("count") + 1, last_at=now)
            return None
        asked = {"status": status, "method": method, "path": path[:300]}
        if capability:
            asked["capability"] = capability
        event = audit_record(
            actor=actor,
            action=AuditAction.PERMISSION_DENIED,
            organisation=actor.active_organisation_id_checked(),
            object_type=kind,
            object_id=object_id,
            object_repr=f"{method} {path}".strip(),
            note=json.dumps(asked, sort_keys=True, ensure_ascii=False),
        )
        RefusalTally.objects.create(
            event=event, actor=actor, kind=kind, started_at=event.created_at, last_at=event.created_at
        )
    return event


def record_refused_access(sender, *, refusal, **kwargs) -> None:
    """Receiver of tirek.core.refusals.access_refused (connected in AuditConfig.ready)."""
    refusal_record(
        actor=refusal.actor,
        kind=refusal.kind,
        status=refusal.status,
        object_id=refusal.object_id,
        method=refusal.method,
        path=refusal.path,
        capability=refusal.capability,
    )
