"""A referral in a real browser, in Kazakh: the Кеңес centre's coordinator refers a child of the demo to the
Қамқорлық unit in Shymkent (the family is moving), and the unit's manager accepts it and opens a case."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from tirek.accounts.models import User
from tirek.accounts.services import user_switch_organisation
from tirek.cases.models import Case
from tirek.cases.services import eligibility_problem
from tirek.directory.models import Organisation
from tirek.operations.demo.organisations import DEMO_PASSWORD
from tirek.people.services import consent_record, legal_representatives
from tirek.referrals.models import Referral
from tirek.referrals.services import covering_consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def a_child_to_refer(kenes: Organisation, kamkorlyk: Organisation) -> Case:
    """An open case of Кеңес whose child the unit's early-intervention programme may take, with a consent
    that covers sharing with the unit (recorded by the centre's coordinator when the demo has none)."""
    programme = kamkorlyk.programmes.get(kind="early_intervention")
    coordinator = User.objects.get(username="coordinator")
    for case in Case.objects.filter(organisation=kenes, status__in=["intake", "active"]).order_by("number"):
        person = case.person
        if eligibility_problem(person, programme, timezone.localdate()) is not None:
            continue
        if Case.objects.filter(person=person, organisation=kamkorlyk).exists():
            continue
        if covering_consent(person, kamkorlyk) is None:
            representatives = legal_representatives(person)
            if not representatives:
                continue
            consent_record(
                actor=coordinator,
                organisation=kenes,
                person=person,
                given_by=representatives[0],
                purposes=["sharing"],
                given_on=case.opened_on,
                shared_with=[kamkorlyk],
            )
        return case
    raise AssertionError("the demo has no child for the unit")


def test_a_referral_sent_by_one_demo_organisation_and_accepted_by_another_in_kazakh(
    page: Page, live_server, sign_in
):
    call_command("demo", stdout=StringIO())
    kenes = Organisation.objects.get(name_en__contains="Kenes")
    kamkorlyk = Organisation.objects.get(name_en__contains="Kamkorlyk")
    case = a_child_to_refer(kenes, kamkorlyk)

    sign_in(page, live_server, "coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_test_id("refer-case").click()
    page.select_option("#id_region", str(kamkorlyk.region_id))
    page.get_by_test_id("filter-targets").click()
    page.select_option("#id_to_organisation", str(kamkorlyk.pk))
    page.fill("#id_reason", "Отбасы Шымкент қаласына көшіп жатыр.")
    page.check("#id_shared_parts_0")
    page.get_by_test_id("send-referral").click()
    expect(page.get_by_test_id("referral-status")).to_have_attribute("data-status", "sent")
    referral = Referral.objects.get(from_case=case)
    assert (referral.to_organisation, referral.shared_parts) == (kamkorlyk, ["contacts"])

    manager = User.objects.get(username="shymkent")
    user_switch_organisation(user=manager, organisation_id=kamkorlyk.pk)
    sign_in(page, live_server, "shymkent", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/referrals/")
    row = page.locator(f'[data-testid="referral-row"][data-number="{referral.number}"]')
    expect(row.get_by_test_id("days-waiting")).to_be_visible()
    row.get_by_role("link", name=referral.number).click()
    expect(page.get_by_test_id("shared-contacts")).to_be_visible()
    page.select_option("#id_programme", str(kamkorlyk.programmes.get(kind="early_intervention").pk))
    page.get_by_test_id("accept-submit").click()
    expect(page.get_by_test_id("referral-status")).to_have_attribute("data-status", "accepted")
    expect(page.get_by_test_id("to-case")).to_be_visible()

    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.days_to_accept == 0
    assert (referral.to_case.organisation, referral.to_case.person) == (kamkorlyk, case.person)
    page.get_by_test_id("to-case").click()
    expect(page.get_by_test_id("case-referrals")).to_contain_text(referral.number)
