"""A session ends after 30 minutes without activity, 12 hours after signing in, or when its user signs out
everywhere; each end is audited and the user is sent to sign in again, told why."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tirek.accounts.models import ApiToken
from tirek.accounts.sessions import SEEN, STARTED
from tirek.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

MINUTE = 60


def english(client: Client) -> Client:
    client.cookies["tirek_language"] = "en"
    return client


def age(client: Client, *, started: float | None = None, seen: float | None = None) -> None:
    """Move the session's clock back: it began `started` seconds ago and was last used `seen` seconds ago."""
    session = client.session
    now = time.time()
    if started is not None:
        session[STARTED] = now - started
    if seen is not None:
        session[SEEN] = now - seen
    session.save()


def test_thirty_minutes_without_activity_end_the_session(cast):
    client = english(cast.client(cast.specialist_a))
    age(client, seen=29 * MINUTE)
    assert client.get("/cases/").status_code == 200

    age(client, seen=31 * MINUTE)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fcases%2F"
    page = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity" in page.content.decode()
    event = AuditEvent.objects.get(action="session_expired")
    assert (event.actor, event.note) == (cast.specialist_a, "idle")
    assert client.get("/cases/").status_code == 302  # the session is gone, not just refused once


def test_activity_keeps_the_session_alive(cast):
    client = cast.client(cast.specialist_a)
    age(client, seen=20 * MINUTE)
    client.get("/")
    assert time.time() - client.session[SEEN] < 5
    assert client.get("/cases/").status_code == 200


def test_the_idle_limit_is_a_setting(cast, settings):
    settings.TIREK_SESSION_IDLE_MINUTES = 5
    client = cast.client(cast.specialist_a)
    age(client, seen=6 * MINUTE)
    assert client.get("/cases/").status_code == 302


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(cast):
    client = english(cast.client(cast.coordinator_a))
    age(client, started=11 * 60 * MINUTE, seen=0)
    assert client.get("/cases/").status_code == 200
    age(client, started=12 * 60 * MINUTE + 1, seen=0)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert "Your session has ended" in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.get(action="session_expired").note == "absolute"


def test_an_ended_session_answers_htmx_with_a_redirect_to_sign_in(cast):
    client = cast.client(cast.specialist_a)
    age(client, seen=31 * MINUTE)
    response = client.get("/cases/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_an_ended_session_is_anonymous_to_the_api(cast):
    client = cast.client(cast.specialist_a)
    age(client, seen=31 * MINUTE)
    response = client.get("/api/v1/persons/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_signing_out_everywhere_ends_every_session_and_the_api_tokens(cast):
    laptop = english(cast.client(cast.specialist_a))
    office = english(cast.client(cast.specialist_a))
    api = Client(HTTP_AUTHORIZATION=f"Token {cast.token(cast.specialist_a)}")
    assert api.get("/api/v1/me/").status_code == 200

    response = laptop.post("/accounts/logout/everywhere/")
    assert response["Location"] == "/accounts/login/"
    assert laptop.get("/cases/").status_code == 302
    assert office.get("/cases/").status_code == 302
    revoked = api.get("/api/v1/me/")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "token_revoked"
    assert AuditEvent.objects.filter(actor=cast.specialist_a, action="logout_everywhere").count() == 1

    again = english(cast.client(cast.specialist_a))  # a new sign-in works as before
    assert again.get("/cases/").status_code == 200


def test_signing_out_everywhere_through_the_api(cast):
    browser = cast.client(cast.specialist_a)
    api = Client(HTTP_AUTHORIZATION=f"Token {cast.token(cast.specialist_a)}")
    assert api.post("/api/v1/me/logout-everywhere/").status_code == 204
    assert browser.get("/cases/").status_code == 302
    assert not ApiToken.objects.filter(user=cast.specialist_a).unrevoked().exists()
