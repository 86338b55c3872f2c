from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tirek.audit.models import AuditEvent
from tirek.cases.models import CaseEvent
from tirek.core.errors import NotAllowed
from tirek.support.models import AppealEvent, Outcome
from tirek.support.selectors import outcome_list
from tirek.support.services import outcome_record


def test_an_outcome_from_a_case_is_on_the_case_timeline(cast, case, today):
    outcome = outcome_record(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=case.person,
        kind="returned_to_birth_family",
        case=case,
        happened_on=today - dt.timedelta(days=3),
    )
    event = CaseEvent.objects.get(case=case, kind="outcome_recorded")
    assert event.data == {
        "outcome": "returned_to_birth_family",
        "happened_on": str(today - dt.timedelta(days=3)),
    }
    assert event.actor == cast.coordinator_a
    assert AuditEvent.objects.filter(
        object_type="support.outcome", object_id=str(outcome.pk), subject_person_id=case.person_id
    ).exists()


def test_an_outcome_from_an_appeal_is_in_its_history(cast, appeal):
    outcome = outcome_record(
        actor=cast.specialist_a,
        organisation=cast.almaty,
        person=appeal.person,
        kind="job_found",
        appeal=appeal,
    )
    assert outcome.appeal == appeal and outcome.case is None
    assert AppealEvent.objects.filter(
        appeal=appeal, kind="outcome_recorded", data__outcome="job_found"
    ).exists()


def test_an_outcome_is_refused_for_the_wrong_person_date_or_role(
    cast, appeal, case, person_b, make_person, today
):
    other = make_person(surname="Ли")
    for kwargs in (
        {"person": other, "case": case},
        {"person": other, "appeal": appeal},
        {"person": person_b},
        {"person": case.person, "happened_on": today + dt.timedelta(days=1)},
    ):
        with pytest.raises(ValidationError):
            outcome_record(actor=cast.coordinator_a, organisation=cast.almaty, kind="job_found", **kwargs)
    for actor in (cast.analyst, cast.coordinator_b):
        with pytest.raises(NotAllowed):
            outcome_record(actor=actor, organisation=cast.almaty, person=case.person, kind="job_found")
    assert not Outcome.objects.exists()


def test_the_course_app_records_an_outcome_without_its_own_capability_check(cast, person, almaty_member):
    intake = almaty_member("intake")
    outcome = outcome_record(
        actor=intake, organisation=cast.almaty, person=person, kind="course_completed", check_permission=False
    )
    assert outcome.kind == "course_completed"


def test_the_outcome_list_filters_by_kind_and_period(cast, person, today):
    for kind, days in (("job_found", 40), ("job_found", 5), ("flat_allocated", 2)):
        outcome_record(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            person=person,
            kind=kind,
            happened_on=today - dt.timedelta(days=days),
        )
    assert outcome_list(user=cast.coordinator_a).count() == 3
    assert outcome_list(user=cast.coordinator_a, kind="job_found").count() == 2
    assert outcome_list(user=cast.coordinator_a, date_from=today - dt.timedelta(days=10)).count() == 2
    assert (
        outcome_list(user=cast.coordinator_a, kind="job_found", date_to=today - dt.timedelta(days=10)).count()
        == 1
    )
    assert outcome_list(user=cast.coordinator_b).count() == 0
