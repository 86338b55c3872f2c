"""Writes of referrals: sending one (consent-gated), recording one from outside, accepting it (the receiver
opens its own case), declining, completing and revoking it — each with its ReferralEvent, the CaseEvents of
the cases concerned, an audit event and the notifications of the other side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record
from tirek.cases.choices import CaseEventKind, ReferralSource
from tirek.cases.models import Case, CaseEvent
from tirek.cases.services import case_open
from tirek.core.errors import NotAllowed
from tirek.core.scoping import can, require
from tirek.directory.models import Organisation, Partnership
from tirek.notifications.choices import NotificationKind
from tirek.notifications.services import notify, staff_of
from tirek.people.choices import AccessReason, ConsentPurpose
from tirek.people.models import Consent, Person, PersonAccess
from tirek.people.services import grant_access, revoke_access
from tirek.referrals.choices import (
    COMPLETE_FROM,
    LIVE_STATUSES,
    RESPOND_FROM,
    REVOKE_FROM,
    ReferralEventKind,
    ReferralStatus,
    SharedPart,
    Urgency,
)
from tirek.referrals.models import Referral, ReferralCounter, ReferralEvent

# Parts that only a referral from a case can share.
CASE_PARTS = (SharedPart.ASSESSMENTS, SharedPart.PLAN, SharedPart.SESSIONS)
# Whom a referral arriving reaches, and whom a revoked one.
RECEIVERS = ("intake", "coordinator", "manager")
CASE_HOLDERS = ("coordinator", "manager")


# --- checks -------------------------------------------------------------------------------------------------


def _require_side(actor, capability: str, organisation_id) -> None:
    """403 unless `actor` holds `capability` in `organisation_id` and acts in it now (a member of both sides
    answers a referral only from the receiving side)."""
    if organisation_id is None or actor.active_organisation_id_checked() != organisation_id:
        raise NotAllowed(capability)
    require(actor, capability, organisation_id)


def require_receiver(actor, referral: Referral) -> None:
    """403 unless `actor` answers referrals in the organisation `referral` went to, acting there now."""
    _require_side(actor, "referrals.respond", referral.to_organisation_id)


def require_sender(actor, referral: Referral) -> None:
    """403 unless `actor` sends referrals in the organisation that sent `referral`, acting there now."""
    _require_side(actor, "referrals.send", referral.from_organisation_id)


def _require_status(referral: Referral, allowed: Iterable[str], message: str) -> None:
    if referral.status not in allowed:
        raise ValidationError({"status": message % {"status": referral.get_status_display()}})


def partners_of(organisation, on: dt.date | None = None):
    """The organisations with a memorandum in force with `organisation` on `on` (today by default)."""
    memoranda = Partnership.objects.in_force_on(on or timezone.localdate()).filter(parties=organisation)
    return Organisation.objects.filter(partnerships__in=memoranda).exclude(pk=organisation.pk).distinct()


def target_problem(sender: Organisation, target: Organisation) -> str | None:
    """Why `sender` may not refer to `target`, or None when it may."""
    if target.pk == sender.pk:
        return _("A referral goes to another organisation, not your own.")
    if not target.is_active:
        return _("This organisation no longer works in Tirek.")
    if sender.referrals_partners_only and not partners_of(sender).filter(pk=target.pk).exists():
        return _(
            "Your organisation refers only to its partners: there is no memorandum in force with this one."
        )
    return None


def covers(consent: Consent, organisation, on: dt.date | None = None) -> bool:
    """Whether `consent` allows sharing the person's record with `organisation` on `on`."""
    on = on or timezone.localdate()
    active = (
        consent.withdrawn_on is None
        and consent.given_on <= on
        and (consent.valid_until is None or consent.valid_until >= on)
    )
    if not active or ConsentPurpose.SHARING not in (consent.purposes or []):
        return False
    organisation_id = getattr(organisation, "pk", organisation)
    return consent.share_with_referral_targets or consent.shared_with.filter(pk=organisation_id).exists()


def covering_consent(person: Person, organisation, on: dt.date | None = None) -> Consent | None:
    """The newest consent of `person` in force that allows sharing with `organisation`, if any."""
    for consent in person.consents.active_on(on or timezone.localdate()).order_by("-given_on", "-created_at"):
        if covers(consent, organisation, on):
            return consent
    return None


# --- writing helpers ----------------------------------------------------------------------------------------


def _next_number(organisation: Organisation, year: int) -> str:
    counter, _created = ReferralCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.case_prefix or 'T'}-R-{year}-{counter.last:05d}"


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _moment(at: dt.datetime | None, after: dt.datetime | None = None) -> dt.datetime:
    """When a step happened: now, or an earlier time given by the demo or an import of paper referrals —
    never in the future, never before the referral's previous step."""
    now = timezone.now()
    at = at or now
    if at > now:
        raise ValidationError({"at": _("This cannot happen in the future.")})
    if after is not None and at < after:
        raise ValidationError({"at": _("This cannot happen before the referral's previous step.")})
    return at


def _history(
    referral: Referral, kind: str, actor, organisation_id, at: dt.datetime, note: str = ""
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral, kind=kind, organisation_id=organisation_id, actor=_user(actor), at=at, note=note
    )


def _case_event(case: Case | None, kind: str, actor, referral: Referral, other: str, **data: Any) -> None:
    """A line on a case's timeline: the referral's number and the organisation on the other side."""
    if case is None:
        return
    CaseEvent.objects.create(
        case=case, kind=kind, actor=_user(actor), data={"detail": f"{referral.number} · {other}", **data}
    )


def _audit_change(actor, referral: Referral, organisation_id, changes: dict, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        organisation=organisation_id,
        subject_person_id=referral.person_id,
        changes=changes,
        note=note,
    )


def _answered(
    actor,
    referral: Referral,
    changes: dict,
    *,
    history: str,
    sender_event: str,
    notice: str,
    at: dt.datetime,
    note: str = "",
) -> None:
    """What every answer of the receiver leaves: the referral's history, the line on the sender's case, the
    audit event and the notice to the sender (an external referral has no sender in Tirek to notify)."""
    _history(referral, history, actor, referral.to_organisation_id, at, note=note)
    _case_event(referral.from_case, sender_event, actor, referral, str(referral.to_organisation))
    _audit_change(actor, referral, referral.to_organisation_id, changes)
    if not referral.is_external:
        _notify(
            _sender_side(referral),
            notice,
            referral,
            to=referral.from_organisation,
            about=referral.to_organisation,
        )


def referral_link(referral: Referral) -> str:
    return reverse("referrals:referral_detail", args=[referral.pk])


def _notify(recipients, kind: str, referral: Referral, *, to: Organisation, about, skip=None) -> None:
    """Notify `recipients` (users of `to`) of `kind`, naming the referral and the organisation `about`."""
    users = [u for u in recipients if u is not None and (skip is None or u.pk != skip.pk)]
    notify(
        recipients=users,
        kind=kind,
        organisation=to,
        link=referral_link(referral),
        number=referral.number,
        counterpart=about,
    )


def _sender_side(referral: Referral) -> list:
    """Who hears of an answer: the user who sent the referral and the coordinator of the case it left."""
    coordinator = referral.from_case.coordinator if referral.from_case_id else None
    return [referral.sent_by, coordinator]


def _update(referral: Referral, **fields: Any) -> dict:
    changes = {}
    for name, value in fields.items():
        old = getattr(referral, name)
        setattr(referral, name, value)
        changes[name] = [_plain(old), _plain(value)]
    referral.save(update_fields=[*fields, "updated_at"])
    return changes


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _parts(shared_parts: Iterable[str]) -> list[str]:
    chosen = set(shared_parts or [])
    unknown = chosen - set(SharedPart.values)
    if unknown:
        raise ValidationError({"shared_parts": _("Choose the shared parts from the list.")})
    return [part for part in SharedPart.values if part in chosen]


# --- sending ------------------------------------------------------------------------------------------------


def referral_send(
    *,
    actor,
    organisation: Organisation,
    to_organisation: Organisation,
    reason: str,
    person: Person | None = None,
    from_case: Case | None = None,
    urgency: str = Urgency.ROUTINE,
    shared_parts: Iterable[str] = (),
    programme=None,
    services: Iterable = (),
    consent: Consent | None = None,
    consent_override_reason: str = "",
    at: dt.datetime | None = None,
) -> Referral:
    """Refer a person (from one of `organisation`'s cases, or from its register) to `to_organisation`.

    Needs a consent of the person in force that covers sharing with the receiver; without one, a manager may
    send it with a reason (audited). The receiver sees the person from now on, and the parts shared."""
    require(actor, "referrals.send", organisation)
    at = _moment(at)
    if from_case is not None:
        if from_case.organisation_id != organisation.pk:
            raise ValidationError({"from_case": _("Choose a case of your organisation.")})
        if not from_case.is_open:
            raise ValidationError({"from_case": _("A closed case cannot refer.")})
        if timezone.localdate(at) < from_case.opened_on:
            raise ValidationError({"from_case": _("A referral cannot leave a case before it was opened.")})
        if person is not None and person.pk != from_case.person_id:
            raise ValidationError({"person": _("The person is not the case's person.")})
        person = from_case.person
    if person is None:
        raise ValidationError({"person": _("Choose the person to refer.")})
    problem = target_problem(organisation, to_organisation)
    if problem:
        raise ValidationError({"to_organisation": problem})
    parts = _parts(shared_parts)
    if from_case is None and set(parts) & set(CASE_PARTS):
        raise ValidationError(
            {"shared_parts": _("Only a referral from a case can share its assessments, plan or sessions.")}
        )
    if Referral.objects.filter(
        person=person,
        from_organisation=organisation,
        to_organisation=to_organisation,
        status__in=LIVE_STATUSES,
    ).exists():
        raise ValidationError(
            {"to_organisation": _("A referral of this person to this organisation is already open.")}
        )
    override = (consent_override_reason or "").strip()
    if consent is not None:
        if consent.person_id != person.pk or not covers(consent, to_organisation, timezone.localdate(at)):
            raise ValidationError(
                {
                    "consent": _(
                        "This consent is not in force or does not cover sharing with that organisation."
                    )
                }
            )
    else:
        consent = covering_consent(person, to_organisation, timezone.localdate(at))
    if consent is not None:
        override = ""
    elif not override:
        raise ValidationError(
            {
                "consent": _(
                    "No consent of the person in force covers sharing with this organisation. Record the "
                    "consent first; a manager may send the referral without it, giving the reason."
                )
            }
        )
    elif not can(actor, "referrals.override_consent", organisation):
        raise NotAllowed("referrals.override_consent")
    referral = Referral(
        number="pending",
        from_organisation=organisation,
        to_organisation=to_organisation,
        person=person,
        from_case=from_case,
        programme=programme,
        reason=(reason or "").strip(),
        urgency=urgency,
        shared_parts=parts,
        consent=consent,
        consent_override_reason=override,
        sent_at=at,
        sent_by=_user(actor),
    )
    referral.full_clean(exclude=["number"])
    with transaction.atomic():
        referral.number = _next_number(organisation, timezone.localdate(at).year)
        referral.save()
        referral.services.set(list(services))
        grant_access(person=person, organisation=to_organisation, reason=AccessReason.REFERRAL)
        _history(referral, ReferralEventKind.SENT, actor, organisation.pk, at, note=referral.reason)
        _case_event(from_case, CaseEventKind.REFERRAL_SENT, actor, referral, str(to_organisation))
        audit_created(actor=actor, obj=referral, organisation=organisation, subject_person_id=person.pk)
        if override:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=referral,
                organisation=organisation,
                subject_person_id=person.pk,
                changes={"consent_override_reason": [None, override]},
                note=f"consent override: {override}"[:500],
            )
        _notify(
            staff_of(to_organisation, RECEIVERS),
            NotificationKind.REFERRAL_RECEIVED,
            referral,
            to=to_organisation,
            about=organisation,
        )
    return referral


def referral_record_external(
    *,
    actor,
    organisation: Organisation,
    person: Person,
    external_source: str,
    reason: str,
    external_source_name: str = "",
    external_source_contact: str = "",
    urgency: str = Urgency.ROUTINE,
    programme=None,
    services: Iterable = (),
    received_on: dt.date | None = None,
) -> Referral:
    """Record a referral that came from outside Tirek (a maternity centre, a polyclinic, PMPK, a helpline)
    to `organisation`: it waits in the inbox to be accepted or declined like any other."""
    require(actor, "referrals.record_external", organisation)
    if not PersonAccess.objects.filter(person=person, organisation=organisation).exists():
        raise ValidationError(
            {"person": _("Choose a person your organisation sees, or register the person first.")}
        )
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("The referral cannot arrive in the future.")})
    if external_source == ReferralSource.ORGANISATION:
        raise ValidationError(
            {"external_source": _("An organisation in Tirek sends its referral through Tirek itself.")}
        )
    sent_at = timezone.now()
    if received_on != today:
        sent_at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(12, 0)))
    referral = Referral(
        number="pending",
        external_source=external_source,
        external_source_name=external_source_name.strip(),
        external_source_contact=external_source_contact.strip(),
        to_organisation=organisation,
        person=person,
        programme=programme,
        reason=(reason or "").strip(),
        urgency=urgency,
        sent_at=sent_at,
        sent_by=_user(actor),
    )
    referral.full_clean(exclude=["number"])
    with transaction.atomic():
        referral.number = _next_number(organisation, received_on.year)
        referral.save()
        referral.services.set(list(services))
        _history(referral, ReferralEventKind.RECORDED, actor, organisation.pk, sent_at, note=referral.reason)
        audit_created(actor=actor, obj=referral, organisation=organisation, subject_person_id=person.pk)
        _notify(
            staff_of(organisation, CASE_HOLDERS),
            NotificationKind.REFERRAL_RECEIVED,
            referral,
            to=organisation,
            about=referral.sender_label,
            skip=actor,
        )
    return referral


# --- answering ----------------------------------------------------------------------------------------------


def referral_accept(
    *,
    actor,
    referral: Referral,
    programme,
    coordinator=None,
    override_reason: str = "",
    at: dt.datetime | None = None,
) -> Referral:
    """Accept a referral: the receiver opens its own case in one of its programmes, linked to the referral
    (the first-plan clock counts from the day it was sent)."""
    require_receiver(actor, referral)
    _require_status(referral, RESPOND_FROM, _("A referral that is %(status)s cannot be accepted."))
    at = _moment(at, after=referral.sent_at)
    opened_on, sent_on = timezone.localdate(at), timezone.localdate(referral.sent_at)
    with transaction.atomic():
        case = case_open(
            actor=actor,
            organisation=referral.to_organisation,
            person=referral.person,
            programme=programme,
            referral_source=referral.external_source or ReferralSource.ORGANISATION,
            opened_on=opened_on,
            referral_received_on=sent_on,
            coordinator=coordinator,
            override_reason=override_reason,
        )
        changes = _update(
            referral,
            status=ReferralStatus.ACCEPTED,
            to_case=case,
            responded_at=at,
            responded_by=_user(actor),
            days_to_accept=(opened_on - sent_on).days,
        )
        _case_event(case, CaseEventKind.REFERRAL_RECEIVED, actor, referral, referral.sender_label)
        _answered(
            actor,
            referral,
            changes,
            history=ReferralEventKind.ACCEPTED,
            sender_event=CaseEventKind.REFERRAL_ACCEPTED,
            notice=NotificationKind.REFERRAL_ACCEPTED,
            at=at,
            note=case.number,
        )
    return referral


def referral_decline(*, actor, referral: Referral, reason: str, at: dt.datetime | None = None) -> Referral:
    """Decline a referral, saying why: the receiver no longer sees the person unless it has another ground."""
    require_receiver(actor, referral)
    _require_status(referral, RESPOND_FROM, _("A referral that is %(status)s cannot be declined."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    at = _moment(at, after=referral.sent_at)
    with transaction.atomic():
        changes = _update(
            referral,
            status=ReferralStatus.DECLINED,
            responded_at=at,
            responded_by=_user(actor),
            decline_reason=reason,
        )
        _answered(
            actor,
            referral,
            changes,
            history=ReferralEventKind.DECLINED,
            sender_event=CaseEventKind.REFERRAL_DECLINED,
            notice=NotificationKind.REFERRAL_DECLINED,
            at=at,
            note=reason,
        )
        revoke_access(person=referral.person, organisation=referral.to_organisation_id)
    return referral


def referral_complete(
    *, actor, referral: Referral, note: str = "", at: dt.datetime | None = None
) -> Referral:
    """Record that the receiver delivered what the referral asked for."""
    require_receiver(actor, referral)
    _require_status(referral, COMPLETE_FROM, _("A referral that is %(status)s cannot be completed."))
    note = (note or "").strip()
    at = _moment(at, after=referral.responded_at)
    with transaction.atomic():
        changes = _update(
            referral,
            status=ReferralStatus.COMPLETED,
            completed_at=at,
            completed_by=_user(actor),
            completion_note=note,
        )
        _case_event(
            referral.to_case, CaseEventKind.REFERRAL_COMPLETED, actor, referral, referral.sender_label
        )
        _answered(
            actor,
            referral,
            changes,
            history=ReferralEventKind.COMPLETED,
            sender_event=CaseEventKind.REFERRAL_COMPLETED,
            notice=NotificationKind.REFERRAL_COMPLETED,
            at=at,
            note=note,
        )
    return referral


def referral_revoke(*, actor, referral: Referral, reason: str, at: dt.datetime | None = None) -> Referral:
    """The sender takes its referral back, saying why: the receiver no longer sees the person or the shared
    parts (a case it already opened stays its own)."""
    if referral.is_external:
        raise ValidationError({"status": _("A referral from outside Tirek is declined, not revoked.")})
    require_sender(actor, referral)
    _require_status(referral, REVOKE_FROM, _("A referral that is %(status)s cannot be revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the referral is revoked.")})
    at = _moment(at, after=referral.responded_at or referral.sent_at)
    with transaction.atomic():
        changes = _update(
            referral,
            status=ReferralStatus.REVOKED,
            revoked_at=at,
            revoked_by=_user(actor),
            revoke_reason=reason,
        )
        _history(referral, ReferralEventKind.REVOKED, actor, referral.from_organisation_id, at, note=reason)
        _case_event(
            referral.from_case, CaseEventKind.REFERRAL_REVOKED, actor, referral, str(referral.to_organisation)
        )
        _case_event(
            referral.to_case, CaseEventKind.REFERRAL_REVOKED, actor, referral, str(referral.from_organisation)
        )
        _audit_change(actor, referral, referral.from_organisation_id, changes)
        revoke_access(person=referral.person, organisation=referral.to_organisation_id)
        _notify(
            staff_of(referral.to_organisation, CASE_HOLDERS),
            NotificationKind.REFERRAL_REVOKED,
            referral,
            to=referral.to_organisation,
            about=referral.from_organisation,
        )
    return referral
