from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from tirek.audit.models import AuditEvent


def audit_event_list(
    *,
    user,
    actor_id=None,
    organisation_id=None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    subject_person_id=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.visible_to(user).select_related("actor", "organisation")
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if organisation_id:
        events = events.filter(organisation_id=organisation_id)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if subject_person_id:
        events = events.filter(subject_person_id=subject_person_id)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events
