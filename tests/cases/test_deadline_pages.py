"""The deadline list (page and API), the clocks on the case page, the pause/resume/transition actions and the
deadlines block of the home page: who may see them, what they show, how many queries they cost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.cases.services import case_open
from tirek.people.services import person_register


def today():
    """Today in Almaty, read when asked (a module-level date would go stale across midnight)."""
    return timezone.localdate()


def enrol(cast, n: int, *, received_days_ago: int, coordinator=None, organisation=None):
    organisation = organisation or cast.almaty
    actor = cast.coordinator_a if organisation == cast.almaty else cast.coordinator_b
    person = person_register(
        actor=actor,
        organisation=organisation,
        surname=f"Бала{n}",
        given_name="Ә",
        sex="male",
        birth_date=today() - dt.timedelta(days=400),
        iin_missing_reason="unknown",
    )
    return case_open(
        actor=actor,
        organisation=organisation,
        person=person,
        programme=cast.programme_a if organisation == cast.almaty else cast.programme_b,
        referral_source="polyclinic",
        referral_received_on=today() - dt.timedelta(days=received_days_ago),
        opened_on=today() - dt.timedelta(days=received_days_ago),
        coordinator=coordinator,
    )


@pytest.fixture
def overdue(cast):
    """Referred 50 days ago, no plan: the first plan is 5 days overdue."""
    return enrol(cast, 0, received_days_ago=50, coordinator=cast.coordinator_a)


@pytest.fixture
def due_soon(cast):
    """Referred 40 days ago, coordinated by the manager: the first plan is due in 5 days."""
    return enrol(cast, 1, received_days_ago=40, coordinator=cast.manager_a)


@pytest.fixture
def fresh(cast):
    """Referred 3 days ago: on track, not on the default list."""
    return enrol(cast, 2, received_days_ago=3)


def deadline_api(cast, user):
    """A GET of /api/v1/deadlines/ as `user`, signed in through the cast's client."""
    client = cast.client(user)
    return lambda **params: client.get(reverse("api:deadline-list"), params)


def api_deadlines(cast, user, **params):
    return deadline_api(cast, user)(**params)


# -- the page --------------------------------------------------------------------------------------------


def test_the_deadline_list_shows_what_needs_attention_earliest_first(cast, overdue, due_soon, fresh):
    response = cast.client(cast.coordinator_a).get(reverse("cases:deadline_list"))
    assert response.status_code == 200
    rows = [(row.case.number, row.clock.kind, row.clock.state) for row in response.context["page"]]
    assert rows == [(overdue.number, "first_plan", "overdue"), (due_soon.number, "first_plan", "due_soon")]
    content = response.content.decode()
    assert overdue.person.full_name in content and fresh.number not in content


def test_the_deadline_list_filters_by_state_programme_and_own_cases(cast, overdue, due_soon, fresh):
    client = cast.client(cast.coordinator_a)
    url = reverse("cases:deadline_list")
    only_soon = client.get(url, {"state": "due_soon"}).context["page"]
    assert [row.case for row in only_soon] == [due_soon]
    on_track = client.get(url, {"state": "on_track"}).context["page"]
    assert fresh in [row.case for row in on_track]
    mine = client.get(url, {"mine": "on"}).context["page"]
    assert [row.case for row in mine] == [overdue]
    by_programme = client.get(url, {"programme": cast.programme_a.pk}).context["page"]
    assert len(by_programme) == 2


def test_the_deadline_list_shows_another_organisation_nothing(cast, overdue):
    client = cast.client(cast.manager_b)
    response = client.get(reverse("cases:deadline_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    # Naming the other organisation's programme does not reach its cases either.
    foreign = client.get(reverse("cases:deadline_list"), {"programme": cast.programme_a.pk})
    assert list(foreign.context["page"]) == []
    assert foreign.context["form"].errors["programme"]


def test_a_specialist_has_no_deadline_list(cast, overdue):
    assert cast.client(cast.specialist_a).get(reverse("cases:deadline_list")).status_code == 403


def test_a_met_late_first_plan_is_listed_as_met_late(cast, overdue):
    CaseEvent.objects.create(case=overdue, kind="plan_approved", data={"approved_on": today().isoformat()})
    response = cast.client(cast.manager_a).get(reverse("cases:deadline_list"), {"state": "met_late"})
    assert [(row.case, row.clock.kind) for row in response.context["page"]] == [(overdue, "first_plan")]


def test_the_deadline_list_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for n in range(30):
        case = enrol(cast, n, received_days_ago=30 + n, coordinator=cast.coordinator_a)
        if n % 3 == 0:
            CaseEvent.objects.create(
                case=case, kind="plan_approved", data={"approved_on": today().isoformat()}
            )
    client = cast.client(cast.manager_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cases:deadline_list"), {"state": "overdue"})
    # Referred 46–59 days ago: n = 16…29, of which 18, 21, 24 and 27 have a plan.
    assert len(response.context["page"]) == 10
    fetch = deadline_api(cast, cast.manager_a)
    with django_assert_max_num_queries(8):
        api = fetch()
    assert api.status_code == 200
    # And due soon, referred 38–45 days ago: n = 8…15, of which 9, 12 and 15 have a plan.
    assert len(api.json()["results"]) == 10 + 5
    with django_assert_max_num_queries(12):
        assert client.get(reverse("web:home")).status_code == 200


# -- the API ---------------------------------------------------------------------------------------------


def test_the_api_lists_deadlines_with_their_clock(cast, overdue, due_soon):
    response = api_deadlines(cast, cast.coordinator_a)
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["case"] == str(overdue.pk) and first["case_number"] == overdue.number
    assert first["deadline"]["clock"] == "first_plan"
    assert first["deadline"]["state"] == "overdue"
    assert first["deadline"]["due_on"] == str(overdue.referral_received_on + dt.timedelta(days=45))
    assert first["deadline"]["days_left"] == -5
    later = api_deadlines(cast, cast.coordinator_a, on=str(today() + dt.timedelta(days=10)), state="overdue")
    assert {row["case"] for row in later.json()["results"]} == {str(overdue.pk), str(due_soon.pk)}


def test_the_api_deadlines_are_scoped_and_role_checked(cast, overdue):
    assert api_deadlines(cast, cast.manager_b).json()["results"] == []
    assert api_deadlines(cast, cast.manager_b, programme=str(cast.programme_a.pk)).status_code == 404
    assert api_deadlines(cast, cast.specialist_a).status_code == 403
    assert api_deadlines(cast, cast.coordinator_a, state="nonsense").status_code == 400
    assert api_deadlines(cast, cast.coordinator_a, on="not-a-date").status_code == 400


def test_the_api_shows_a_cases_clocks(cast, overdue):
    client = cast.client(cast.specialist_a)
    clocks = client.get(f"/api/v1/cases/{overdue.pk}/clocks/").json()
    assert [c["clock"] for c in clocks] == ["first_plan", "plan_review", "exit"]
    assert clocks[0]["state"] == "overdue"
    assert cast.client(cast.manager_b).get(f"/api/v1/cases/{overdue.pk}/clocks/").status_code == 404


def test_the_api_pauses_and_resumes_the_first_plan_clock(cast, due_soon):
    client = cast.client(cast.coordinator_a)
    started = str(today() - dt.timedelta(days=10))
    paused = client.post(
        f"/api/v1/cases/{due_soon.pk}/pause/",
        {"reason": "family_unavailable", "starts_on": started, "note": "In hospital"},
        content_type="application/json",
    )
    assert paused.status_code == 201
    assert (paused.json()["clock"], paused.json()["ends_on"]) == ("first_plan", None)
    clocks = client.get(f"/api/v1/cases/{due_soon.pk}/clocks/").json()
    assert (clocks[0]["state"], clocks[0]["paused_days"]) == ("paused", 10)
    resumed = client.post(f"/api/v1/cases/{due_soon.pk}/resume/", {}, content_type="application/json")
    assert resumed.status_code == 200 and resumed.json()["ends_on"] == str(today())
    again = client.post(f"/api/v1/cases/{due_soon.pk}/resume/", {}, content_type="application/json")
    assert again.status_code == 400


def test_the_api_pause_resume_and_transition_are_scoped_and_role_checked(cast, due_soon):
    body = {"reason": "consent_pending"}
    for path, payload in (("pause", body), ("resume", {}), ("transition", {"step": "conference_held"})):
        url = f"/api/v1/cases/{due_soon.pk}/{path}/"
        assert (
            cast.client(cast.manager_b).post(url, payload, content_type="application/json").status_code == 404
        )
        assert (
            cast.client(cast.specialist_a).post(url, payload, content_type="application/json").status_code
            == 403
        )


def test_the_api_records_a_transition_step(cast, due_soon):
    response = cast.client(cast.coordinator_a).post(
        f"/api/v1/cases/{due_soon.pk}/transition/",
        {"step": "steps_agreed", "note": "Kindergarten No 12"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "transition"
    assert response.json()["data"]["step"] == "steps_agreed"


# -- the case page and its actions -----------------------------------------------------------------------


def test_the_case_page_shows_its_clocks_and_the_pause_action(cast, overdue):
    cast.programme_a.transition_from_months = 27
    cast.programme_a.conference_by_months = 33
    cast.programme_a.save()
    response = cast.client(cast.coordinator_a).get(reverse("cases:case_detail", args=[overdue.pk]))
    content = response.content.decode()
    assert [c.kind for c in response.context["clocks"]] == ["first_plan", "plan_review", "transition", "exit"]
    assert 'data-testid="clock-first_plan"' in content and 'data-state="overdue"' in content
    assert reverse("cases:case_pause", args=[overdue.pk]) in content
    specialist = cast.client(cast.specialist_a).get(reverse("cases:case_detail", args=[overdue.pk]))
    assert reverse("cases:case_pause", args=[overdue.pk]) not in specialist.content.decode()


def test_the_pause_and_resume_pages(cast, due_soon):
    client = cast.client(cast.coordinator_a)
    pause = reverse("cases:case_pause", args=[due_soon.pk])
    resume = reverse("cases:case_resume", args=[due_soon.pk])
    refused = client.post(pause, {"reason": "other", "starts_on": str(today())})
    assert refused.status_code == 200 and refused.context["form"].errors["note"]
    assert client.post(pause, {"reason": "consent_pending", "starts_on": str(today())}).status_code == 302
    page = client.get(reverse("cases:case_detail", args=[due_soon.pk])).content.decode()
    assert resume in page and 'data-state="paused"' in page
    assert client.post(resume, {"ends_on": str(today())}).status_code == 302
    assert due_soon.deadline_pauses.get().ends_on == today()


def test_the_action_pages_are_scoped_and_role_checked(cast, due_soon):
    for name in ("case_pause", "case_resume", "case_transition"):
        url = reverse(f"cases:{name}", args=[due_soon.pk])
        assert cast.client(cast.manager_b).get(url).status_code == 404
        assert cast.client(cast.specialist_a).get(url).status_code == 403
    transition = reverse("cases:case_transition", args=[due_soon.pk])
    response = cast.client(cast.coordinator_a).post(transition, {"step": "conference_held"})
    assert response.status_code == 302
    assert due_soon.events.filter(kind="transition", data__step="conference_held").exists()


# -- the home page ---------------------------------------------------------------------------------------


def test_the_home_page_shows_a_coordinator_their_own_deadlines(cast, overdue, due_soon):
    response = cast.client(cast.coordinator_a).get(reverse("web:home"))
    block = response.context["deadlines"]
    assert (block["overdue"], block["due_soon"]) == (1, 0)  # due_soon is the manager's case
    assert [row.case for row in block["rows"]] == [overdue]
    assert 'data-testid="home-deadlines"' in response.content.decode()


def test_the_home_page_shows_a_manager_the_organisations_deadlines(cast, overdue, due_soon):
    block = cast.client(cast.manager_a).get(reverse("web:home")).context["deadlines"]
    assert (block["overdue"], block["due_soon"]) == (1, 1)
    assert "deadlines" not in cast.client(cast.specialist_a).get(reverse("web:home")).context
    assert cast.client(cast.manager_b).get(reverse("web:home")).context["deadlines"]["rows"] == []
