"""Writes to individual plans: drafting, goals and services, approval, entry into force, reviews, versions.

Each write checks who may do it, validates, and leaves its audit event; the acts the case's history needs
(drafted, approved, in force, reviewed, superseded) also leave a CaseEvent on the case timeline.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.choices import Role
from tirek.accounts.models import Membership
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record
from tirek.audit.writes import create_audited, update_audited
from tirek.cases.choices import CaseEventKind
from tirek.cases.models import Case
from tirek.cases.services import _event
from tirek.core.errors import NotAllowed
from tirek.core.scoping import can, require
from tirek.plans.choices import IN_FORCE_STATUSES, PENDING_STATUSES, GoalRating, PlanStatus
from tirek.plans.models import GoalProgress, Plan, PlanGoal, PlannedService, PlanReview

# Early-intervention practice: a plan is reviewed at least every six months, unless its programme says so.
REVIEW_INTERVAL_MONTHS = 6

PLAN_FIELDS = (
    "present_levels",
    "family_concerns",
    "family_priorities",
    "family_resources",
    "transition_steps",
    "coordinator",
)
GOAL_FIELDS = ("domain", "wording", "criterion", "target_date", "order")
SERVICE_FIELDS = (
    "service",
    "profession",
    "provider",
    "provider_name",
    "frequency",
    "frequency_period",
    "minutes",
    "mode",
    "location",
    "start_date",
    "family_consent",
    "consent_date",
)


def review_interval_months(case: Case) -> int:
    """How often the case's plans are reviewed: the programme's setting, else six months."""
    return getattr(case.programme, "review_months", None) or REVIEW_INTERVAL_MONTHS


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# -- who may write ---------------------------------------------------------------------------------------


def _is_manager(user, organisation_id) -> bool:
    return Role.MANAGER in user.roles(organisation_id)


def can_write_plans(user, case: Case, plan: Plan | None = None) -> bool:
    """Whether `user` may draft and edit the plans of `case`: its coordinator, the plan's author or
    coordinator, or a manager of the organisation — each holding "plans.write" there."""
    if not can(user, "plans.write", case.organisation_id):
        return False
    if _is_manager(user, case.organisation_id) or case.coordinator_id == user.pk:
        return True
    return plan is not None and user.pk in (plan.author_id, plan.coordinator_id)


def can_approve_plan(user, plan: Plan) -> bool:
    """Managers and coordinators approve plans; a manager may approve their own, a coordinator only a plan
    someone else wrote (the four-eyes rule)."""
    organisation_id = plan.case.organisation_id
    if not can(user, "plans.approve", organisation_id):
        return False
    return plan.author_id != user.pk or _is_manager(user, organisation_id)


def _require_writer(actor, case: Case, plan: Plan | None = None) -> None:
    require(actor, "plans.write", case.organisation_id)
    if not can_write_plans(actor, case, plan):
        raise NotAllowed("plans.write")


def can_create_plans(user, case: Case) -> bool:
    """A new plan (or version) is drafted by the case's coordinator or a manager."""
    if not can(user, "plans.write", case.organisation_id):
        return False
    return _is_manager(user, case.organisation_id) or case.coordinator_id == user.pk


def _require_creator(actor, case: Case) -> None:
    require(actor, "plans.write", case.organisation_id)
    if not can_create_plans(actor, case):
        raise NotAllowed("plans.write")


# -- checks ----------------------------------------------------------------------------------------------


def _require_open_case(case: Case) -> None:
    if not case.is_open:
        raise ValidationError({"case": _("The case is closed: its plans cannot change.")})


def _require_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft plan can be changed; make a new version instead.")})


def _check_member(case: Case, user, field: str) -> None:
    if user is None:
        return
    if not Membership.objects.filter(
        organisation_id=case.organisation_id, user=user, is_active=True
    ).exists():
        raise ValidationError({field: _("Choose an active member of the organisation.")})


def _check_not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _levels(value: Any) -> Any:
    """Present levels with empty domains left out; anything malformed is left for `full_clean` to refuse."""
    if not isinstance(value, Mapping) or not all(isinstance(text, str) for text in value.values()):
        return value
    return {domain: text.strip() for domain, text in value.items() if text.strip()}


def _audit_update(actor, plan: Plan, changes: dict, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=plan,
        organisation=plan.case.organisation_id,
        subject_person_id=plan.case.person_id,
        changes=changes,
        note=note,
    )


def _touch(plan: Plan) -> None:
    """Mark the plan changed when one of its goals or services changes."""
    plan.save(update_fields=["updated_at"])


# -- drafting --------------------------------------------------------------------------------------------


def _draft(actor, case: Case, *, copied_from: Plan | None = None, **fields: Any) -> Plan:
    fields.setdefault("coordinator", case.coordinator)
    fields["present_levels"] = _levels(fields.get("present_levels") or {})
    _check_member(case, fields["coordinator"], "coordinator")
    # The case row is locked so that two drafts of the same case cannot be numbered alike.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if case.plans.filter(status__in=PENDING_STATUSES).exists():
        raise ValidationError(
            {"status": _("This case already has a plan in preparation: finish or discard it first.")}
        )
    plan = Plan(case=case, author=actor, status=PlanStatus.DRAFT, number=0, **fields)
    plan.full_clean(exclude=["number"])
    plan.number = (case.plans.aggregate(last=Max("number"))["last"] or 0) + 1
    plan.save()
    data: dict[str, Any] = {"number": plan.number}
    if copied_from is not None:
        data["copied_from"] = copied_from.number
    _event(case, CaseEventKind.PLAN_CREATED, actor, **data)
    audit_created(actor=actor, obj=plan, organisation=case.organisation_id, subject_person_id=case.person_id)
    return plan


def plan_create(*, actor, case: Case, **fields: Any) -> Plan:
    """Draft a new plan for `case` (its coordinator or a manager); one plan is prepared at a time."""
    _require_creator(actor, case)
    _require_open_case(case)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    with transaction.atomic():
        return _draft(actor, case, **fields)


def plan_update(*, actor, plan: Plan, expected_version: int | None = None, **fields: Any) -> Plan:
    """Change a draft plan's present levels, the family's view, transition steps or coordinator; given
    `expected_version`, refused with Conflict when the plan was saved since."""
    case = plan.case
    _require_writer(actor, case, plan)
    _require_open_case(case)
    _require_draft(plan)
    if "present_levels" in fields:
        fields["present_levels"] = _levels(fields["present_levels"])
    if "coordinator" in fields:
        _check_member(case, fields["coordinator"], "coordinator")
    return update_audited(
        actor=actor,
        instance=plan,
        data=fields,
        fields=PLAN_FIELDS,
        organisation=case.organisation_id,
        subject_person_id=case.person_id,
        expected_version=expected_version,
    )


def plan_discard(*, actor, plan: Plan) -> None:
    """Delete a draft that will not be approved (a plan once approved stays on record)."""
    case = plan.case
    _require_writer(actor, case, plan)
    _require_draft(plan)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=plan,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
        )
        plan.delete()


def plan_new_version(*, actor, plan: Plan) -> Plan:
    """A draft copy of the plan in force, to be changed, approved and put in force in its place.

    Goals and services are copied; the family's consent to each service is asked for again.
    """
    case = plan.case
    _require_creator(actor, case)
    _require_open_case(case)
    if plan.status not in IN_FORCE_STATUSES:
        raise ValidationError({"status": _("Only the plan in force can be copied into a new version.")})
    organisation_id, person_id = case.organisation_id, case.person_id
    with transaction.atomic():
        draft = _draft(
            actor,
            case,
            copied_from=plan,
            present_levels=dict(plan.present_levels or {}),
            family_concerns=plan.family_concerns,
            family_priorities=plan.family_priorities,
            family_resources=plan.family_resources,
            transition_steps=plan.transition_steps,
            coordinator=plan.coordinator,
        )
        for goal in plan.goals.all():
            copy = PlanGoal(plan=draft, **{name: getattr(goal, name) for name in GOAL_FIELDS})
            create_audited(
                actor=actor, instance=copy, organisation=organisation_id, subject_person_id=person_id
            )
        for service in plan.services.all():
            values = {name: getattr(service, name) for name in SERVICE_FIELDS}
            values.update(family_consent=False, consent_date=None)
            copy = PlannedService(plan=draft, **values)
            create_audited(
                actor=actor, instance=copy, organisation=organisation_id, subject_person_id=person_id
            )
    return draft


# -- goals and planned services: the parts of a draft ---------------------------------------------------


def _editable(actor, plan: Plan) -> Case:
    """The plan's case, once it is sure `actor` may change this draft of an open case."""
    case = plan.case
    _require_writer(actor, case, plan)
    _require_open_case(case)
    _require_draft(plan)
    return case


def _part_add(actor, plan: Plan, instance, fields: Mapping[str, Any], allowed) -> None:
    case = plan.case
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    with transaction.atomic():
        create_audited(
            actor=actor,
            instance=instance,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
        )
        _touch(plan)


def _part_update(actor, plan: Plan, instance, fields: Mapping[str, Any], allowed) -> None:
    case = plan.case
    with transaction.atomic():
        update_audited(
            actor=actor,
            instance=instance,
            data=fields,
            fields=allowed,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
        )
        _touch(plan)


def _part_remove(actor, plan: Plan, instance) -> None:
    case = plan.case
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=instance,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
        )
        instance.delete()
        _touch(plan)


def plan_goal_add(*, actor, plan: Plan, order: int | None = None, **fields: Any) -> PlanGoal:
    _editable(actor, plan)
    if order is None:
        order = (plan.goals.aggregate(last=Max("order"))["last"] or 0) + 1
    goal = PlanGoal(plan=plan, order=order, **{k: v for k, v in fields.items() if k in GOAL_FIELDS})
    _part_add(actor, plan, goal, fields, GOAL_FIELDS)
    return goal


def plan_goal_update(*, actor, goal: PlanGoal, **fields: Any) -> PlanGoal:
    _editable(actor, goal.plan)
    _part_update(actor, goal.plan, goal, fields, GOAL_FIELDS)
    return goal


def plan_goal_remove(*, actor, goal: PlanGoal) -> None:
    _editable(actor, goal.plan)
    _part_remove(actor, goal.plan, goal)


def _check_service(case: Case, values: Mapping[str, Any], old: PlannedService | None = None) -> None:
    """Catalog entries still in use, a provider of the organisation, and a consent not dated ahead."""
    for field in ("service", "profession"):
        item = values.get(field)
        if (
            item is not None
            and not item.is_active
            and (old is None or getattr(old, f"{field}_id") != item.pk)
        ):
            raise ValidationError({field: _("This entry of the reference data is no longer in use.")})
    if values.get("provider") is not None:
        _check_member(case, values["provider"], "provider")
    _check_not_future(values.get("consent_date"), "consent_date")


def planned_service_add(*, actor, plan: Plan, **fields: Any) -> PlannedService:
    case = _editable(actor, plan)
    _check_service(case, fields)
    service = PlannedService(plan=plan, **{k: v for k, v in fields.items() if k in SERVICE_FIELDS})
    _part_add(actor, plan, service, fields, SERVICE_FIELDS)
    return service


def planned_service_update(*, actor, service: PlannedService, **fields: Any) -> PlannedService:
    case = _editable(actor, service.plan)
    _check_service(case, fields, old=service)
    _part_update(actor, service.plan, service, fields, SERVICE_FIELDS)
    return service


def planned_service_remove(*, actor, service: PlannedService) -> None:
    _editable(actor, service.plan)
    _part_remove(actor, service.plan, service)


# -- approval, entry into force, review -------------------------------------------------------------------


def plan_approve(*, actor, plan: Plan, approved_on: dt.date | None = None) -> Plan:
    """A manager or another coordinator approves a draft that has goals and the family's consent to every
    planned service.

    The first review falls due six months after approval (the programme's review interval).
    """
    case = plan.case
    require(actor, "plans.approve", case.organisation_id)
    if not can_approve_plan(actor, plan):
        raise NotAllowed("plans.approve")
    _require_open_case(case)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft plan can be approved.")})
    approved_on = approved_on or timezone.localdate()
    _check_not_future(approved_on, "approved_on")
    if approved_on < case.opened_on:
        raise ValidationError({"approved_on": _("A plan cannot be approved before the case was opened.")})
    if not plan.goals.exists():
        raise ValidationError({"goals": _("Add at least one goal before the plan is approved.")})
    without_consent = [str(s) for s in plan.services.select_related("service").filter(family_consent=False)]
    if without_consent:
        raise ValidationError(
            {
                "services": _("Record the family's consent to every planned service first: %(services)s.")
                % {"services": ", ".join(without_consent)}
            }
        )
    later = plan.services.filter(consent_date__gt=approved_on).exists()
    if later:
        raise ValidationError({"approved_on": _("The family consented to a service after this date.")})
    old = plan.status
    with transaction.atomic():
        plan.status = PlanStatus.APPROVED
        plan.approved_by = actor
        plan.approved_on = approved_on
        plan.review_due_on = add_months(approved_on, review_interval_months(case))
        plan.save(update_fields=["status", "approved_by", "approved_on", "review_due_on", "updated_at"])
        _event(
            case,
            CaseEventKind.PLAN_APPROVED,
            actor,
            number=plan.number,
            approved_on=str(approved_on),
            review_due_on=str(plan.review_due_on),
        )
        _audit_update(
            actor,
            plan,
            {
                "status": [old, plan.status],
                "approved_by": [None, str(actor.pk)],
                "approved_on": [None, str(approved_on)],
                "review_due_on": [None, str(plan.review_due_on)],
            },
            note="plan approved",
        )
    return plan


def plan_activate(*, actor, plan: Plan, active_from: dt.date | None = None) -> Plan:
    """Put an approved plan in force; the plan in force until then is superseded by it."""
    case = plan.case
    _require_writer(actor, case, plan)
    _require_open_case(case)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved plan can be put in force.")})
    active_from = active_from or timezone.localdate()
    _check_not_future(active_from, "active_from")
    if active_from < plan.approved_on:
        raise ValidationError({"active_from": _("A plan cannot be in force before it is approved.")})
    with transaction.atomic():
        previous = (
            case.plans.select_for_update().filter(status__in=IN_FORCE_STATUSES).exclude(pk=plan.pk).first()
        )
        if previous is not None:
            if active_from < (previous.active_from or active_from):
                raise ValidationError(
                    {"active_from": _("The new plan cannot be in force before the plan it replaces.")}
                )
            old_status = previous.status
            previous.status = PlanStatus.SUPERSEDED
            previous.superseded_by = plan
            previous.superseded_on = active_from
            previous.save(update_fields=["status", "superseded_by", "superseded_on", "updated_at"])
            _event(
                case, CaseEventKind.PLAN_SUPERSEDED, actor, number=previous.number, superseded_by=plan.number
            )
            _audit_update(
                actor,
                previous,
                {
                    "status": [old_status, PlanStatus.SUPERSEDED],
                    "superseded_by": [None, str(plan.pk)],
                    "superseded_on": [None, str(active_from)],
                },
                note="plan superseded",
            )
        plan.status = PlanStatus.ACTIVE
        plan.active_from = active_from
        plan.save(update_fields=["status", "active_from", "updated_at"])
        data: dict[str, Any] = {"number": plan.number, "active_from": str(active_from)}
        if previous is not None:
            data["replaces"] = previous.number
        _event(case, CaseEventKind.PLAN_ACTIVATED, actor, **data)
        _audit_update(
            actor,
            plan,
            {"status": [PlanStatus.APPROVED, PlanStatus.ACTIVE], "active_from": [None, str(active_from)]},
            note="plan in force",
        )
    return plan


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _ratings(plan: Plan, ratings: Iterable[Mapping[str, Any]]) -> list[GoalProgress]:
    goals = {goal.pk: goal for goal in plan.goals.all()}
    progress: dict[Any, GoalProgress] = {}
    for row in ratings:
        goal_id = _uuid(getattr(row.get("goal"), "pk", row.get("goal")))
        if goal_id not in goals:
            raise ValidationError({"ratings": _("Rate only the goals of this plan.")})
        if goal_id in progress:
            raise ValidationError({"ratings": _("Rate each goal once.")})
        rating = row.get("rating") or ""
        if rating not in GoalRating.values:
            raise ValidationError(
                {"ratings": _("Choose the progress of the goal “%(goal)s”.") % {"goal": goals[goal_id]}}
            )
        progress[goal_id] = GoalProgress(
            goal=goals[goal_id], rating=rating, note=(row.get("note") or "").strip()
        )
    missing = [str(goal) for pk, goal in goals.items() if pk not in progress]
    if missing:
        raise ValidationError(
            {"ratings": _("Rate every goal of the plan; missing: %(goals)s.") % {"goals": "; ".join(missing)}}
        )
    return list(progress.values())


def plan_review(
    *,
    actor,
    plan: Plan,
    ratings: Iterable[Mapping[str, Any]],
    summary: str = "",
    reviewed_on: dt.date | None = None,
    next_review_due_on: dt.date | None = None,
) -> PlanReview:
    """Review the plan in force: a progress rating for every goal; the next review falls due six months
    later unless another date is given.

    `ratings` are mappings with "goal" (a goal or its id), "rating" (GoalRating) and an optional "note".
    """
    case = plan.case
    _require_writer(actor, case, plan)
    _require_open_case(case)
    if plan.status not in IN_FORCE_STATUSES:
        raise ValidationError({"status": _("Only the plan in force can be reviewed.")})
    reviewed_on = reviewed_on or timezone.localdate()
    _check_not_future(reviewed_on, "reviewed_on")
    if plan.active_from and reviewed_on < plan.active_from:
        raise ValidationError({"reviewed_on": _("A plan cannot be reviewed before it is in force.")})
    progress = _ratings(plan, ratings)
    review = PlanReview(
        plan=plan,
        reviewed_on=reviewed_on,
        reviewer=actor,
        summary=summary.strip(),
        next_review_due_on=next_review_due_on or add_months(reviewed_on, review_interval_months(case)),
    )
    review.full_clean()
    old_status, old_due = plan.status, plan.review_due_on
    with transaction.atomic():
        review.save()
        for row in progress:
            row.review = review
            row.full_clean()
        GoalProgress.objects.bulk_create(progress)
        plan.status = PlanStatus.REVIEWED
        plan.review_due_on = review.next_review_due_on
        plan.save(update_fields=["status", "review_due_on", "updated_at"])
        _event(
            case,
            CaseEventKind.PLAN_REVIEWED,
            actor,
            number=plan.number,
            reviewed_on=str(reviewed_on),
            next_review_due_on=str(review.next_review_due_on),
        )
        audit_created(
            actor=actor, obj=review, organisation=case.organisation_id, subject_person_id=case.person_id
        )
        _audit_update(
            actor,
            plan,
            {
                "status": [old_status, plan.status],
                "review_due_on": [str(old_due) if old_due else None, str(plan.review_due_on)],
            },
            note="plan reviewed",
        )
    return review
