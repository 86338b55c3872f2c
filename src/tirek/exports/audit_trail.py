"""The audit trail as a file: the events a reader may see that match the trail's filters, as CSV or XLSX.

The trail is written by every app; its export stands here, with the other exports, above the apps it reads.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.audit.selectors import audit_event_list
from tirek.audit.services import audit_record
from tirek.core.scoping import require
from tirek.exports.cells import append_rows, csv_chunks, new_workbook
from tirek.exports.records import CHUNK_ROWS
from tirek.exports.services import CONTENT_TYPES, ExportFile

# The most events one file holds: an export is written while the reader waits, so a longer selection is
# refused with a message asking for narrower filters (a shorter period, one actor, one person).
EXPORT_MAX_ROWS = 50_000
EXPORT_FORMATS = ("csv", "xlsx")


def _event_rows(events) -> Iterator[list[Any]]:
    """The header, then one row per event (the labels in the language active when it is called)."""
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
    # Streamed after the view has returned: the language is the one of the request, not whatever is active.
    with translation.override(language):
        for chunk in csv_chunks(_event_rows(events)):
            yield chunk.encode("utf-8")


def audit_trail_export(*, actor, format: str, criteria: dict[str, Any]):
    """The events `actor` may read that match `criteria` (the filters of `audit_event_list`) as a CSV
    (streamed, formula-safe, with a byte-order mark) or an XLSX file: at most EXPORT_MAX_ROWS of them, else
    a ValidationError. The export itself is recorded (EXPORT, with its filters and row count, no names)."""
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


def _plain(value: Any) -> str:
    """A filter's value as the export's audit event records it: a record by its id, a date in ISO form."""
    return str(value.pk) if isinstance(value, models.Model) else str(value)
