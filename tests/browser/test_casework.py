"""Casework in a real browser, in Kazakh and Russian: a specialist logs a home visit and a video session,
and a coordinator approves the individual plan another coordinator drafted (the four-eyes rule)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tirek.accounts.models import Membership, User
from tirek.cases.services import case_open, case_set_team
from tirek.catalog.models import Profession, Service
from tirek.people.services import person_register
from tirek.plans.services import plan_create, plan_goal_add, planned_service_add
from tirek.services.models import Visit

# serialized_rollback: the reference data of the migrations (services, professions) is back for each test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def a_case_with_a_draft_plan(cast):
    speech = Service.objects.get_or_create(
        code="speech_therapy_session",
        defaults={
            "name_kk": "Логопед сабағы",
            "name_ru": "Занятие с логопедом",
            "name_en": "Speech therapy",
            "service_type_id": 1,
        },
    )[0]
    profession = Profession.objects.get(code="speech_therapist")
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
    planned_service_add(
        actor=cast.coordinator_a,
        plan=plan,
        service=speech,
        profession=profession,
        frequency=2,
        frequency_period="week",
        minutes=30,
        mode="home",
        start_date=timezone.localdate(),
        family_consent=True,
        consent_date=timezone.localdate(),
    )
    return case, plan, speech


def log_session(page: Page, live_server, case, service, mode: str, time: str) -> None:
    page.goto(f"{live_server.url}/visits/new/?case={case.pk}")
    page.select_option("#id_status", "attended")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_time", time)
    page.select_option("#id_service", str(service.pk))
    page.select_option("#id_mode", mode)
    page.get_by_test_id("save-visit").click()
    expect(page.get_by_test_id("visit-status").first).to_be_visible()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_specialist_logs_home_and_video_sessions_and_a_coordinator_approves_the_plan(
    page: Page, live_server, cast, password, language, sign_in
):
    case, plan, speech = a_case_with_a_draft_plan(cast)
    colleague = User.objects.create_user(username="dana", password=password, active_organisation=cast.almaty)
    Membership.objects.create(user=colleague, organisation=cast.almaty, role="coordinator")

    sign_in(page, live_server, "alice", password, language)
    log_session(page, live_server, case, speech, "home", "09:00")
    log_session(page, live_server, case, speech, "video", "11:00")
    delivered = Visit.objects.filter(case=case, status="attended")
    assert sorted(delivered.values_list("mode", flat=True)) == ["home", "video"]
    assert set(delivered.values_list("specialist__username", flat=True)) == {"alice"}

    sign_in(page, live_server, "aigerim", password, language)  # the author sees no approve button
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.get_by_test_id("plan-status")).to_be_visible()
    expect(page.get_by_test_id("plan-approve")).to_have_count(0)

    sign_in(page, live_server, "dana", password, language)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_test_id("plan-approve").click()
    page.locator("main form button[type=submit]").last.click()
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert plan.approved_by == colleague
    expect(page.get_by_test_id("plan-status")).to_be_visible()
