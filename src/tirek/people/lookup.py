"""The IIN look-up: whether anyone in the country holds an IIN, asked by those who register persons before
they register one (DESIGN.md: registration "learns only that the person exists").

Answered freely, the question makes an oracle of the national register (every valid IIN of a birth date tried
in a minute). So each look-up is an audit event with the person found as its subject, and a user gets at most
TIREK_IIN_LOOKUPS_PER_HOUR of them in any hour. The registration page's IIN check (and the API's registration)
asks the same question and counts the same way.

The allowance is counted in the audit trail, not in Django's cache: the project configures no shared cache,
and the default one lives in each process, so every gunicorn worker and every server would grant its own
allowance; the look-up events are written anyway and are the same for all of them.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.audit.selectors import audit_recent_count
from tirek.audit.services import audit_record, refusal_record
from tirek.core.errors import TooManyRequests
from tirek.core.iin import is_valid_number
from tirek.core.scoping import require
from tirek.people.models import Person

ALLOWANCE_PERIOD = dt.timedelta(hours=1)
# Where the question was asked, kept in the event's note.
VIA_LOOKUP = "lookup"
VIA_REGISTRATION = "registration"


def iin_lookup_admit(*, user) -> None:
    """Raise TooManyRequests (429) when `user` has used up their IIN look-ups of the last hour. The refusal
    is itself recorded, collapsed like every refusal (tirek.audit.services.refusal_record)."""
    limit = settings.TIREK_IIN_LOOKUPS_PER_HOUR
    used = audit_recent_count(actor=user, action=AuditAction.LOOKUP, within=ALLOWANCE_PERIOD)
    if used < limit:
        return
    # The allowance comes back when the look-up that filled it leaves the hour.
    since = timezone.now() - ALLOWANCE_PERIOD
    filling = (
        AuditEvent.objects.filter(actor=user, action=AuditAction.LOOKUP, created_at__gt=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)[used - limit : used - limit + 1]
    )
    seconds = max(1, math.ceil(((filling[0] if filling else timezone.now()) - since).total_seconds()))
    minutes = math.ceil(seconds / 60)
    refusal_record(actor=user, kind="people.iin_lookup", status=429)
    raise TooManyRequests(
        ngettext(
            "You have reached the limit of IIN look-ups (%(limit)s an hour). "
            "Try again in %(minutes)s minute.",
            "You have reached the limit of IIN look-ups (%(limit)s an hour). "
            "Try again in %(minutes)s minutes.",
            minutes,
        )
        % {"limit": limit, "minutes": minutes},
        retry_after=seconds,
    )


def iin_lookup(*, user, iin: str, via: str = VIA_LOOKUP) -> Person | None:
    """The person holding `iin` anywhere in the country (None when nobody does), within the user's hourly
    allowance, recorded as a LOOKUP event whose subject is the person found. The event holds neither the
    IIN nor the person's name: the trail never holds an IIN, and the name is not the looker's to read."""
    require(user, "people.register")
    iin_lookup_admit(user=user)
    person = Person.objects.filter(iin=iin, merged_into__isnull=True).only("pk").first()
    audit_record(
        actor=user,
        action=AuditAction.LOOKUP,
        organisation=user.active_organisation_id_checked(),
        object_type=Person._meta.label_lower,
        subject_person_id=person.pk if person else None,
        note=via,
    )
    return person


def registration_iin_lookup(*, user, iin: str | None) -> None:
    """The look-up that registering a person with `iin` makes (page and API, before the service): only a
    well-formed IIN with a right check digit reaches the register's "is it taken", so only such a one is
    counted and recorded. TooManyRequests beyond the allowance."""
    iin = (iin or "").strip()
    if is_valid_number(iin):
        iin_lookup(user=user, iin=iin, via=VIA_REGISTRATION)


def person_lookup_iin(*, user, iin: str) -> dict[str, bool | uuid.UUID | None]:
    """Whether anyone in the country has this IIN (for those who register persons, before registering one);
    the id only when the user may see that person."""
    person = iin_lookup(user=user, iin=iin)
    if person is None:
        return {"exists": False, "id": None}
    visible = Person.objects.visible_to(user).filter(pk=person.pk).exists()
    return {"exists": True, "id": person.pk if visible else None}
