"""Writing the audit trail. Services call `audit_record` inside their own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent, RefusalTally
from tirek.core.middleware import current_client_address
from tirek.core.scoping import require

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


# -- the trail as a file -------------------------------------------------------------------------------------

# The most events one file holds: an export is written while the reader waits, so a longer selection is
# refused with a message asking for narrower filters (a shorter period, one actor, one person).
EXPORT_MAX_ROWS = 50_000
EXPORT_FORMATS = ("csv", "xlsx")


def _event_rows(events) -> Iterator[list[Any]]:
    """The header, then one row per event (the labels in the language active when it is called)."""
    from tirek.exports.records import CHUNK_ROWS

    labels = {code: str(label) for code, label in AuditAction.choices}
    yield [
        str(_("Time")),
        str(_("Actor")),
        str(_("Actor id")),
        str(_("Organisation")),
        str(_("Action")),
        str(_("Object type")),
        str(_("Object id")),
        str(_("Object")),
        str(_("Subject person")),
        str(_("Address")),
        str(_("Changes")),
        str(_("Note")),
        str(_("Count")),
    ]
    for event in events.iterator(chunk_size=CHUNK_ROWS):
        yield [
            event.created_at,
            event.actor_label,
            str(event.actor_id) if event.actor_id else "",
            event.organisation.name if event.organisation_id else "",
            labels.get(event.action, event.action),
            event.object_type,
            event.object_id,
            event.object_repr,
            str(event.subject_person_id) if event.subject_person_id else "",
            event.client_address or "",
            json.dumps(event.changes, ensure_ascii=False, sort_keys=True, default=str)
            if event.changes
            else "",
            event.note,
            event.refusal_count,
        ]


def _csv_stream(events, language: str | None) -> Iterator[bytes]:
    from tirek.exports.cells import csv_chunks

    # Streamed after the view has returned: the language is the one of the request, not whatever is active.
    with translation.override(language):
        for chunk in csv_chunks(_event_rows(events)):
            yield chunk.encode("utf-8")


def audit_export(*, actor, format: str, criteria: dict[str, Any]):
    """The events `actor` may read that match `criteria` (the filters of `audit_event_list`) as a CSV
    (streamed, formula-safe, with a byte-order mark) or an XLSX file: at most EXPORT_MAX_ROWS of them, else
    a ValidationError. The export itself is recorded (EXPORT, with its filters and row count, no names)."""
    from tirek.audit.selectors import audit_event_list
    from tirek.exports.cells import append_rows, new_workbook
    from tirek.exports.services import CONTENT_TYPES, ExportFile

    require(actor, "audit.view")
    if format not in EXPORT_FORMATS:
        raise ValidationError({"format": [_("Choose CSV or XLSX.")]})
    # The file holds the trail as it stood when it was asked for (not this export's own event).
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    events = audit_event_list(user=actor, **criteria).filter(pk__lte=last).order_by("-created_at", "-id")
    rows = events.count()
    if rows > EXPORT_MAX_ROWS:
        raise ValidationError(
            ngettext(
                "The filters select %(count)s event; at most %(limit)s can be exported at once. "
                "Narrow the filters, for example to a shorter period.",
                "The filters select %(count)s events; at most %(limit)s can be exported at once. "
                "Narrow the filters, for example to a shorter period.",
                rows,
            )
            % {"count": rows, "limit": EXPORT_MAX_ROWS}
        )
    filters = {name: _plain(value) for name, value in criteria.items() if value not in (None, "")}
    if "iin" in filters:  # the trail itself never holds an IIN
        filters["iin"] = "*" * 12
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            organisation=actor.active_organisation_id_checked(),
            object_type="audit.auditevent",
            object_repr="audit_events",
            note=json.dumps(
                {"what": "audit_events", "format": format, "filters": filters, "rows": rows},
                sort_keys=True,
                ensure_ascii=False,
            ),
        )
    filename = f"audit-{timezone.localdate():%Y%m%d}.{format}"
    if format == "csv":
        content: bytes | Iterator[bytes] = _csv_stream(events, translation.get_language())
    else:
        workbook = new_workbook()
        append_rows(workbook.create_sheet(str(_("Audit trail"))[:31]), _event_rows(events))
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    return ExportFile(filename, CONTENT_TYPES[format], content, rows)
