from __future__ import annotations

import random

import pytest

from tirek.assessments.models import Assessment
from tirek.cases.models import CaseEvent
from tirek.cases.services import case_open
from tirek.operations.demo.assessments import load_demo_assessments
from tirek.people.models import ExternalReference


@pytest.fixture
def demo_cases(cast, register_child):
    """Demo children (DEMO- references) of 4 to 29 months in programme A, some without a coordinator."""
    rng = random.Random(7)
    cases = []
    for number in range(24):
        person = register_child(age_days=rng.randint(120, 880))
        ExternalReference.objects.create(
            organisation=cast.almaty, external_id=f"DEMO-{number:04d}", person=person
        )
        cases.append(
            case_open(
                actor=cast.manager_a,
                organisation=cast.almaty,
                person=person,
                programme=cast.programme_a,
                referral_source="polyclinic",
                coordinator=cast.coordinator_a if number % 3 else None,
            )
        )
    return cases


def test_the_demo_records_assessments_of_every_kind_once(cast, demo_cases):
    first = load_demo_assessments()
    assert set(first["created"]) >= {
        "developmental_profile",
        "mchat_rf",
        "who_motor_milestones",
        "icf_cy_profile",
        "audiological_screening",
    }
    assert first["assessments"] == sum(first["created"].values()) == Assessment.objects.count()
    assert CaseEvent.objects.filter(kind="assessed").count() == first["assessments"]
    assert set(Assessment.objects.values_list("assessor__username", flat=True)) == {"aigerim", "asel"}
    again = load_demo_assessments()
    assert again["created"] == {}
    assert again["assessments"] == first["assessments"]
