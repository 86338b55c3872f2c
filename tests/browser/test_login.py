"""Sign in through a real browser in each language, then sign out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

# serialized_rollback for every browser test: a flush without it recreates the content types, which the next
# test restoring its serialized data would then insert twice.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADINGS = {
    # sign-in heading, home heading, the programme's name (English falls back to Kazakh when not given)
    "kk": ("Тірек жүйесіне кіру", "Қош келдіңіз", "Ерте араласу"),
    "ru": ("Вход в Тірек", "Добро пожаловать", "Ранняя помощь"),
    "en": ("Sign in to Tirek", "Welcome", "Ерте араласу"),
}


def test_the_first_screen_is_kazakh(page: Page, live_server, cast):
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS["kk"][0])


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_specialist_signs_in_and_out_in_each_language(page: Page, live_server, cast, password, language):
    page.goto(f"{live_server.url}/accounts/login/")
    if language != "kk":
        page.get_by_test_id(f"language-{language}").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language][0])
    page.fill("#id_username", "alice")
    page.fill("#id_password", password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(HEADINGS[language][1])
    expect(page.get_by_role("link", name=HEADINGS[language][2], exact=True)).to_be_visible()
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language][0])


def test_a_wrong_password_is_refused_with_a_translated_message(page: Page, live_server, cast):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "not-the-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("alice")
    assert "Please enter a correct" not in page.content()
