"""Writes to assessments and instruments: recording and correcting an assessment (scored by its instrument's
rule), and the administrators' additions to the instruments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import Membership
from tirek.assessments.models import Assessment, Instrument, InstrumentItem
from tirek.assessments.scoring import ScoringContext, evaluate
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_created, audit_record, changes_between, snapshot
from tirek.audit.writes import create_audited
from tirek.cases.choices import CaseEventKind
from tirek.cases.models import Case
from tirek.cases.services import _event
from tirek.core.errors import NotAllowed
from tirek.core.scoping import require
from tirek.people.access import can_see_health

UPDATABLE_FIELDS = ("assessed_on", "answers", "profession", "notes", "follow_up_score")


def check_recorder(actor, case: Case) -> None:
    """Raise a 403 unless `actor` may record assessments in this case: the capability in the case's
    organisation, and the right to read the child's health data (the case team and the managers)."""
    require(actor, "assessments.record", case.organisation_id)
    if not can_see_health(actor, case.person):
        raise NotAllowed("assessments of a case outside the user's team")


def scoring_context(*, case: Case, instrument: Instrument, assessed_on: dt.date, follow_up_score=None):
    """What the instrument's rule needs to know about the child on the day of the assessment."""
    person = case.person
    age_days = (assessed_on - person.birth_date).days if person.birth_date else None
    return ScoringContext(
        age_days=age_days,
        age_months=person.age_in_months(assessed_on),
        gestation_weeks=person.gestation_weeks,
        follow_up_score=follow_up_score,
        min_age_months=instrument.min_age_months,
        max_age_months=instrument.max_age_months,
        parameters=instrument.scoring_parameters or {},
    )


def _check_date(case: Case, assessed_on: dt.date | None) -> None:
    if assessed_on is None:
        raise ValidationError({"assessed_on": _("Enter the date of the assessment.")})
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    if case.person.birth_date and assessed_on < case.person.birth_date:
        raise ValidationError({"assessed_on": _("The assessment date comes before the date of birth.")})


def _check_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError({"case": _("The case is closed: reopen it to record assessments.")})


def _profession_of(actor, organisation_id):
    membership = (
        Membership.objects.filter(user=actor, organisation_id=organisation_id, is_active=True)
        .select_related("profession")
        .first()
    )
    return membership.profession if membership else None


def _score(assessment: Assessment, answers: Any) -> None:
    """Check `answers` and put the clean answers, scores and interpretation on `assessment`."""
    instrument = assessment.instrument
    clean, result = evaluate(
        rule=instrument.scoring_rule,
        items=list(instrument.items.all()),
        answers=answers,
        context=scoring_context(
            case=assessment.case,
            instrument=instrument,
            assessed_on=assessment.assessed_on,
            follow_up_score=assessment.follow_up_score,
        ),
    )
    assessment.answers = clean
    assessment.scores = result.scores
    assessment.interpretation = result.interpretation


def assessment_record(
    *,
    actor,
    case: Case,
    instrument: Instrument,
    assessed_on: dt.date,
    answers: Any,
    profession=None,
    notes: str = "",
    follow_up_score: int | None = None,
) -> Assessment:
    """Record `instrument` applied to the child of `case`: checks the answers against the items, scores them
    and writes the assessment with its audit event and an "assessed" line on the case timeline."""
    check_recorder(actor, case)
    _check_open(case)
    if not instrument.is_active:
        raise ValidationError({"instrument": _("This instrument is no longer in use.")})
    _check_date(case, assessed_on)
    assessment = Assessment(
        case=case,
        instrument=instrument,
        assessed_on=assessed_on,
        assessor=actor,
        profession=profession or _profession_of(actor, case.organisation_id),
        follow_up_score=follow_up_score,
        notes=(notes or "").strip(),
    )
    _score(assessment, answers)
    assessment.full_clean()
    with transaction.atomic():
        assessment.save()
        _event(
            case,
            CaseEventKind.ASSESSED,
            actor,
            assessment=str(assessment.pk),
            instrument=instrument.code,
            interpretation=assessment.interpretation,
        )
        audit_created(
            actor=actor, obj=assessment, organisation=case.organisation_id, subject_person_id=case.person_id
        )
    return assessment


def assessment_update(*, actor, assessment: Assessment, **fields: Any) -> Assessment:
    """Correct an assessment or add the M-CHAT-R/F follow-up score; the scores are computed again.

    Only the fields given change (`follow_up_score=None` clears it). A changed interpretation is put on the
    case timeline.
    """
    case = assessment.case
    check_recorder(actor, case)
    _check_open(case)
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this field.") for name in sorted(unknown)})
    before = snapshot(assessment)
    old_interpretation = assessment.interpretation
    answers = fields.pop("answers", assessment.answers)
    for name, value in fields.items():
        setattr(assessment, name, value.strip() if name == "notes" and isinstance(value, str) else value)
    _check_date(case, assessment.assessed_on)
    _score(assessment, answers)
    assessment.full_clean()
    changes = changes_between(before, snapshot(assessment))
    if changes:
        with transaction.atomic():
            assessment.save()
            if assessment.interpretation != old_interpretation:
                _event(
                    case,
                    CaseEventKind.ASSESSED,
                    actor,
                    assessment=str(assessment.pk),
                    instrument=assessment.instrument.code,
                    interpretation=assessment.interpretation,
                    old=old_interpretation,
                    new=assessment.interpretation,
                )
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=assessment,
                organisation=case.organisation_id,
                subject_person_id=case.person_id,
                changes=changes,
            )
    return assessment


def instrument_item_add(
    *, actor, instrument: Instrument, number: int | None = None, **fields: Any
) -> InstrumentItem:
    """Add an item to an instrument (administrators); numbered after the last one unless `number` is given."""
    require(actor, "assessments.manage_instruments")
    if number is None:
        number = (instrument.items.aggregate(last=Max("number"))["last"] or 0) + 1
    item = InstrumentItem(instrument=instrument, number=number, **fields)
    return create_audited(actor=actor, instance=item)


def instrument_create(*, actor, items: list[dict] | tuple = (), **fields: Any) -> Instrument:
    """A new instrument with its items (administrators); errors in items come back as items.<n>.<field>."""
    require(actor, "assessments.manage_instruments")
    fields.setdefault("scoring_parameters", {})
    instrument = Instrument(**fields)
    instrument.full_clean()
    with transaction.atomic():
        instrument.save()
        audit_created(actor=actor, obj=instrument)
        for index, item_fields in enumerate(items):
            try:
                instrument_item_add(actor=actor, instrument=instrument, **item_fields)
            except ValidationError as exc:
                raise ValidationError(
                    {f"items.{index}.{name}": errors for name, errors in exc.message_dict.items()}
                ) from exc
    return instrument
