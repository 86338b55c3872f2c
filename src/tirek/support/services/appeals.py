"""Appeals: registration (full and helpline quick intake), assignment, the way to an answer, deadlines.

Every act writes an AppealEvent (the appeal's visible history) and an AuditEvent; linking a case writes the
case's timeline too. Assigning notifies the assignee (the e-mail goes after the commit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record, changes_between, snapshot
from tirek.audit.writes import create_audited, update_audited
from tirek.cases.choices import CaseEventKind
from tirek.cases.models import Case, CaseEvent
from tirek.core.phones import phone_typed
from tirek.core.scoping import require
from tirek.notifications.choices import NotificationKind
from tirek.notifications.services import notify
from tirek.support.choices import (
    APPEAL_FLOW,
    DEFAULT_DEADLINE_DAYS,
    AppealCategory,
    AppealChannel,
    AppealEventKind,
    AppealStatus,
)
from tirek.support.models import Appeal, AppealCounter, AppealDeadline, AppealEvent
from tirek.support.services.checks import (
    acting_user,
    check_case,
    check_family,
    check_member,
    check_person,
    org_id,
)
from tirek.support.services.outcomes import outcome_record

APPEAL_PREFIX = "A"
# What appeal_update may change; the due date only with appeals.manage_deadlines.
APPEAL_FIELDS = ("category", "channel", "text", "caller", "caller_phone", "person", "family", "received_at")
# Received this long ago at most: older papers are registered as of today with a note.
OLDEST_DAYS = 366


# --- deadlines --------------------------------------------------------------------------------------------


def deadline_days(organisation, category: str) -> int:
    """Days to answer an appeal of `category` in `organisation`: its own setting, else the default."""
    own = (
        AppealDeadline.objects.filter(organisation_id=org_id(organisation), category=category)
        .values_list("days", flat=True)
        .first()
    )
    return own or DEFAULT_DEADLINE_DAYS[AppealCategory(category)]


def due_date(organisation, category: str, received_at: dt.datetime) -> dt.date:
    return timezone.localdate(received_at) + dt.timedelta(days=deadline_days(organisation, category))


def appeal_deadline_set(*, actor, organisation, category: str, days: int) -> AppealDeadline:
    """Set how many days `organisation` gives itself to answer appeals of `category` (new appeals only)."""
    require(actor, "appeals.manage_deadlines", organisation)
    if category not in AppealCategory.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    existing = AppealDeadline.objects.filter(organisation_id=org_id(organisation), category=category).first()
    if existing is None:
        return create_audited(
            actor=actor,
            instance=AppealDeadline(organisation_id=org_id(organisation), category=category, days=days),
            organisation=organisation,
        )
    return update_audited(
        actor=actor, instance=existing, data={"days": days}, fields=["days"], organisation=organisation
    )


# --- registration -----------------------------------------------------------------------------------------


def _event(appeal: Appeal, kind: str, actor, **data: Any) -> AppealEvent:
    return AppealEvent.objects.create(appeal=appeal, kind=kind, actor=acting_user(actor), data=data)


def _next_number(organisation, year: int) -> str:
    counter, _created = AppealCounter.objects.select_for_update().get_or_create(
        organisation_id=org_id(organisation), year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{APPEAL_PREFIX}-{year}-{counter.last:05d}"


def _check_received(received_at: dt.datetime) -> None:
    now = timezone.now()
    if received_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("An appeal cannot be received in the future.")})
    if received_at < now - dt.timedelta(days=OLDEST_DAYS):
        raise ValidationError({"received_at": _("An appeal older than a year cannot be registered.")})


def _notify_assignee(appeal: Appeal, actor) -> None:
    if appeal.assignee_id is None or appeal.assignee_id == getattr(actor, "pk", None):
        return
    notify(
        recipients=[appeal.assignee],
        kind=NotificationKind.APPEAL_ASSIGNED,
        organisation=appeal.organisation_id,
        link=reverse("support:appeal_detail", args=[appeal.pk]),
        number=appeal.number,
        due=appeal.due_on,
    )


def _link_case_event(appeal: Appeal, case: Case, actor) -> None:
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.APPEAL_LINKED,
        actor=acting_user(actor),
        data={"appeal": str(appeal.pk), "detail": appeal.number},
    )


def appeal_register(
    *,
    actor,
    organisation,
    category: str,
    channel: str,
    text: str,
    received_at: dt.datetime | None = None,
    person=None,
    caller: str = "",
    caller_phone: str = "",
    family=None,
    assignee=None,
    case: Case | None = None,
) -> Appeal:
    """Register an appeal of a person the organisation serves, or of an anonymous caller (no person is
    ever created for them); its due date follows from the category's deadline."""
    require(actor, "appeals.register", organisation)
    check_person(organisation, person)
    check_family(organisation, family)
    check_member(organisation, assignee, "assignee")
    check_case(organisation, case, person)
    received_at = received_at or timezone.now()
    _check_received(received_at)
    if category not in AppealCategory.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    appeal = Appeal(
        organisation_id=org_id(organisation),
        person=person,
        caller=(caller or "").strip(),
        caller_phone=phone_typed(caller_phone),
        family=family,
        category=category,
        channel=channel,
        received_at=received_at,
        text=(text or "").strip(),
        assignee=assignee,
        due_on=due_date(organisation, category, received_at),
        case=case,
        created_by=acting_user(actor),
    )
    with transaction.atomic():
        appeal.number = _next_number(organisation, timezone.localdate(received_at).year)
        create_audited(
            actor=actor, instance=appeal, organisation=organisation, subject_person_id=appeal.person_id
        )
        _event(appeal, AppealEventKind.REGISTERED, actor, channel=channel, category=category)
        if assignee is not None:
            _event(
                appeal, AppealEventKind.ASSIGNED, actor, assignee=str(assignee), assignee_id=str(assignee.pk)
            )
            _notify_assignee(appeal, actor)
        if case is not None:
            _event(appeal, AppealEventKind.CASE_LINKED, actor, case=case.number)
            _link_case_event(appeal, case, actor)
    return appeal


def appeal_register_helpline(
    *,
    actor,
    organisation,
    category: str,
    text: str,
    channel: str = AppealChannel.HELPLINE_150,
    anonymous: bool = False,
    caller_name: str = "",
    caller_phone: str = "",
    person=None,
    received_at: dt.datetime | None = None,
) -> Appeal:
    """The helpline's quick intake: a call registered in under a minute. An anonymous caller stays
    anonymous: neither a person nor their name or phone is kept."""
    if anonymous:
        if person is not None:
            raise ValidationError({"person": _("An anonymous call cannot be linked to a person.")})
        caller = caller_name.strip() or _("anonymous")
        caller_phone = ""
    else:
        caller = caller_name.strip()
        if person is None and not caller and not caller_phone:
            raise ValidationError(
                {"anonymous": _("Give the caller's name or phone, choose a person, or tick anonymous.")}
            )
    return appeal_register(
        actor=actor,
        organisation=organisation,
        category=category,
        channel=channel,
        text=text,
        received_at=received_at,
        person=person,
        caller=caller,
        caller_phone=caller_phone,
    )


# --- handling ---------------------------------------------------------------------------------------------


def _require_handler(actor, appeal: Appeal) -> None:
    require(actor, "appeals.handle", appeal.organisation_id)


def _closing_day(appeal: Appeal, closed_on: dt.date | None) -> dt.date:
    """The day an appeal is answered: today, or an earlier day (a paper journal entered later)."""
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("An appeal cannot be closed in the future.")})
    if closed_on < timezone.localdate(appeal.received_at):
        raise ValidationError({"closed_on": _("An appeal cannot be closed before it was received.")})
    return closed_on


def _change(actor, appeal: Appeal, kind: str, data: dict, **fields: Any) -> Appeal:
    """Set `fields` on `appeal` (validating what changed), save, and write its audit and history events."""
    before = snapshot(appeal)
    for name, value in fields.items():
        setattr(appeal, name, value)
    unchanged = [f.name for f in Appeal._meta.concrete_fields if f.name not in fields]
    appeal.full_clean(exclude=unchanged, validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        appeal.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=appeal,
            organisation=appeal.organisation_id,
            changes=changes_between(before, snapshot(appeal)),
            subject_person_id=appeal.person_id,
        )
        _event(appeal, kind, actor, **data)
    return appeal


def _move(actor, appeal: Appeal, status: str, kind: str, *, note: str = "", **fields: Any) -> Appeal:
    """Move `appeal` to `status` (if the flow allows), set `fields`, and write its event and audit."""
    _require_handler(actor, appeal)
    if status not in APPEAL_FLOW[AppealStatus(appeal.status)]:
        raise ValidationError(
            {
                "status": _("An appeal that is %(current)s cannot become %(new)s.")
                % {
                    "current": AppealStatus(appeal.status).label,
                    "new": AppealStatus(status).label,
                }
            }
        )
    data = {"old": appeal.status, "new": status}
    if note:
        data["note"] = note
    return _change(actor, appeal, kind, data, status=status, **fields)


def appeal_assign(*, actor, appeal: Appeal, assignee) -> Appeal:
    """Give the appeal to a member of the organisation; they are notified."""
    _require_handler(actor, appeal)
    if not appeal.is_open:
        raise ValidationError({"assignee": _("A closed appeal cannot be reassigned.")})
    if assignee is None:
        raise ValidationError({"assignee": _("Choose an active member of the organisation.")})
    check_member(appeal.organisation_id, assignee, "assignee")
    if appeal.assignee_id == assignee.pk:
        return appeal
    with transaction.atomic():
        data = {"assignee": str(assignee), "assignee_id": str(assignee.pk)}
        _change(actor, appeal, AppealEventKind.ASSIGNED, data, assignee=assignee)
        _notify_assignee(appeal, actor)
    return appeal


def appeal_start(*, actor, appeal: Appeal) -> Appeal:
    """Take the appeal into work; an unassigned appeal becomes the actor's."""
    with transaction.atomic():
        if appeal.assignee_id is None:
            appeal_assign(actor=actor, appeal=appeal, assignee=actor)
        return _move(actor, appeal, AppealStatus.IN_PROGRESS, AppealEventKind.STARTED)


def appeal_forward(*, actor, appeal: Appeal, to_organisation, note: str = "") -> Appeal:
    """Send the appeal on to the organisation that can answer it (an akimat, a housing department …); it
    stays open here until the answer is known."""
    if to_organisation is None or org_id(to_organisation) == appeal.organisation_id:
        _require_handler(actor, appeal)
        raise ValidationError({"forwarded_to": _("Choose another organisation.")})
    return _move(
        actor,
        appeal,
        AppealStatus.FORWARDED,
        AppealEventKind.FORWARDED,
        note=note,
        forwarded_to=to_organisation,
        forward_note=note,
    )


def appeal_resolve(
    *,
    actor,
    appeal: Appeal,
    resolution: str,
    result: str,
    outcome_kind: str = "",
    outcome_on: dt.date | None = None,
    closed_on: dt.date | None = None,
) -> Appeal:
    """Close the appeal with its answer; with `outcome_kind`, record the person's outcome too."""
    if outcome_kind and appeal.person_id is None:
        _require_handler(actor, appeal)
        raise ValidationError(
            {"outcome_kind": _("An anonymous appeal has no person to record an outcome for.")}
        )
    with transaction.atomic():
        _move(
            actor,
            appeal,
            AppealStatus.RESOLVED,
            AppealEventKind.RESOLVED,
            resolution=(resolution or "").strip(),
            result=result or "",
            closed_on=_closing_day(appeal, closed_on),
        )
        if outcome_kind:
            outcome_record(
                actor=actor,
                organisation=appeal.organisation,
                person=appeal.person,
                kind=outcome_kind,
                happened_on=outcome_on or closed_on,
                case=appeal.case,
                appeal=appeal,
            )
    return appeal


def appeal_reject(*, actor, appeal: Appeal, resolution: str, closed_on: dt.date | None = None) -> Appeal:
    """Close the appeal as rejected, saying why."""
    return _move(
        actor,
        appeal,
        AppealStatus.REJECTED,
        AppealEventKind.REJECTED,
        resolution=(resolution or "").strip(),
        closed_on=_closing_day(appeal, closed_on),
    )


def appeal_withdraw(*, actor, appeal: Appeal, note: str = "", closed_on: dt.date | None = None) -> Appeal:
    """Close the appeal because the person took it back."""
    return _move(
        actor,
        appeal,
        AppealStatus.WITHDRAWN,
        AppealEventKind.WITHDRAWN,
        note=note,
        resolution=(note or appeal.resolution).strip(),
        closed_on=_closing_day(appeal, closed_on),
    )


def appeal_link_case(*, actor, appeal: Appeal, case: Case) -> Appeal:
    """Link the appeal to the organisation's case of its person; on the case's timeline too."""
    _require_handler(actor, appeal)
    if case is None:
        raise ValidationError({"case": _("Choose a case of this person in this organisation.")})
    check_case(appeal.organisation_id, case, appeal.person)
    if appeal.case_id == case.pk:
        return appeal
    with transaction.atomic():
        _change(actor, appeal, AppealEventKind.CASE_LINKED, {"case": case.number}, case=case)
        _link_case_event(appeal, case, actor)
    return appeal


def appeal_update(*, actor, appeal: Appeal, expected_version: int | None = None, **fields: Any) -> Appeal:
    """Correct an open appeal's details; moving its due date needs appeals.manage_deadlines. Given
    `expected_version`, refused with Conflict when the appeal was saved since."""
    _require_handler(actor, appeal)
    allowed = list(APPEAL_FIELDS)
    if "due_on" in fields and fields["due_on"] != appeal.due_on:
        require(actor, "appeals.manage_deadlines", appeal.organisation_id)
        allowed.append("due_on")
    elif "due_on" in fields:
        fields.pop("due_on")
    if not appeal.is_open:
        raise ValidationError(_("A closed appeal cannot be changed."))
    if "person" in fields:
        check_person(appeal.organisation_id, fields["person"])
        if appeal.case_id and fields["person"] != appeal.person:
            raise ValidationError({"person": _("The appeal is linked to a case of its person.")})
    if "family" in fields:
        check_family(appeal.organisation_id, fields["family"])
    if "received_at" in fields:
        _check_received(fields["received_at"])
    for name in ("caller", "caller_phone", "text"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    if "caller_phone" in fields:
        fields["caller_phone"] = phone_typed(fields["caller_phone"])
    before = snapshot(appeal)
    with transaction.atomic():
        update_audited(
            actor=actor,
            instance=appeal,
            data=fields,
            fields=allowed,
            organisation=appeal.organisation_id,
            subject_person_id=appeal.person_id or before["person"],
            expected_version=expected_version,
        )
        changes = changes_between(before, snapshot(appeal))
        changes.pop("version", None)
        if changes:
            _event(appeal, AppealEventKind.UPDATED, actor, fields=sorted(changes))
    return appeal
