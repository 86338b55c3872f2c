"""Outcomes: dated changes in a person's life, recorded from a case, an appeal or a course."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.writes import create_audited
from tirek.cases.choices import CaseEventKind
from tirek.cases.models import Case, CaseEvent
from tirek.core.scoping import require
from tirek.support.choices import AppealEventKind
from tirek.support.models import Appeal, AppealEvent, Outcome
from tirek.support.services.checks import acting_user, check_person


def outcome_record(
    *,
    actor,
    organisation,
    person,
    kind: str,
    happened_on: dt.date | None = None,
    case: Case | None = None,
    note: str = "",
    check_permission: bool = True,
    appeal: Appeal | None = None,
) -> Outcome:
    """Record that `person` reached an outcome with `organisation`'s help; on the case's timeline and the
    appeal's history too.

    `check_permission=False` is for services that already checked their own capability and record an
    outcome as a consequence (a course completion)."""
    if check_permission:
        require(actor, "outcomes.record", organisation)
        check_person(organisation, person)
    happened_on = happened_on or timezone.localdate()
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("An outcome cannot be dated in the future.")})
    if case is not None and (case.organisation_id != organisation.pk or case.person_id != person.pk):
        raise ValidationError({"case": _("Choose a case of this person in this organisation.")})
    if appeal is not None and (appeal.organisation_id != organisation.pk or appeal.person_id != person.pk):
        raise ValidationError({"appeal": _("Choose an appeal of this person in this organisation.")})
    outcome = Outcome(
        organisation=organisation,
        person=person,
        kind=kind,
        happened_on=happened_on,
        case=case,
        appeal=appeal,
        note=note,
        created_by=acting_user(actor),
    )
    data = {"outcome": kind, "happened_on": str(happened_on)}
    with transaction.atomic():
        create_audited(actor=actor, instance=outcome, organisation=organisation, subject_person_id=person.pk)
        if case is not None:
            CaseEvent.objects.create(
                case=case, kind=CaseEventKind.OUTCOME_RECORDED, actor=outcome.created_by, data=data
            )
        if appeal is not None:
            AppealEvent.objects.create(
                appeal=appeal, kind=AppealEventKind.OUTCOME_RECORDED, actor=outcome.created_by, data=data
            )
    return outcome
