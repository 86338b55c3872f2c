"""Writes to cases: opening (enrolment), status, team, closure and reopening, outcome ratings, deadline pauses
and transition steps — each with its CaseEvent and audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tirek.accounts.models import Membership
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot
from tirek.audit.writes import check_version
from tirek.cases.choices import (
    EXIT_RATINGS_REQUIRED_FOR,
    STATUS_FLOW,
    CaseEventKind,
    CaseStatus,
    ClosureDestination,
    DeadlineClock,
    DeadlineState,
    OutcomeArea,
    OutcomeRating,
    PauseReason,
    TransitionStep,
)
from tirek.cases.deadlines import first_plan_clock, first_plan_due_on
from tirek.cases.models import Case, CaseCounter, CaseEvent, DeadlinePause
from tirek.core.errors import NotAllowed
from tirek.core.scoping import can, require
from tirek.people.choices import AccessReason, ConsentPurpose
from tirek.people.models import Person
from tirek.people.services import grant_access, has_consent


def _event(case: Case, kind: str, actor, **data: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor if actor and actor.is_authenticated else None, data=data
    )


def _audit_case_change(actor, case: Case, **extra: Any) -> None:
    """The audit event of a change to `case`, written about its person."""
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        organisation=case.organisation_id,
        subject_person_id=case.person_id,
        **extra,
    )


def _require_changeable(actor, case: Case) -> None:
    require(actor, "cases.change", case.organisation_id)
    if not case.is_open:
        raise ValidationError({"status": _("A closed case cannot be changed.")})


def _next_number(organisation, year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = organisation.case_prefix or "T"
    return f"{prefix}-{year}-{counter.last:05d}"


def eligibility_problem(person: Person, programme, on: dt.date) -> str | None:
    """Why `person` may not enter `programme` on `on`, or None when they may."""
    if programme.min_age_months is None and programme.max_age_months is None:
        return None
    age = person.age_in_months(on)
    if age is None:
        return _("The programme has an age window; enter the date of birth first.")
    if programme.min_age_months is not None and age < programme.min_age_months:
        return _("On %(date)s the person is %(age)s months old; the programme starts at %(min)s months.") % {
            "date": on.strftime("%d.%m.%Y"),
            "age": age,
            "min": programme.min_age_months,
        }
    if programme.max_age_months is not None and age >= programme.max_age_months:
        return _(
            "On %(date)s the person is %(age)s months old; "
            "the programme is for children under %(max)s months."
        ) % {
            "date": on.strftime("%d.%m.%Y"),
            "age": age,
            "max": programme.max_age_months,
        }
    return None


def _check_members(organisation, users) -> None:
    members = set(
        Membership.objects.filter(organisation=organisation, is_active=True, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    strangers = [u for u in users if u.pk not in members]
    if strangers:
        raise ValidationError({"team": _("Only active members of the organisation can work on its cases.")})


def case_open(
    *,
    actor,
    organisation,
    person: Person,
    programme,
    referral_source: str,
    opened_on: dt.date | None = None,
    referral_received_on: dt.date | None = None,
    status: str = CaseStatus.INTAKE,
    coordinator=None,
    team=(),
    override_reason: str = "",
) -> Case:
    """Enrol `person` in `programme` of `organisation`.

    Checks eligibility on the opening date, numbers the case and starts its timeline.
    """
    require(actor, "cases.open", organisation)
    opened_on = opened_on or timezone.localdate()
    referral_received_on = referral_received_on or opened_on
    if programme.organisation_id != organisation.pk or not programme.is_active:
        raise ValidationError({"programme": _("Choose an active programme of your organisation.")})
    if status == CaseStatus.CLOSED:
        raise ValidationError({"status": _("A case cannot be opened closed.")})
    if referral_received_on > opened_on:
        raise ValidationError(
            {"referral_received_on": _("The referral cannot arrive after the case is opened.")}
        )
    if Case.objects.filter(person=person, programme=programme).exclude(status=CaseStatus.CLOSED).exists():
        raise ValidationError({"programme": _("This person already has an open case in this programme.")})
    if status == CaseStatus.ACTIVE and not has_consent(person, ConsentPurpose.SERVICES, opened_on):
        raise ValidationError({"status": _("Record the consent to services before the case becomes active.")})
    problem = eligibility_problem(person, programme, opened_on)
    override_reason = override_reason.strip()
    if problem and not override_reason:
        raise ValidationError({"programme": problem}, code="not_eligible")
    if problem and not can(actor, "cases.override_eligibility", organisation):
        raise NotAllowed("eligibility override")
    people = [u for u in [coordinator, *team] if u is not None]
    _check_members(organisation, people)
    case = Case(
        organisation=organisation,
        programme=programme,
        person=person,
        status=status,
        opened_on=opened_on,
        referral_source=referral_source,
        referral_received_on=referral_received_on,
        coordinator=coordinator,
        eligibility_override_reason=override_reason if problem else "",
        number="pending",
    )
    case.full_clean(exclude=["number"])
    with transaction.atomic():
        case.number = _next_number(organisation, opened_on.year)
        case.save()
        case.team.set(team)
        grant_access(person=person, organisation=organisation, reason=AccessReason.CASE)
        _event(
            case,
            CaseEventKind.OPENED,
            actor,
            programme=programme.name,
            status=status,
            referral_source=referral_source,
        )
        audit_created(actor=actor, obj=case, organisation=organisation, subject_person_id=person.pk)
        if problem:
            _event(case, CaseEventKind.ELIGIBILITY_OVERRIDDEN, actor, problem=problem, reason=override_reason)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=case,
                organisation=organisation,
                subject_person_id=person.pk,
                note=f"eligibility override: {override_reason}"[:500],
                changes={"eligibility_override_reason": [None, override_reason]},
            )
    return case


def case_open_by_iin(*, actor, organisation, iin: str, **fields: Any) -> Case:
    """Enrol a person already registered elsewhere, known to the user only by their IIN."""
    person = Person.objects.filter(iin=iin, merged_into__isnull=True).first()
    if person is None:
        raise ValidationError({"iin": _("No person with this IIN is registered.")})
    return case_open(actor=actor, organisation=organisation, person=person, **fields)


def case_change_status(*, actor, case: Case, status: str, expected_version: int | None = None) -> Case:
    require(actor, "cases.change", case.organisation_id)
    if status == CaseStatus.CLOSED:
        raise ValidationError({"status": _("Close a case with a reason.")})
    if status not in STATUS_FLOW[case.status]:
        raise ValidationError(
            {
                "status": _("A case cannot go from %(old)s to %(new)s.")
                % {"old": CaseStatus(case.status).label, "new": CaseStatus(status).label}
            }
        )
    if status == CaseStatus.ACTIVE and not has_consent(case.person, ConsentPurpose.SERVICES):
        raise ValidationError({"status": _("Record the consent to services before the case becomes active.")})
    old = case.status
    with transaction.atomic():
        version = check_version(case, expected_version)
        case.status = status
        case.save(update_fields=["status", "version", "updated_at"])
        _event(case, CaseEventKind.STATUS_CHANGED, actor, old=old, new=status)
        _audit_case_change(
            actor,
            case,
            changes={"status": [old, status], **version},
        )
    return case


def case_set_team(
    *, actor, case: Case, coordinator=None, team=(), expected_version: int | None = None
) -> Case:
    require(actor, "cases.change", case.organisation_id)
    if not case.is_open:
        raise ValidationError({"team": _("A closed case cannot be changed.")})
    _check_members(case.organisation, [u for u in [coordinator, *team] if u is not None])
    old_team = sorted(str(pk) for pk in case.team.values_list("pk", flat=True))
    new_team = sorted(str(u.pk) for u in team)
    old_coordinator = str(case.coordinator_id) if case.coordinator_id else None
    new_coordinator = str(coordinator.pk) if coordinator else None
    if old_coordinator == new_coordinator and old_team == new_team:
        return case
    with transaction.atomic():
        changes = check_version(case, expected_version)
        case.coordinator = coordinator
        case.save(update_fields=["coordinator", "version", "updated_at"])
        if old_coordinator != new_coordinator:
            _event(
                case,
                CaseEventKind.COORDINATOR_CHANGED,
                actor,
                old=old_coordinator,
                new=str(coordinator) if coordinator else None,
            )
            changes["coordinator"] = [old_coordinator, new_coordinator]
        if old_team != new_team:
            case.team.set(team)
            _event(case, CaseEventKind.TEAM_CHANGED, actor, team=[str(u) for u in team])
            changes["team"] = [old_team, new_team]
        _audit_case_change(
            actor,
            case,
            changes=changes,
        )
    return case


def _check_ratings(prefix: str, ratings: dict[str, Any], *, required: bool) -> dict[str, int | None]:
    """The three area ratings as {field: value}; all three or none, each 1–7; all three when `required`."""
    values = {f"{prefix}_{area}": ratings.get(area) for area in OutcomeArea.values}
    given = [name for name, value in values.items() if value is not None]
    errors = {}
    for name, value in values.items():
        if value is None:
            if required:
                errors[name] = _("Rate the child in this area.")
            elif given:
                errors[name] = _("Rate all three areas, or none.")
        elif value not in OutcomeRating.values:
            errors[name] = _("Choose a rating from 1 to 7.")
    if errors:
        raise ValidationError(errors)
    return values


def _check_day(field: str, day: dt.date, *, not_before: dt.date, before_label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if day < not_before:
        raise ValidationError({field: before_label})


def case_close(
    *,
    actor,
    case: Case,
    reason,
    destination: str = "",
    closed_on: dt.date | None = None,
    note: str = "",
    exit_social: int | None = None,
    exit_knowledge: int | None = None,
    exit_needs: int | None = None,
    expected_version: int | None = None,
) -> Case:
    """Close `case` with its reason and the child's destination; the exit ratings of the three outcome areas
    are required when the child was served to the end (see EXIT_RATINGS_REQUIRED_FOR)."""
    require(actor, "cases.change", case.organisation_id)
    if not case.is_open:
        raise ValidationError({"status": _("This case is already closed.")})
    errors = {}
    if reason is None:
        errors["reason"] = _("Say why the case is closed.")
    if not destination:
        errors["destination"] = _("Say where the child goes next (or “None”).")
    elif destination not in ClosureDestination.values:
        errors["destination"] = _("Choose a destination from the list.")
    if errors:
        raise ValidationError(errors)
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The date cannot be in the future.")})
    ratings = _check_ratings(
        "exit",
        {"social": exit_social, "knowledge": exit_knowledge, "needs": exit_needs},
        required=reason.code in EXIT_RATINGS_REQUIRED_FOR,
    )
    rated = any(value is not None for value in ratings.values())
    old = case.status
    with transaction.atomic():
        version = check_version(case, expected_version)
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case.closure_reason = reason
        case.closure_note = note
        case.closure_destination = destination
        case.exit_rated_on = closed_on if rated else None
        for name, value in ratings.items():
            setattr(case, name, value)
        case.save(
            update_fields=[
                "status",
                "closed_on",
                "closure_reason",
                "closure_note",
                "closure_destination",
                "exit_rated_on",
                *ratings,
                "version",
                "updated_at",
            ]
        )
        _event(
            case,
            CaseEventKind.CLOSED,
            actor,
            reason=reason.name,
            reason_code=reason.code,
            destination=destination,
            closed_on=closed_on.isoformat(),
            note=note,
            previous_status=old,
            exit_ratings={name: value for name, value in ratings.items() if value is not None},
        )
        _audit_case_change(
            actor,
            case,
            changes={
                "status": [old, CaseStatus.CLOSED],
                "closed_on": [None, closed_on.isoformat()],
                "closure_reason": [None, reason.code],
                "closure_destination": ["", destination],
                **{name: [None, value] for name, value in ratings.items() if value is not None},
                **version,
            },
        )
    return case


def case_reopen(*, actor, case: Case, reason: str, expected_version: int | None = None) -> Case:
    """Reopen a closed case (managers): it returns to the status it had, its closure kept in the timeline."""
    require(actor, "cases.reopen", case.organisation_id)
    if case.is_open:
        raise ValidationError({"status": _("This case is open.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    others = Case.objects.filter(person_id=case.person_id, programme_id=case.programme_id).exclude(pk=case.pk)
    if others.exclude(status=CaseStatus.CLOSED).exists():
        raise ValidationError({"programme": _("This person already has an open case in this programme.")})
    closing = case.events.filter(kind=CaseEventKind.CLOSED).order_by("-happened_at", "-id").first()
    status = (closing.data.get("previous_status") if closing else None) or CaseStatus.INTAKE
    if status not in STATUS_FLOW or status == CaseStatus.CLOSED:
        status = CaseStatus.INTAKE
    if status == CaseStatus.ACTIVE and not has_consent(case.person, ConsentPurpose.SERVICES):
        status = CaseStatus.INTAKE
    cleared = {
        "closed_on": None,
        "closure_reason": None,
        "closure_note": "",
        "closure_destination": "",
        "exit_rated_on": None,
        "exit_social": None,
        "exit_knowledge": None,
        "exit_needs": None,
    }
    before = snapshot(case)
    closed_on, closure_reason = case.closed_on, case.closure_reason
    with transaction.atomic():
        check_version(case, expected_version)  # the new version is in the snapshot's changes below
        case.status = status
        for name, value in cleared.items():
            setattr(case, name, value)
        case.save(update_fields=["status", *cleared, "version", "updated_at"])
        _event(
            case,
            CaseEventKind.REOPENED,
            actor,
            reason=reason,
            status=status,
            closed_on=closed_on.isoformat() if closed_on else None,
            closure_reason=closure_reason.code if closure_reason else None,
        )
        _audit_case_change(
            actor,
            case,
            note=f"reopened: {reason}"[:500],
            changes=changes_between(before, snapshot(case)),
        )
    return case


def case_record_entry_outcomes(
    *,
    actor,
    case: Case,
    social: int,
    knowledge: int,
    needs: int,
    rated_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """Record (or correct) the child's entry ratings in the three outcome areas, to compare at exit."""
    _require_changeable(actor, case)
    ratings = _check_ratings(
        "entry", {"social": social, "knowledge": knowledge, "needs": needs}, required=True
    )
    rated_on = rated_on or timezone.localdate()
    _check_day(
        "rated_on",
        rated_on,
        not_before=case.referral_received_on,
        before_label=_("The entry ratings cannot come before the referral."),
    )
    fields = {"entry_rated_on": rated_on, **ratings}
    before = snapshot(case)
    for name, value in fields.items():
        setattr(case, name, value)
    changes = changes_between(before, snapshot(case))
    if not changes:
        return case
    with transaction.atomic():
        changes.update(check_version(case, expected_version))
        case.save(update_fields=[*fields, "version", "updated_at"])
        _event(case, CaseEventKind.UPDATED, actor, entry_ratings=ratings, rated_on=rated_on.isoformat())
        _audit_case_change(
            actor,
            case,
            changes=changes,
        )
    return case


def deadline_pause(
    *, actor, case: Case, reason: str, starts_on: dt.date | None = None, note: str = ""
) -> DeadlinePause:
    """Stop the first-plan clock for a documented family reason, from `starts_on` until it is resumed."""
    _require_changeable(actor, case)
    clock = DeadlineClock.FIRST_PLAN
    starts_on = starts_on or timezone.localdate()
    _check_day(
        "starts_on",
        starts_on,
        not_before=case.referral_received_on,
        before_label=_("The clock cannot pause before the referral was received."),
    )
    pauses = list(case.deadline_pauses.filter(clock=clock))
    if any(p.ends_on is None for p in pauses):
        raise ValidationError({"starts_on": _("The clock is already paused.")})
    if any(p.ends_on > starts_on for p in pauses):
        raise ValidationError({"starts_on": _("This pause would overlap an earlier one.")})
    if first_plan_clock(case, timezone.localdate()).state in (DeadlineState.MET, DeadlineState.MET_LATE):
        raise ValidationError({"__all__": _("The first plan is approved; its clock has stopped.")})
    if starts_on > first_plan_due_on(case, starts_on)[0]:
        raise ValidationError({"starts_on": _("The deadline had already passed on that day.")})
    pause = DeadlinePause(
        case=case,
        clock=clock,
        reason=reason,
        starts_on=starts_on,
        note=note.strip(),
        created_by=actor if actor.is_authenticated else None,
    )
    pause.full_clean()
    with transaction.atomic():
        pause.save()
        _event(
            case,
            CaseEventKind.DEADLINE_PAUSED,
            actor,
            clock=clock,
            reason=str(PauseReason(reason).label),
            reason_code=reason,
            starts_on=starts_on.isoformat(),
            note=pause.note,
        )
        audit_created(
            actor=actor, obj=pause, organisation=case.organisation_id, subject_person_id=case.person_id
        )
    return pause


def deadline_resume(*, actor, case: Case, ends_on: dt.date | None = None) -> DeadlinePause:
    """Restart the paused first-plan clock on `ends_on` (today by default)."""
    _require_changeable(actor, case)
    pause = case.deadline_pauses.filter(clock=DeadlineClock.FIRST_PLAN, ends_on__isnull=True).first()
    if pause is None:
        raise ValidationError({"__all__": _("The clock is not paused.")})
    ends_on = ends_on or timezone.localdate()
    _check_day(
        "ends_on",
        ends_on,
        not_before=pause.starts_on,
        before_label=_("A pause cannot end before it starts."),
    )
    pause.ends_on = ends_on
    pause.full_clean()
    days = (ends_on - pause.starts_on).days
    with transaction.atomic():
        pause.save(update_fields=["ends_on", "updated_at"])
        _event(
            case,
            CaseEventKind.DEADLINE_RESUMED,
            actor,
            clock=pause.clock,
            starts_on=pause.starts_on.isoformat(),
            ends_on=ends_on.isoformat(),
            days=days,
            detail=ngettext("%(days)s day paused", "%(days)s days paused", days) % {"days": days},
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=pause,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
            changes={"ends_on": [None, ends_on.isoformat()]},
        )
    return pause


def case_record_transition(
    *, actor, case: Case, step: str, happened_on: dt.date | None = None, note: str = ""
) -> CaseEvent:
    """Record a transition step (steps agreed, conference held, receiving service contacted)."""
    _require_changeable(actor, case)
    if step not in TransitionStep.values:
        raise ValidationError({"step": _("Choose a step from the list.")})
    happened_on = happened_on or timezone.localdate()
    _check_day(
        "happened_on",
        happened_on,
        not_before=case.referral_received_on,
        before_label=_("A transition step cannot come before the referral."),
    )
    with transaction.atomic():
        event = _event(
            case,
            CaseEventKind.TRANSITION,
            actor,
            step=step,
            on=happened_on.isoformat(),
            detail=str(TransitionStep(step).label),
            note=note.strip(),
        )
        audit_created(
            actor=actor, obj=event, organisation=case.organisation_id, subject_person_id=case.person_id
        )
    return event
