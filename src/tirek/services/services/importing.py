"""Many past sessions at once (an import, the demo), checked like one and written in one transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Membership
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.cases.choices import CaseEventKind, CaseStatus
from tirek.cases.models import Case, CaseEvent
from tirek.core.errors import NotAllowed
from tirek.core.scoping import require
from tirek.services.choices import (
    BUSY_STATUSES,
    OUTCOME_STATUSES,
    GroupActivityStatus,
    Participant,
    VisitFormat,
    VisitMode,
    VisitStatus,
)
from tirek.services.models import GroupActivity, Visit, VisitGoal
from tirek.services.services.checks import (
    aware,
    check_date,
    check_on_behalf,
    check_servable,
    check_service,
    clean_goals,
    local,
    lock,
    participants_in_order,
    span,
)


def visits_import_delivered(*, actor, organisation, rows: Iterable[Mapping[str, Any]]) -> list[Visit]:
    """Write many past sessions with their outcomes at once (an import, the demo): every row is checked as
    `visit_log` would, double bookings included, then all are written in one transaction with one audit
    event. Nothing is written when a row is wrong; the error lists the rows by number (from 1).

    A row has the fields of `visit_log` (case, status attended/cancelled/no_show, starts_at, minutes,
    service, specialist, profession, format, mode, participants, cancellation_reason, note, goals); sessions
    of a closed case are accepted up to its closing date."""
    require(actor, "visits.log", organisation)
    organisation_id = getattr(organisation, "pk", organisation)
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(organisation_id=organisation_id, is_active=True).select_related(
            "profession"
        )
    }
    today = timezone.localdate()
    errors: list[str] = []
    visits: list[Visit] = []
    goals: list[tuple[Visit, VisitGoal]] = []
    for number, row in enumerate(rows, 1):
        try:
            visit, visit_goals = _import_row(actor, organisation_id, memberships, dict(row), today)
            visits.append(visit)
            goals.extend((visit, goal) for goal in visit_goals)
        except NotAllowed:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                errors.append(_("Row %(row)s: %(message)s") % {"row": number, "message": message})
    if not errors:
        errors = _import_clashes(visits)
    if errors:
        raise ValidationError({"rows": errors[:50]})
    with transaction.atomic():
        lock({v.specialist for v in visits})
        errors = _import_clashes(visits)
        if errors:
            raise ValidationError({"rows": errors[:50]})
        Visit.objects.bulk_create(visits, batch_size=500)
        for visit, goal in goals:
            goal.visit = visit
        VisitGoal.objects.bulk_create([goal for _visit, goal in goals], batch_size=500)
        kinds = {VisitStatus.CANCELLED: CaseEventKind.VISIT_CANCELLED}
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case_id=v.case_id,
                    kind=kinds.get(v.status, CaseEventKind.VISIT_LOGGED),
                    actor=actor,
                    data={
                        "visit": str(v.pk),
                        "status": v.status,
                        "starts_at": local(v.starts_at).isoformat(timespec="minutes"),
                        "minutes": v.minutes,
                        "service": v.service.code,
                        "specialist": str(v.specialist),
                        "reason": v.get_cancellation_reason_display() if v.cancellation_reason else "",
                        "imported": True,
                    },
                )
                for v in visits
            ],
            batch_size=500,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            organisation=organisation_id,
            object_type="services.visit",
            object_repr=f"{len(visits)} sessions",
            note=f"import of sessions: rows={len(visits)} "
            f"attended={sum(v.status == VisitStatus.ATTENDED for v in visits)}",
        )
    return visits


def _import_row(
    actor, organisation_id, memberships: dict, row: dict, today: dt.date
) -> tuple[Visit, list[VisitGoal]]:
    case = row.pop("case", None)
    if not isinstance(case, Case) or case.organisation_id != organisation_id:
        raise ValidationError({"case": _("Choose a case of the organisation.")})
    status = row.pop("status", VisitStatus.ATTENDED)
    if status not in OUTCOME_STATUSES:
        raise ValidationError({"status": _("Choose attended, cancelled or no-show.")})
    if case.status == CaseStatus.REFERRED:
        check_servable(case)
    specialist = row.pop("specialist", None)
    membership = memberships.get(getattr(specialist, "pk", None))
    if membership is None:
        raise ValidationError({"specialist": _("Choose an active member of the case's organisation.")})
    check_on_behalf(actor, specialist, organisation_id)
    service = row.pop("service", None)
    check_service(service)
    starts_at, minutes = row.pop("starts_at", None), row.pop("minutes", None)
    ends_at = span(starts_at, minutes)
    starts_at = aware(starts_at)
    check_date(case, status, starts_at)
    if local(starts_at).date() > today:
        raise ValidationError({"starts_at": _("An imported session cannot be in the future.")})
    visit_goals = clean_goals(row.pop("goals", None), case) or []
    unknown = set(row) - {"profession", "format", "mode", "participants", "cancellation_reason", "note"}
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    visit = Visit(
        organisation_id=organisation_id,
        case=case,
        status=status,
        starts_at=starts_at,
        minutes=minutes,
        ends_at=ends_at,
        service=service,
        specialist=specialist,
        profession=row.get("profession") or membership.profession,
        format=row.get("format", VisitFormat.INDIVIDUAL),
        mode=row.get("mode", VisitMode.CENTRE),
        participants=participants_in_order(row.get("participants", [Participant.CHILD])),
        cancellation_reason=row.get("cancellation_reason") or "",
        note=row.get("note") or "",
        created_by=actor,
    )
    # The related rows were checked above; skip full_clean's one query per foreign key.
    visit.full_clean(
        exclude=[
            "organisation",
            "case",
            "service",
            "specialist",
            "profession",
            "group_activity",
            "created_by",
        ],
        validate_unique=False,
        validate_constraints=False,
    )
    return visit, visit_goals


def _import_clashes(visits: list[Visit]) -> list[str]:
    """Double bookings among the new sessions and against what the specialists already have."""
    busy = [v for v in visits if v.status in BUSY_STATUSES]
    if not busy:
        return []
    row_of = {id(v): n for n, v in enumerate(visits, 1)}
    first = min(v.starts_at for v in busy)
    last = max(v.ends_at for v in busy)
    specialists = {v.specialist_id for v in busy}
    intervals: dict[Any, list[tuple[dt.datetime, dt.datetime, str | None]]] = defaultdict(list)
    for specialist_id, start, end, number in Visit.objects.filter(
        specialist_id__in=specialists,
        group_activity__isnull=True,
        status__in=BUSY_STATUSES,
        starts_at__lt=last,
        ends_at__gt=first,
    ).values_list("specialist_id", "starts_at", "ends_at", "case__number"):
        intervals[specialist_id].append((start, end, _("case %(number)s") % {"number": number}))
    for specialist_id, start, end, topic in (
        GroupActivity.facilitators.through.objects.filter(
            user_id__in=specialists, groupactivity__starts_at__lt=last, groupactivity__ends_at__gt=first
        )
        .exclude(groupactivity__status=GroupActivityStatus.CANCELLED)
        .values_list("user_id", "groupactivity__starts_at", "groupactivity__ends_at", "groupactivity__topic")
    ):
        intervals[specialist_id].append((start, end, f"«{topic}»"))
    errors = []
    new: dict[Any, list[Visit]] = defaultdict(list)
    for visit in busy:
        new[visit.specialist_id].append(visit)
    for specialist_id, mine in new.items():
        timeline = [(s, e, label, None) for s, e, label in intervals[specialist_id]]
        timeline += [(v.starts_at, v.ends_at, None, v) for v in mine]
        timeline.sort(key=lambda item: item[0])
        latest = None
        for item in timeline:
            if latest is not None and item[0] < latest[1] and (item[3] or latest[3]):
                visit = item[3] or latest[3]
                other = latest if item[3] is visit else item
                against = other[2] or _("row %(row)s") % {"row": row_of[id(other[3])]}
                errors.append(
                    _("Row %(row)s: %(name)s is already busy at %(start)s (%(other)s).")
                    % {
                        "row": row_of[id(visit)],
                        "name": str(visit.specialist),
                        "start": local(visit.starts_at).strftime("%d.%m.%Y %H:%M"),
                        "other": against,
                    }
                )
            if latest is None or item[1] > latest[1]:
                latest = item
    return errors
