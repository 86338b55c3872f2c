"""Each programme's deadline settings: the early-intervention defaults, editable by its managers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tirek.directory.services import programme_create, programme_update


def test_a_new_early_intervention_programme_gets_the_practice_defaults(cast):
    response = cast.client(cast.manager_a).post(
        "/api/v1/programmes/",
        {
            "name_kk": "Ерте көмек",
            "name_ru": "Ранняя помощь 2",
            "kind": "early_intervention",
            "max_age_months": 36,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["first_plan_days"], body["review_months"], body["assessment_every_months"]) == (45, 6, None)
    assert (body["transition_from_months"], body["conference_by_months"]) == (27, 33)
    other = programme_create(
        actor=cast.manager_a,
        organisation=cast.almaty,
        name_kk="Отбасы",
        name_ru="Семья",
        kind="family_strengthening",
    )
    assert (other.first_plan_days, other.transition_from_months) == (45, None)


def test_a_manager_edits_the_deadline_settings_and_they_must_make_sense(cast):
    programme = programme_update(
        actor=cast.manager_a, programme=cast.programme_a, first_plan_days=30, assessment_every_months=3
    )
    assert (programme.first_plan_days, programme.assessment_every_months) == (30, 3)
    with pytest.raises(ValidationError) as refused:
        programme_update(actor=cast.manager_a, programme=cast.programme_a, conference_by_months=33)
    assert "transition_from_months" in refused.value.message_dict
    cast.programme_a.refresh_from_db()
    with pytest.raises(ValidationError) as late:
        programme_update(
            actor=cast.manager_a,
            programme=cast.programme_a,
            transition_from_months=27,
            conference_by_months=40,
        )
    assert "conference_by_months" in late.value.message_dict
    cast.programme_a.refresh_from_db()
    with pytest.raises(ValidationError):
        programme_update(actor=cast.manager_a, programme=cast.programme_a, first_plan_days=0)


def test_the_api_refuses_a_transition_after_the_exit_age(cast):
    response = cast.client(cast.manager_a).patch(
        f"/api/v1/programmes/{cast.programme_a.pk}/",
        {"transition_from_months": 36},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "transition_from_months" in response.json()["error"]["fields"]
