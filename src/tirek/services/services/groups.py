"""Group activities: seminars, trainings, group consultations and classes, and their attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Membership, User
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot
from tirek.cases.choices import CaseEventKind
from tirek.cases.models import Case
from tirek.cases.services import _event
from tirek.catalog.models import Service
from tirek.core.scoping import require
from tirek.services.choices import (
    CancellationReason,
    GroupActivityStatus,
    VisitFormat,
    VisitMode,
    VisitStatus,
)
from tirek.services.models import GroupActivity, GroupParticipant, Visit
from tirek.services.services.checks import (
    SERVABLE_CASE_STATUSES,
    active_membership,
    aware,
    check_service,
    clash,
    local,
    lock,
    span,
)

GROUP_FIELDS = (
    "kind",
    "topic",
    "service",
    "starts_at",
    "minutes",
    "mode",
    "others_count",
    "note",
    "status",
    "partnership",
)


def _check_partnership(organisation_id, partnership) -> None:
    """A joint event is held under a memorandum the organisation is a party to."""
    if partnership is not None and not partnership.parties.filter(pk=organisation_id).exists():
        raise ValidationError({"partnership": _("Choose a memorandum your organisation signed.")})


def _check_facilitators(organisation_id, facilitators: list[User]) -> None:
    if not facilitators:
        raise ValidationError({"facilitators": _("Name at least one facilitator.")})
    members = set(
        Membership.objects.filter(
            organisation_id=organisation_id, is_active=True, user__in=facilitators
        ).values_list("user_id", flat=True)
    )
    if any(u.pk not in members for u in facilitators):
        raise ValidationError({"facilitators": _("Facilitators must be active members of the organisation.")})


def _check_group_cases(organisation_id, cases: list[Case]) -> None:
    if len({c.pk for c in cases}) != len(cases):
        raise ValidationError({"cases": _("Name each participant once.")})
    for case in cases:
        if case.organisation_id != organisation_id:
            raise ValidationError({"cases": _("Choose cases of the organisation.")})
        if case.status not in SERVABLE_CASE_STATUSES:
            raise ValidationError(
                {"cases": _("Case %(number)s is not in intake or active.") % {"number": case.number}}
            )


def _check_group_clashes(activity: GroupActivity, facilitators: list[User]) -> None:
    if activity.status == GroupActivityStatus.CANCELLED:
        return
    lock(facilitators)
    for facilitator in facilitators:
        problem = clash(
            facilitator,
            activity.starts_at,
            activity.ends_at,
            organisation_id=activity.organisation_id,
            activity=activity,
        )
        if problem:
            raise ValidationError({"starts_at": ValidationError(problem, code="double_booking")})


def _lead(facilitators: Iterable[User]) -> User:
    """The facilitator who signs the participants' sessions (the first by name)."""
    return min(facilitators, key=lambda u: (u.last_name, u.first_name, u.username))


def group_activity_create(
    *,
    actor,
    organisation,
    kind: str,
    topic: str,
    service: Service,
    starts_at: dt.datetime,
    minutes: int,
    facilitators: Iterable[User],
    mode: str = VisitMode.CENTRE,
    cases: Iterable[Case] = (),
    others_count: int = 0,
    note: str = "",
    partnership=None,
) -> GroupActivity:
    """Plan a seminar, training, group consultation or group class with its facilitators and participants
    (a joint event under a memorandum names it)."""
    organisation_id = getattr(organisation, "pk", organisation)
    require(actor, "groups.manage", organisation_id)
    _check_partnership(organisation_id, partnership)
    facilitators, cases = list(facilitators), list(cases)
    _check_facilitators(organisation_id, facilitators)
    _check_group_cases(organisation_id, cases)
    check_service(service)
    ends_at = span(starts_at, minutes)
    activity = GroupActivity(
        organisation_id=organisation_id,
        kind=kind,
        topic=topic,
        service=service,
        starts_at=aware(starts_at),
        minutes=minutes,
        ends_at=ends_at,
        mode=mode,
        others_count=others_count,
        note=note or "",
        partnership=partnership,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    activity.full_clean(validate_constraints=False)
    with transaction.atomic():
        _check_group_clashes(activity, facilitators)
        activity.save()
        activity.facilitators.set(facilitators)
        GroupParticipant.objects.bulk_create([GroupParticipant(activity=activity, case=c) for c in cases])
        audit_created(actor=actor, obj=activity, organisation=organisation_id)
        if cases:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=activity,
                organisation=organisation_id,
                changes={
                    "facilitators": [None, sorted(str(u.pk) for u in facilitators)],
                    "cases": [None, sorted(str(c.pk) for c in cases)],
                },
            )
    return activity


def group_activity_update(
    *,
    actor,
    activity: GroupActivity,
    facilitators: Iterable[User] | None = None,
    cases: Iterable[Case] | None = None,
    **fields: Any,
) -> GroupActivity:
    """Change a group activity: its details, facilitators, participants, or cancel it (status cancelled).

    A participant whose attendance is recorded stays; the participants' sessions follow the changes."""
    require(actor, "groups.manage", activity.organisation_id)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    status = fields.get("status", activity.status)
    if status == GroupActivityStatus.HELD and activity.status != GroupActivityStatus.HELD:
        raise ValidationError({"status": _("An activity is held once its attendance is recorded.")})
    if activity.status == GroupActivityStatus.HELD and status != GroupActivityStatus.HELD:
        raise ValidationError({"status": _("The attendance of this activity is recorded; it was held.")})
    participants = {p.case_id: p for p in activity.participants.all()}
    if status == GroupActivityStatus.CANCELLED and any(p.attended for p in participants.values()):
        raise ValidationError({"status": _("Participants attended this activity: mark them absent first.")})
    if "service" in fields:
        check_service(fields["service"])
    if "partnership" in fields:
        _check_partnership(activity.organisation_id, fields["partnership"])
    before = snapshot(activity)
    old_facilitators = list(activity.facilitators.all())
    new_facilitators = old_facilitators if facilitators is None else list(facilitators)
    if facilitators is not None:
        _check_facilitators(activity.organisation_id, new_facilitators)
    added: list[Case] = []
    removed: list[GroupParticipant] = []
    if cases is not None:
        cases = list(cases)
        wanted = {c.pk for c in cases}
        added = [c for c in cases if c.pk not in participants]
        _check_group_cases(activity.organisation_id, added)
        if len(wanted) != len(cases):
            raise ValidationError({"cases": _("Name each participant once.")})
        removed = [p for case_id, p in participants.items() if case_id not in wanted]
        if any(p.attended is not None for p in removed):
            raise ValidationError(
                {
                    "cases": _(
                        "A participant whose attendance is recorded cannot be removed; mark them absent."
                    )
                }
            )
    for name, value in fields.items():
        setattr(activity, name, "" if value is None and name == "note" else value)
    activity.ends_at = span(activity.starts_at, activity.minutes)
    activity.starts_at = aware(activity.starts_at)
    activity.full_clean(validate_constraints=False)
    changes = changes_between(before, snapshot(activity))
    old_ids = sorted(str(u.pk) for u in old_facilitators)
    new_ids = sorted(str(u.pk) for u in new_facilitators)
    if old_ids != new_ids:
        changes["facilitators"] = [old_ids, new_ids]
    if added or removed:
        changes["cases"] = [sorted(str(c) for c in participants), sorted(str(c.pk) for c in cases or [])]
    if not changes:
        return activity
    with transaction.atomic():
        if {"starts_at", "ends_at", "status", "facilitators"} & set(changes):
            _check_group_clashes(activity, new_facilitators)
        activity.save()
        if old_ids != new_ids:
            activity.facilitators.set(new_facilitators)
        if removed:
            GroupParticipant.objects.filter(pk__in=[p.pk for p in removed]).delete()
        if added:
            GroupParticipant.objects.bulk_create([GroupParticipant(activity=activity, case=c) for c in added])
        _sync_group_visits(activity, new_facilitators)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=activity,
            organisation=activity.organisation_id,
            changes=changes,
        )
    return activity


def _sync_group_visits(activity: GroupActivity, facilitators: list[User]) -> None:
    """Keep the participants' sessions in step with their activity (time, service, mode, lead)."""
    lead = _lead(facilitators)
    membership = active_membership(lead, activity.organisation_id)
    activity.visits.update(
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        minutes=activity.minutes,
        service=activity.service,
        mode=activity.mode,
        specialist=lead,
        profession=membership.profession if membership else None,
        updated_at=timezone.now(),
    )


def group_activity_set_attendance(
    *, actor, activity: GroupActivity, attended: Iterable[Any], others_count: int | None = None
) -> GroupActivity:
    """Record who came: `attended` are the cases (or their ids) present; the other participants were absent.

    Each participant gets a group session on their case (attended, or no-show), so an attended participant
    counts as served once, however often the attendance is saved; a newly attended participant gets a
    GROUP_ATTENDED event on their case timeline. The activity is then held."""
    require(actor, "groups.manage", activity.organisation_id)
    if activity.status == GroupActivityStatus.CANCELLED:
        raise ValidationError({"attended": _("The activity was cancelled.")})
    if local(activity.starts_at).date() > timezone.localdate():
        raise ValidationError(
            {"attended": _("Attendance can be recorded once the activity has taken place.")}
        )
    present = {str(getattr(item, "pk", item)) for item in attended}
    participants = list(activity.participants.select_related("case"))
    known = {str(p.case_id) for p in participants}
    if present - known:
        raise ValidationError({"attended": _("Only the activity's participants can be marked present.")})
    if others_count is not None and (not isinstance(others_count, int) or not 0 <= others_count <= 10000):
        raise ValidationError({"others_count": _("Enter a number from 0 to 10000.")})
    facilitators = list(activity.facilitators.all())
    lead = _lead(facilitators)
    membership = active_membership(lead, activity.organisation_id)
    visits = {v.case_id: v for v in activity.visits.all()}
    old = {"attended": sorted(str(p.case_id) for p in participants if p.attended)}
    old["others_count"] = activity.others_count
    old["status"] = activity.status
    with transaction.atomic():
        for participant in participants:
            now_present = str(participant.case_id) in present
            if participant.attended is now_present:
                continue
            participant.attended = now_present
            participant.save(update_fields=["attended"])
            status = VisitStatus.ATTENDED if now_present else VisitStatus.NO_SHOW
            reason = "" if now_present else CancellationReason.NO_NOTICE
            visit = visits.get(participant.case_id)
            if visit is None:
                visit = Visit.objects.create(
                    organisation_id=activity.organisation_id,
                    case=participant.case,
                    status=status,
                    starts_at=activity.starts_at,
                    minutes=activity.minutes,
                    ends_at=activity.ends_at,
                    service=activity.service,
                    specialist=lead,
                    profession=membership.profession if membership else None,
                    format=VisitFormat.GROUP,
                    mode=activity.mode,
                    participants=[],
                    cancellation_reason=reason,
                    group_activity=activity,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            else:
                visit.status, visit.cancellation_reason = status, reason
                visit.save(update_fields=["status", "cancellation_reason", "updated_at"])
            if now_present:
                _event(
                    participant.case,
                    CaseEventKind.GROUP_ATTENDED,
                    actor,
                    activity=str(activity.pk),
                    topic=activity.topic,
                    activity_kind=activity.kind,
                    starts_at=local(activity.starts_at).isoformat(timespec="minutes"),
                    visit=str(visit.pk),
                )
        activity.status = GroupActivityStatus.HELD
        if others_count is not None:
            activity.others_count = others_count
        activity.save(update_fields=["status", "others_count", "updated_at"])
        new = {
            "attended": sorted(present),
            "others_count": activity.others_count,
            "status": activity.status,
        }
        changes = changes_between(old, new)
        if changes:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=activity,
                organisation=activity.organisation_id,
                changes=changes,
                note="attendance",
            )
    return activity
