"""Writes to cases: opening (enrolment), status, team, closure — each with its CaseEvent and audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Membership
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record
from tirek.cases.choices import STATUS_FLOW, CaseEventKind, CaseStatus
from tirek.cases.models import Case, CaseCounter, CaseEvent
from tirek.core.errors import NotAllowed
from tirek.core.scoping import can, require
from tirek.people.choices import AccessReason, ConsentPurpose
from tirek.people.models import Person
from tirek.people.services import grant_access, has_consent


def _event(case: Case, kind: str, actor, **data: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor if actor and actor.is_authenticated else None, data=data
    )


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


def case_change_status(*, actor, case: Case, status: str) -> Case:
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
        case.status = status
        case.save(update_fields=["status", "updated_at"])
        _event(case, CaseEventKind.STATUS_CHANGED, actor, old=old, new=status)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
            changes={"status": [old, status]},
        )
    return case


def case_set_team(*, actor, case: Case, coordinator=None, team=()) -> Case:
    require(actor, "cases.change", case.organisation_id)
    if not case.is_open:
        raise ValidationError({"team": _("A closed case cannot be changed.")})
    _check_members(case.organisation, [u for u in [coordinator, *team] if u is not None])
    old_team = sorted(str(pk) for pk in case.team.values_list("pk", flat=True))
    new_team = sorted(str(u.pk) for u in team)
    old_coordinator = str(case.coordinator_id) if case.coordinator_id else None
    new_coordinator = str(coordinator.pk) if coordinator else None
    with transaction.atomic():
        changes = {}
        if old_coordinator != new_coordinator:
            case.coordinator = coordinator
            case.save(update_fields=["coordinator", "updated_at"])
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
        if changes:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=case,
                organisation=case.organisation_id,
                subject_person_id=case.person_id,
                changes=changes,
            )
    return case


def case_close(*, actor, case: Case, reason, closed_on: dt.date | None = None, note: str = "") -> Case:
    require(actor, "cases.change", case.organisation_id)
    if not case.is_open:
        raise ValidationError({"status": _("This case is already closed.")})
    if reason is None:
        raise ValidationError({"closure_reason": _("Say why the case is closed.")})
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
    old = case.status
    with transaction.atomic():
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case.closure_reason = reason
        case.closure_note = note
        case.save(update_fields=["status", "closed_on", "closure_reason", "closure_note", "updated_at"])
        _event(case, CaseEventKind.CLOSED, actor, reason=reason.name, note=note)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
            changes={"status": [old, CaseStatus.CLOSED], "closure_reason": [None, reason.code]},
        )
    return case
