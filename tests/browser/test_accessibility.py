"""The pages people use every day pass axe-core's automated check with no serious or critical violation,
in Kazakh (DESIGN.md: "pass an automated accessibility check (axe) with no serious violations"), and none of
them does anything the Content Security Policy refuses (an inline script, a <style> element, a foreign
source): Chromium reports each refusal on the console."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from tirek.cases.services import case_open, case_set_team
from tirek.people.services import person_register
from tirek.plans.services import plan_create, plan_goal_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_everyday_pages_have_no_serious_accessibility_violations(
    page: Page, live_server, cast, password, serious_accessibility_violations, sign_in
):
    child = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омаров",
        given_name="Әли",
        sex="male",
        birth_date=timezone.localdate() - dt.timedelta(days=600),
        iin_missing_reason="newborn",
    )
    case = case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        coordinator=cast.coordinator_a,
    )
    case_set_team(
        actor=cast.coordinator_a, case=case, coordinator=cast.coordinator_a, team=[cast.specialist_a]
    )
    plan = plan_create(actor=cast.coordinator_a, case=case, family_concerns="Бала әлі сөйлемейді.")
    plan_goal_add(
        actor=cast.coordinator_a,
        plan=plan,
        domain="communication",
        wording="10 сөзбен өтініш білдіреді",
        criterion="5 жағдайдың 4-інде",
        target_date=timezone.localdate() + dt.timedelta(days=180),
    )

    refused = []

    def note_refusal(message) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", note_refusal)
    page.goto(f"{live_server.url}/accounts/login/")
    found = {"/accounts/login/": serious_accessibility_violations(page)}
    sign_in(page, live_server, "aigerim", password)
    for path in (
        "/",
        "/people/",
        f"/people/{child.pk}/",
        "/cases/",
        f"/cases/{case.pk}/",
        "/cases/deadlines/",
        f"/plans/{plan.pk}/",
        "/visits/day/",
        "/visits/week/",
        f"/visits/new/?case={case.pk}",
        "/notifications/",
        f"/cases/{case.pk}/documents/new/",
        "/referrals/",
        "/referrals/sent/",
        f"/referrals/new/?case={case.pk}",
        "/referrals/external/new/",
        "/support/appeals/",
        "/support/appeals/new/",
        "/support/appeals/helpline/",
        "/support/aid/",
        "/support/aid/batch/",
        "/support/outcomes/",
        "/courses/",
        "/courses/new/",
        "/residence/",
        "/directory/organisations/",
        f"/directory/organisations/{cast.almaty.pk}/",
        "/directory/partnerships/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        found[path] = serious_accessibility_violations(page)
    sign_in(page, live_server, "asel", password)  # the manager reads the reports
    for path in (
        "/reports/",
        "/reports/visits_delivered/?by=mode",
        "/reports/dashboard/",
        "/reports/new_cases/records/",
        "/accounts/profile/",
        "/emergency/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        found[path] = serious_accessibility_violations(page)
    sign_in(page, live_server, "erlan", password)  # the analyst reads the region's and the country's
    for path in ("/reports/dashboard/country/", "/reports/dashboard/region/?region=750000000"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        found[path] = serious_accessibility_violations(page)
    response = page.goto(f"{live_server.url}/api/v1/docs/")  # Swagger UI, its start-up script a file too
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert refused == []
    problems = {path: found_here for path, found_here in found.items() if found_here}
    assert problems == {}, "\n".join(
        f"{path}: {p}" for path, found_here in problems.items() for p in found_here
    )
