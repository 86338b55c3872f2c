"""Opening and ending emergency access. A manager names the person by IIN (they cannot search a record they
do not see) and gives a reason; the opening lasts TIREK_EMERGENCY_ACCESS_HOURS, is audited, and notifies the
managers and data protection officers of every organisation holding the person's record and the data
protection officer of the manager's own organisation (administrators when none is named)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import Membership, User
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.core.errors import NotAllowed
from tirek.core.scoping import require
from tirek.emergency.models import EmergencyAccess
from tirek.notifications.choices import NotificationKind
from tirek.notifications.services import notify
from tirek.people.models import Person, PersonAccess

MIN_REASON = 20


def _recipients(*, holders: list, own_organisation_id) -> list[User]:
    overseers = Membership.objects.filter(is_active=True, user__is_active=True).select_related("user")
    held = overseers.filter(organisation_id__in=holders, role="manager") | overseers.filter(
        organisation_id__in=holders, is_data_protection_officer=True
    )
    own_officers = overseers.filter(organisation_id=own_organisation_id, is_data_protection_officer=True)
    recipients = {m.user_id: m.user for m in [*held, *own_officers]}
    if not any(m.is_data_protection_officer for m in [*held, *own_officers]):
        for membership in overseers.filter(role="administrator"):
            recipients.setdefault(membership.user_id, membership.user)
    return list(recipients.values())


def emergency_access_open(*, actor: User, iin: str, reason: str) -> EmergencyAccess:
    organisation_id = actor.active_organisation_id_checked()
    require(actor, "people.emergency_access", organisation_id)
    reason = " ".join(str(reason or "").split())
    errors = {}
    if len(reason) < MIN_REASON:
        errors["reason"] = _("Say why this is an emergency, in at least %(count)d characters.") % {
            "count": MIN_REASON
        }
    person = Person.objects.filter(iin=str(iin or "").strip(), merged_into__isnull=True).first()
    if person is None:
        errors["iin"] = _("No person with this IIN is registered in Tirek.")
    elif PersonAccess.objects.filter(person=person, organisation_id=organisation_id).exists():
        errors["iin"] = _("Your organisation already sees this person: open their record as usual.")
    if errors:
        raise ValidationError(errors)
    hours = settings.TIREK_EMERGENCY_ACCESS_HOURS
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            user=actor,
            organisation_id=organisation_id,
            person=person,
            reason=reason,
            expires_at=timezone.now() + dt.timedelta(hours=hours),
        )
        audit_record(
            actor=actor,
            action=AuditAction.BREAK_GLASS,
            obj=access,
            organisation=organisation_id,
            subject_person_id=person.pk,
            object_repr=f"{actor} → {person.pk}",
            note=reason,
        )
        holders = list(
            PersonAccess.objects.filter(person=person)
            .exclude(organisation_id=organisation_id)
            .values_list("organisation_id", flat=True)
            .distinct()
        )
        notify(
            recipients=_recipients(holders=holders, own_organisation_id=organisation_id),
            kind=NotificationKind.EMERGENCY_ACCESS,
            organisation=organisation_id,
            link=f"/emergency/#access-{access.pk}",
            who=str(actor),
            counterpart=access.organisation,
            hours=hours,
        )
    actor.__dict__.pop("_tirek_emergency", None)
    return access


def emergency_access_end(*, actor: User, access: EmergencyAccess) -> EmergencyAccess:
    """End one's own emergency access before its time."""
    if access.user_id != actor.pk:
        raise NotAllowed("people.emergency_access")
    if not access.is_active:
        raise ValidationError(_("This emergency access has already ended."))
    with transaction.atomic():
        access.ended_at = timezone.now()
        access.save(update_fields=["ended_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=access,
            organisation=access.organisation_id,
            subject_person_id=access.person_id,
            object_repr=f"{access.user} → {access.person_id}",
            changes={"ended_at": [None, str(access.ended_at)]},
        )
    actor.__dict__.pop("_tirek_emergency", None)
    return access
