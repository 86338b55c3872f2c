"""Sign-in throttling: failures counted per login and address, a translated refusal with the login kept
(page and API), a finite cool-off, a reset on success, every failure and lockout audited."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def client(address: str = "10.0.0.1", language: str = "kk") -> Client:
    browser = Client(REMOTE_ADDR=address)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return browser


def fail(browser: Client, username: str, times: int):
    response = None
    for _ in range(times):
        response = browser.post(LOGIN, {"username": username, "password": "wrong password 123"})
    return response


def test_the_fifth_failure_locks_the_login_out_from_that_address(cast, password):
    browser = client()
    assert fail(browser, "aigerim", 4).status_code == 200  # the form again, with its error
    locked = fail(browser, "aigerim", 1)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'data-testid="locked-out"' in page and "15 минуттан" in page  # Kazakh, the default
    assert 'value="aigerim"' in page  # what was typed is kept
    # Even the right password is refused now, from this address.
    assert browser.post(LOGIN, {"username": "aigerim", "password": password}).status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_repr="aigerim").count() >= 5
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, object_repr="aigerim").exists()


def test_another_address_or_another_login_is_not_locked(cast, password):
    fail(client("10.0.0.1"), "aigerim", 5)
    assert client("10.0.0.2").post(LOGIN, {"username": "aigerim", "password": password}).status_code == 302
    assert client("10.0.0.1").post(LOGIN, {"username": "asel", "password": password}).status_code == 302


def test_the_lockout_ends_after_the_cool_off(cast, password):
    browser = client()
    fail(browser, "aigerim", 5)
    assert browser.post(LOGIN, {"username": "aigerim", "password": password}).status_code == 429
    # The failures are now older than the cool-off.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert browser.post(LOGIN, {"username": "aigerim", "password": password}).status_code == 302


def test_a_successful_sign_in_resets_the_count(cast, password):
    browser = client()
    fail(browser, "aigerim", 4)
    assert browser.post(LOGIN, {"username": "aigerim", "password": password}).status_code == 302
    browser.post("/accounts/logout/")
    assert fail(browser, "aigerim", 4).status_code == 200  # four more, still not locked


@pytest.mark.parametrize(("language", "words"), [("ru", "минут"), ("en", "minutes")])
def test_the_api_token_endpoint_is_throttled_too(cast, password, language, words):
    browser = client(language=language)
    json = "application/json"
    for _ in range(5):
        answer = browser.post(TOKEN, {"username": "aigerim", "password": "wrong"}, content_type=json)
    assert answer.status_code == 429
    error = answer.json()["error"]
    assert error["code"] == "locked_out" and words in error["message"]
    right = browser.post(TOKEN, {"username": "aigerim", "password": password}, content_type=json)
    assert right.status_code == 429
