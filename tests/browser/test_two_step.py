"""Two-step sign-in in the browser, in Kazakh: a manager's first sign-in sets up the authenticator app from
the QR code's key and shows the recovery codes; the next sign-in asks for the app's code."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def password_step(page: Page, live_server, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_test_id("login-submit").click()


def test_a_manager_sets_up_the_app_then_signs_in_with_its_code(
    page: Page, live_server, cast, password, authenticator_code, serious_accessibility_violations
):
    password_step(page, live_server, "asel", password)
    expect(page).to_have_url(f"{live_server.url}/accounts/two-step/setup/?next=%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Екі кезеңді кіруді баптау")
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.goto(f"{live_server.url}/cases/")  # nothing else opens before the app is set up
    expect(page).to_have_url(f"{live_server.url}/accounts/two-step/setup/?next=%2Fcases%2F")

    page.fill("#id_code", "000000")
    page.get_by_test_id("second-step-submit").click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    expect(page.locator("#id_code")).to_have_value("000000")

    page.wait_for_timeout(1100)  # after a wrong code the next try waits a second
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.fill("#id_code", authenticator_code(secret))
    page.get_by_test_id("second-step-submit").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_test_id("recovery-codes-done").click()
    expect(page).to_have_url(f"{live_server.url}/cases/")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    password_step(page, live_server, "asel", password)
    expect(page).to_have_url(f"{live_server.url}/accounts/two-step/?next=%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Екі кезеңді кіру")
    assert serious_accessibility_violations(page) == []
    device = TOTPDevice.objects.get(user=cast.manager_a)
    page.fill("#id_code", authenticator_code(device, 1))
    page.get_by_test_id("second-step-submit").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("user-menu")).to_be_visible()
