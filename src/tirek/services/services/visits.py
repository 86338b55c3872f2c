"""Sessions: planning, logging how they went, editing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tirek.accounts.models import User
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot
from tirek.cases.choices import CaseEventKind
from tirek.cases.models import Case, CaseEvent
from tirek.cases.services import _event
from tirek.catalog.models import Profession, Service
from tirek.core.scoping import require
from tirek.services.choices import (
    BUSY_STATUSES,
    NOT_HELD_STATUSES,
    OUTCOME_STATUSES,
    Participant,
    VisitFormat,
    VisitMode,
    VisitStatus,
)
from tirek.services.models import Visit, VisitGoal
from tirek.services.services.checks import (
    active_membership,
    aware,
    check_date,
    check_on_behalf,
    check_servable,
    check_service,
    clash,
    clean_goals,
    local,
    lock,
    participants_in_order,
    span,
)

# Fields of a session that `visit_update` may change.
VISIT_FIELDS = (
    "starts_at",
    "minutes",
    "service",
    "specialist",
    "profession",
    "format",
    "mode",
    "participants",
    "cancellation_reason",
    "note",
)


def _visit_event(visit: Visit, actor, kind: str | None = None, **extra: Any) -> CaseEvent:
    if kind is None:
        kind = {
            VisitStatus.PLANNED: CaseEventKind.VISIT_PLANNED,
            VisitStatus.CANCELLED: CaseEventKind.VISIT_CANCELLED,
        }.get(visit.status, CaseEventKind.VISIT_LOGGED)
    return _event(
        visit.case,
        kind,
        actor,
        visit=str(visit.pk),
        status=visit.status,
        starts_at=local(visit.starts_at).isoformat(timespec="minutes"),
        minutes=visit.minutes,
        service=visit.service.code,
        specialist=str(visit.specialist),
        reason=visit.get_cancellation_reason_display() if visit.cancellation_reason else "",
        **extra,
    )


def _visit_create(
    *,
    actor,
    case: Case,
    status: str,
    starts_at: dt.datetime,
    minutes: int,
    service: Service,
    specialist: User,
    profession: Profession | None = None,
    format: str = VisitFormat.INDIVIDUAL,
    mode: str = VisitMode.CENTRE,
    participants: Iterable[str] | None = None,
    cancellation_reason: str = "",
    note: str = "",
    goals: Iterable[Mapping[str, Any]] | None = None,
) -> Visit:
    check_servable(case)
    check_on_behalf(actor, specialist, case.organisation_id)
    membership = active_membership(specialist, case.organisation_id)
    if membership is None:
        raise ValidationError({"specialist": _("Choose an active member of the case's organisation.")})
    check_service(service)
    ends_at = span(starts_at, minutes)
    starts_at = aware(starts_at)
    check_date(case, status, starts_at)
    visit = Visit(
        organisation_id=case.organisation_id,
        case=case,
        status=status,
        starts_at=starts_at,
        minutes=minutes,
        ends_at=ends_at,
        service=service,
        specialist=specialist,
        profession=profession or membership.profession,
        format=format,
        mode=mode,
        participants=participants_in_order(participants if participants is not None else [Participant.CHILD]),
        cancellation_reason=cancellation_reason or "",
        note=note or "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    visit_goals = clean_goals(goals, case) or []
    visit.full_clean(validate_constraints=False)
    with transaction.atomic():
        if status in BUSY_STATUSES:
            lock([specialist])
            problem = clash(specialist, starts_at, ends_at, organisation_id=case.organisation_id, visit=visit)
            if problem:
                raise ValidationError({"starts_at": ValidationError(problem, code="double_booking")})
        visit.save()
        for goal in visit_goals:
            goal.visit = visit
        VisitGoal.objects.bulk_create(visit_goals)
        _visit_event(visit, actor)
        audit_created(
            actor=actor, obj=visit, organisation=case.organisation_id, subject_person_id=case.person_id
        )
    return visit


def visit_plan(*, actor, case: Case, **fields: Any) -> Visit:
    """Book a session (an appointment) for `case`; refused when it double-books the specialist.

    Fields: starts_at, minutes, service, specialist, and optionally profession (the specialist's own by
    default), format, mode, participants (the child by default), note, goals [{plan_goal_id, note}]."""
    require(actor, "visits.plan", case.organisation_id)
    return _visit_create(actor=actor, case=case, status=VisitStatus.PLANNED, **fields)


def visit_log(
    *,
    actor,
    status: str,
    visit: Visit | None = None,
    case: Case | None = None,
    cancellation_reason: str = "",
    **fields: Any,
) -> Visit:
    """Record how a session went: attended, cancelled or no-show (with a reason).

    With `visit`, the outcome of that session (planned, or a correction of an earlier outcome; `minutes`,
    `note`, `participants` and `goals` may be given too). Without it, a new session of `case` that is logged
    at once (the same fields as `visit_plan`)."""
    if status not in OUTCOME_STATUSES:
        raise ValidationError({"status": _("Choose attended, cancelled or no-show.")})
    if visit is None:
        if case is None:
            raise ValidationError({"case": _("Choose the case.")})
        require(actor, "visits.log", case.organisation_id)
        return _visit_create(
            actor=actor, case=case, status=status, cancellation_reason=cancellation_reason, **fields
        )
    return _visit_record_outcome(
        actor=actor, visit=visit, status=status, cancellation_reason=cancellation_reason, **fields
    )


def _visit_record_outcome(
    *,
    actor,
    visit: Visit,
    status: str,
    cancellation_reason: str = "",
    minutes: int | None = None,
    note: str | None = None,
    participants: Iterable[str] | None = None,
    goals: Iterable[Mapping[str, Any]] | None = None,
) -> Visit:
    require(actor, "visits.log", visit.organisation_id)
    if visit.group_activity_id:
        raise ValidationError({"status": _("Record the attendance on the group activity.")})
    check_on_behalf(actor, visit.specialist, visit.organisation_id)
    case = visit.case
    before = snapshot(visit)
    old_status = visit.status
    visit.status = status
    visit.cancellation_reason = cancellation_reason if status in NOT_HELD_STATUSES else ""
    if minutes is not None:
        visit.minutes = minutes
    visit.ends_at = span(visit.starts_at, visit.minutes)
    if note is not None:
        visit.note = note
    if participants is not None:
        visit.participants = participants_in_order(participants)
    check_date(case, status, visit.starts_at)
    visit_goals = clean_goals(goals, visit.case)
    visit.full_clean(validate_constraints=False)
    changes = changes_between(before, snapshot(visit))
    if not changes and visit_goals is None:
        return visit
    with transaction.atomic():
        if status in BUSY_STATUSES and (old_status not in BUSY_STATUSES or "minutes" in changes):
            lock([visit.specialist])
            problem = clash(
                visit.specialist,
                visit.starts_at,
                visit.ends_at,
                organisation_id=visit.organisation_id,
                visit=visit,
            )
            if problem:
                raise ValidationError({"status": ValidationError(problem, code="double_booking")})
        visit.save()
        if visit_goals is not None:
            _replace_goals(visit, visit_goals, changes)
        if old_status != status or changes:
            _visit_event(visit, actor, previous=old_status)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=visit,
            organisation=visit.organisation_id,
            changes=changes,
            subject_person_id=case.person_id,
        )
    return visit


def _replace_goals(visit: Visit, goals: list[VisitGoal], changes: dict) -> None:
    old = sorted((str(g.plan_goal_id), g.note) for g in visit.goals.all())
    new = sorted((str(g.plan_goal_id), g.note) for g in goals)
    if old == new:
        return
    visit.goals.all().delete()
    for goal in goals:
        goal.visit = visit
    VisitGoal.objects.bulk_create(goals)
    changes["goals"] = [old, new]


def visit_update(
    *, actor, visit: Visit, goals: Iterable[Mapping[str, Any]] | None = None, **fields: Any
) -> Visit:
    """Change a session's details (not its outcome: see `visit_log`). A planned session that moves is checked
    for double booking again."""
    capability = "visits.plan" if visit.status == VisitStatus.PLANNED else "visits.log"
    require(actor, capability, visit.organisation_id)
    if visit.group_activity_id:
        raise ValidationError({"__all__": _("Change a group session on the group activity.")})
    unknown = set(fields) - set(VISIT_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    case = visit.case
    if not case.is_open:
        raise ValidationError({"case": _("The sessions of a closed case cannot be changed.")})
    check_on_behalf(actor, visit.specialist, visit.organisation_id)
    before = snapshot(visit)
    if "specialist" in fields and fields["specialist"].pk != visit.specialist_id:
        specialist = fields["specialist"]
        check_on_behalf(actor, specialist, visit.organisation_id)
        membership = active_membership(specialist, visit.organisation_id)
        if membership is None:
            raise ValidationError({"specialist": _("Choose an active member of the case's organisation.")})
        fields.setdefault("profession", membership.profession)
    if "profession" in fields and fields["profession"] is None:
        # No profession given: the specialist's own, as when the session was booked.
        membership = active_membership(fields.get("specialist", visit.specialist), visit.organisation_id)
        fields["profession"] = membership.profession if membership else None
    if "service" in fields:
        check_service(fields["service"])
    if "participants" in fields:
        fields["participants"] = participants_in_order(fields["participants"])
    for name, value in fields.items():
        setattr(visit, name, "" if value is None and name in ("note", "cancellation_reason") else value)
    visit.ends_at = span(visit.starts_at, visit.minutes)
    visit.starts_at = aware(visit.starts_at)
    visit_goals = clean_goals(goals, visit.case)
    visit.full_clean(validate_constraints=False)
    changes = changes_between(before, snapshot(visit))
    if "starts_at" in changes:
        check_date(case, visit.status, visit.starts_at)
    if not changes and visit_goals is None:
        return visit
    with transaction.atomic():
        moved = {"starts_at", "ends_at", "specialist"} & set(changes)
        if visit.status in BUSY_STATUSES and moved:
            lock([visit.specialist])
            problem = clash(
                visit.specialist,
                visit.starts_at,
                visit.ends_at,
                organisation_id=visit.organisation_id,
                visit=visit,
            )
            if problem:
                raise ValidationError({"starts_at": ValidationError(problem, code="double_booking")})
        visit.save()
        if visit_goals is not None:
            _replace_goals(visit, visit_goals, changes)
        if visit.status == VisitStatus.PLANNED and moved:
            _visit_event(visit, actor, rescheduled=True)
        if changes:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=visit,
                organisation=visit.organisation_id,
                changes=changes,
                subject_person_id=case.person_id,
            )
    return visit
