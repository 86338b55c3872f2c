"""The field-level rule for health data, proven role by role: a child's diagnoses, disability and assessments
are shown to the case team (its coordinator and the specialists on it) and to the organisation's managers,
and to nobody else who may see the child — not the intake operator, the administrator (who reads every
organisation's persons) nor a specialist who is not on the child's case (DESIGN.md §3). The analyst sees no
child at all."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tirek.accounts.models import Membership, User

# Written by hand from the rule: who of the own organisation sees the child's health data.
SEES_HEALTH = {
    "specialist": True,  # on the case's team
    "coordinator": True,  # coordinates the case
    "manager": True,
    "intake": False,
    "administrator": False,
}
# The analyst is not here: they see no person at all (the matrix's rule 4), let alone their health.
WHO = [*SEES_HEALTH, "specialist-off-team"]


@pytest.fixture
def client_for(world, sessions, db):
    def make(who: str) -> Client:
        client = Client()
        if who == "specialist-off-team":
            user = User.objects.create_user(username="off-team", active_organisation=world.own)
            Membership.objects.create(user=user, organisation=world.own, role="specialist")
            client.force_login(user)
            session = client.session
            from tirek.accounts.sessions import PASSED, SECOND_STEP

            session[SECOND_STEP] = PASSED
            session.save()
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[who]
        return client

    return make


def sees(who: str) -> bool:
    return SEES_HEALTH.get(who, False)


@pytest.mark.parametrize("who", WHO)
def test_the_person_in_the_api_carries_health_data_only_for_the_case_team_and_managers(
    world, client_for, who
):
    person = world.get("own", "person")
    response = client_for(who).get(f"/api/v1/persons/{person.pk}/")
    assert response.status_code == 200
    health = response.json()["health"]
    if sees(who):
        assert [d["diagnosis"] for d in health["diagnoses"]] == [world.get("own", "diagnosis").diagnosis.code]
        assert "disability_status" in health
    else:
        assert health is None


@pytest.mark.parametrize("who", WHO)
def test_the_person_list_never_carries_health_data(world, client_for, who):
    response = client_for(who).get("/api/v1/persons/")
    assert response.status_code == 200
    assert all(row["health"] is None for row in response.json()["results"])


@pytest.mark.parametrize("who", WHO)
def test_the_person_page_shows_health_data_only_to_the_case_team_and_managers(world, client_for, who):
    person = world.get("own", "person")
    response = client_for(who).get(reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert ('data-testid="health-data"' in page) is sees(who)
    assert (reverse("people:person_health", args=[person.pk]) in page) is sees(who)


@pytest.mark.parametrize("who", WHO)
def test_the_case_page_lists_assessments_only_to_the_case_team_and_managers(world, client_for, who):
    case, assessment = world.get("own", "case"), world.get("own", "assessment")
    response = client_for(who).get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    link = reverse("assessments:assessment_detail", args=[assessment.pk])
    assert (link in response.content.decode()) is sees(who)


@pytest.mark.parametrize("who", WHO)
def test_assessments_are_listed_and_opened_only_by_the_case_team_and_managers(world, client_for, who):
    client, assessment = client_for(who), world.get("own", "assessment")
    listed = client.get("/api/v1/assessments/")
    assert listed.status_code == 200
    ids = {row["id"] for row in listed.json()["results"]}
    assert (str(assessment.pk) in ids) is sees(who)
    opened = client.get(f"/api/v1/assessments/{assessment.pk}/")
    assert opened.status_code == (200 if sees(who) else 403)


@pytest.mark.parametrize("who", WHO)
def test_health_data_is_changed_only_by_the_case_team_and_managers(world, client_for, who):
    person = world.get("own", "person")
    client = client_for(who)
    response = client.post(
        f"/api/v1/persons/{person.pk}/diagnoses/", {"diagnosis": "F80.1"}, content_type="application/json"
    )
    assert response.status_code == (201 if sees(who) else 403)
    page = client.get(reverse("people:person_health", args=[person.pk]))
    assert page.status_code == (200 if sees(who) else 403)
