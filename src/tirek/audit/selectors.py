"""Reads of the audit trail: always among the events the user may read (`AuditEvent.objects.visible_to`).

The page, the API and the export take the same filters (FILTERS) and call `audit_event_list` with them, so
they agree on which events a filter selects.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from tirek.accounts.models import User
from tirek.audit.models import AuditEvent
from tirek.directory.models import Organisation

# The filters of the trail, as the page's form and the API's query take them.
FILTERS = (
    "actor",
    "organisation",
    "action",
    "object_type",
    "subject_person",
    "iin",
    "date_from",
    "date_to",
)


def audit_event_list(
    *,
    user,
    actor=None,
    organisation=None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    subject_person=None,
    iin: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The events `user` may read, newest first, filtered: `actor` and `organisation` (an instance or an id),
    `subject_person` (a person's id) or `iin` (the person holding that IIN, and those merged into them),
    days `date_from` to `date_to` included in the local time zone."""
    events = AuditEvent.objects.visible_to(user).select_related("actor", "organisation", "refusal_tally")
    if actor:
        events = events.filter(actor_id=getattr(actor, "pk", actor))
    if organisation:
        events = events.filter(organisation_id=getattr(organisation, "pk", organisation))
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if subject_person:
        events = events.filter(subject_person_id=getattr(subject_person, "pk", subject_person))
    if iin:
        from tirek.people.models import Person

        # Resolved inside the events the user may read: an IIN with no event here selects nothing, whether
        # the person exists or not, so the filter tells nothing about the register.
        persons = Person.objects.filter(Q(iin=iin) | Q(merged_into__iin=iin)).values("pk")
        events = events.filter(subject_person_id__in=persons)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events


def audit_actor_choices(*, user) -> QuerySet[User]:
    """Whom the trail's actor filter offers: everyone to an administrator, the members of their organisation
    to a data protection officer."""
    if user.is_administrator:
        return User.objects.all()
    organisation_id = user.active_organisation_id_checked()
    return User.objects.filter(memberships__organisation_id=organisation_id).distinct()


def audit_organisation_choices(*, user) -> QuerySet[Organisation]:
    """The organisations the trail's organisation filter offers: all, or the officer's own."""
    if user.is_administrator:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=user.active_organisation_id_checked())


def audit_recent_count(*, actor, action: str, within: dt.timedelta) -> int:
    """How many events of `action` `actor` caused in the last `within` (an allowance such as the IIN look-ups
    of an hour): counted in the trail, so the answer is the same whichever process or server was asked."""
    return AuditEvent.objects.filter(
        actor=actor, action=action, created_at__gt=timezone.now() - within
    ).count()
