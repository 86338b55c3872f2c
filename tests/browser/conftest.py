"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against the live server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TIREK_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread; the test's own ORM calls (the
    cast) are still synchronous and safe, so Django's guard against ORM use inside a loop is lifted for the
    browser tests only (autouse: set before Playwright starts its loop)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run 'make setup' as root (Debian package chromium)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A desktop screen: the full navigation bar shows from 1400 px; narrower screens get the menu button.
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1000}}


AXE = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js")


@pytest.fixture
def serious_accessibility_violations():
    """serious_accessibility_violations(page): axe-core's serious and critical findings on the page, as
    'rule: selector' lines (axe comes from npm with the other front-end packages; it is never served)."""

    source = Path(AXE).read_text(encoding="utf-8")

    def check(page) -> list[str]:
        # Evaluated through the browser's debugging protocol: a <script> tag would be refused by the CSP.
        page.evaluate(f"{source}\n;undefined")
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{violation['id']}: {', '.join(node['target'][0] for node in violation['nodes'][:3])}"
            for violation in result["violations"]
            if violation["impact"] in ("serious", "critical")
        ]

    return check


@pytest.fixture
def sign_in(authenticator_code):
    """sign_in(page, live_server, username, password, language="kk"): sign in through the login page and, when
    the user's role asks for it, the second step, as the user would with the authenticator app on their phone
    (a manager's first sign-in sets the app up from the key on the page)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    def sign_in_as(page, live_server, username: str, password: str, language: str = "kk") -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        if language != "kk":
            page.get_by_test_id(f"language-{language}").click()
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_test_id("login-submit").click()
        page.wait_for_load_state("networkidle")
        if "/accounts/two-step/setup/" in page.url:
            secret = page.get_by_test_id("totp-secret").inner_text()
            page.fill("#id_code", authenticator_code(secret))
            page.get_by_test_id("second-step-submit").click()
            page.get_by_test_id("recovery-codes-done").click()
        elif "/accounts/two-step/" in page.url:
            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            page.fill("#id_code", authenticator_code(device, 1))
            page.get_by_test_id("second-step-submit").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("html")).to_have_attribute("lang", language)

    return sign_in_as
