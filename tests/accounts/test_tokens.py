"""API tokens: an absolute and an idle lifetime, several per user, listed and revocable on the profile page
and in the API, invalid once the user owes a second step of signing in that the token was not issued after,
issued only past that step; issuing, revoking and refusing audited."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.models import ApiToken, Membership
from tirek.accounts.services import user_token_issue
from tirek.accounts.two_factor import two_factor_confirm, two_factor_disable, two_factor_start
from tirek.audit.models import AuditEvent
from tirek.core.errors import NotAllowed

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def no_code_throttling(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def enrol(authenticator_code):
    """enrol(user): turn two-step sign-in on for `user` as the set-up page would; returns the device."""

    def turn_on(user) -> TOTPDevice:
        enrolment = two_factor_start(actor=user)
        two_factor_confirm(actor=user, code=authenticator_code(enrolment.device))
        return enrolment.device

    return turn_on


def api(key: str) -> Client:
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    client.cookies["tirek_language"] = "en"
    return client


def token_of(key: str) -> ApiToken:
    return ApiToken.objects.get(key_hash=hashlib.sha256(key.encode()).hexdigest())


def issue(user, password: str, code: str = "", name: str = "") -> str:
    """A token through the API, as a program signs in."""
    body = {"username": user.username, "password": password, "code": code, "name": name}
    response = Client().post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def refusal(response) -> str:
    assert response.status_code == 401, response.content
    return response.json()["error"]["code"]


def actions(user, prefix: str = "token_") -> list[str]:
    events = AuditEvent.objects.filter(actor=user, action__startswith=prefix).order_by("id")
    return list(events.values_list("action", flat=True))


# --- lifetimes ----------------------------------------------------------------------------------------------


def test_a_token_works_for_its_days_and_then_no_more(cast, password, settings):
    settings.TIREK_TOKEN_DAYS = 30
    key = issue(cast.specialist_a, password)
    token = token_of(key)
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    assert api(key).get("/api/v1/me/").json()["username"] == cast.specialist_a.username

    # Used every day: it still ends on its day.
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1), last_used_at=timezone.now()
    )
    response = api(key).get("/api/v1/me/")
    assert refusal(response) == "token_expired"
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert response["WWW-Authenticate"].startswith("Token")
    assert actions(cast.specialist_a) == ["token_issued", "token_refused"]
    assert AuditEvent.objects.get(action="token_refused").note == "expired"


def test_the_days_are_a_setting(cast, password, settings):
    settings.TIREK_TOKEN_DAYS = 2
    token = token_of(issue(cast.specialist_a, password))
    assert token.expires_at - token.created_at == dt.timedelta(days=2)


def test_a_token_unused_for_its_idle_days_stops_working(cast, password, settings):
    settings.TIREK_TOKEN_IDLE_DAYS = 7
    key = issue(cast.specialist_a, password)
    token = token_of(key)
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=now - dt.timedelta(days=10), last_used_at=now - dt.timedelta(days=6, hours=23)
    )
    assert api(key).get("/api/v1/me/").status_code == 200  # used within the week: the week starts again
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now - dt.timedelta(days=7, minutes=1))
    assert refusal(api(key).get("/api/v1/me/")) == "token_expired"
    assert AuditEvent.objects.get(action="token_refused").note == "idle"


def test_a_token_never_used_counts_its_idle_days_from_its_issue(cast, settings):
    settings.TIREK_TOKEN_IDLE_DAYS = 3
    key = cast.token(cast.specialist_a, created_at=timezone.now() - dt.timedelta(days=4))
    assert refusal(api(key).get("/api/v1/me/")) == "token_expired"


def test_the_last_use_is_written_at_most_every_few_minutes(cast):
    key = cast.token(cast.specialist_a)
    client = api(key)
    client.get("/api/v1/me/")
    first = token_of(key).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/me/")
    assert token_of(key).last_used_at == first
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"].lower()]
    ApiToken.objects.filter(key_hash=token_of(key).key_hash).update(
        last_used_at=timezone.now() - dt.timedelta(minutes=6)
    )
    client.get("/api/v1/me/")
    assert timezone.now() - token_of(key).last_used_at < dt.timedelta(minutes=1)


# --- two-step sign-in ---------------------------------------------------------------------------------------


def test_a_token_issued_before_two_step_became_required_for_the_role_is_refused(cast, password, settings):
    """The finding: tokens issued before two-step sign-in became required for managers kept answering 200."""
    settings.TIREK_TWO_FACTOR_ROLES = []
    key = issue(cast.manager_a, password)
    assert api(key).get("/api/v1/cases/").status_code == 200

    settings.TIREK_TWO_FACTOR_ROLES = ["manager", "analyst", "administrator"]
    response = api(key).get("/api/v1/cases/")
    assert refusal(response) == "token_two_factor_required"
    assert "authenticator" in response.json()["error"]["message"]
    assert AuditEvent.objects.get(actor=cast.manager_a, action="token_refused").note == "two_step"


def test_a_token_is_refused_once_a_role_that_requires_two_step_is_granted(cast):
    key = cast.token(cast.specialist_a, two_factor_passed=False)
    assert api(key).get("/api/v1/me/").status_code == 200
    Membership.objects.filter(user=cast.specialist_a).update(role="manager")
    assert refusal(api(key).get("/api/v1/me/")) == "token_two_factor_required"


def test_a_token_stops_working_when_its_user_turns_two_step_on(cast, password, enrol):
    key = issue(cast.specialist_a, password)
    assert not token_of(key).two_factor_passed
    enrol(cast.specialist_a)
    assert refusal(api(key).get("/api/v1/me/")) == "token_revoked"
    assert token_of(key).revoked_at is not None
    assert actions(cast.specialist_a) == ["token_issued", "token_revoked", "token_refused"]


def test_an_unrevoked_token_without_the_second_step_is_refused_when_the_user_has_it_on(cast, enrol):
    enrol(cast.specialist_a)
    key = cast.token(cast.specialist_a, two_factor_passed=False)
    assert refusal(api(key).get("/api/v1/me/")) == "token_two_factor_required"


def test_a_token_issued_after_the_second_step_stays_valid(cast, password, enrol, authenticator_code):
    device = enrol(cast.manager_a)
    key = issue(cast.manager_a, password, code=authenticator_code(device, 1))
    assert token_of(key).two_factor_passed
    assert api(key).get("/api/v1/cases/").status_code == 200
    assert api(key).get("/api/v1/me/two-step/").json()["enabled"] is True


def test_a_token_issued_on_the_profile_page_past_the_second_step_stays_valid(cast):
    page = cast.client(cast.manager_a).post("/accounts/profile/token/", {"name": "reports"})
    assert page.status_code == 200
    key = page.context["issued"].key
    assert token_of(key).two_factor_passed and token_of(key).name == "reports"
    assert api(key).get("/api/v1/cases/").status_code == 200


def test_a_token_issued_before_two_step_was_reset_stops_working(cast, password, enrol, authenticator_code):
    """Turned off and on again with a new phone: the tokens of the old phone end with it."""
    device = enrol(cast.specialist_a)
    key = issue(cast.specialist_a, password, code=authenticator_code(device, 1))
    assert api(key).get("/api/v1/me/").status_code == 200
    recovery_code = StaticToken.objects.filter(device__user=cast.specialist_a).first().token
    two_factor_disable(actor=cast.specialist_a, code=recovery_code)
    assert api(key).get("/api/v1/me/").status_code == 200  # off: a stronger token than needed still works
    enrol(cast.specialist_a)
    assert refusal(api(key).get("/api/v1/me/")) == "token_revoked"


def test_no_token_is_issued_without_the_second_step_where_it_is_owed(cast, password, enrol):
    with pytest.raises(NotAllowed):
        user_token_issue(actor=cast.manager_a, second_step_passed=False)
    enrol(cast.specialist_a)
    with pytest.raises(NotAllowed):
        user_token_issue(actor=cast.specialist_a, second_step_passed=False)
    body = {"username": cast.specialist_a.username, "password": password}
    response = Client().post(TOKEN_URL, body, content_type="application/json")
    assert refusal(response) == "two_factor_code_required"
    assert not ApiToken.objects.exists()
    assert actions(cast.specialist_a) == []


# --- several, listed, revocable -----------------------------------------------------------------------------


def test_the_key_is_shown_once_and_kept_only_as_a_hash(cast, password):
    response = Client().post(
        TOKEN_URL,
        {"username": cast.specialist_a.username, "password": password, "name": "journal import"},
        content_type="application/json",
    )
    body = response.json()
    key = body["token"]
    token = token_of(key)
    assert body["id"] == str(token.pk) and body["name"] == "journal import"
    assert key.startswith("tirek_") and key.startswith(token.key_start) and len(key) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert "token" not in api(key).get("/api/v1/me/tokens/").json()[0]


def test_a_user_may_hold_several_tokens_and_lists_only_their_own_that_work(cast):
    first = cast.token(cast.specialist_a, name="first")
    cast.token(cast.specialist_a, name="second")
    cast.token(cast.specialist_a, name="revoked", revoked_at=timezone.now())
    cast.token(cast.specialist_a, name="expired", expires_at=timezone.now() - dt.timedelta(days=1))
    cast.token(cast.specialist_b, name="bolat's")

    listed = api(first).get("/api/v1/me/tokens/")
    assert listed.status_code == 200
    assert [token["name"] for token in listed.json()] == ["second", "first"]
    assert api(first).get("/api/v1/me/").status_code == 200  # the second did not replace the first

    page = cast.client(cast.specialist_a).get("/accounts/profile/")
    assert [token.name for token in page.context["api_tokens"]] == ["second", "first"]
    assert "bolat" not in page.content.decode()


def test_the_list_leaves_out_tokens_refused_for_the_second_step(cast, enrol):
    cast.token(cast.specialist_a, name="before", two_factor_passed=False)
    enrol(cast.specialist_a)
    cast.token(cast.specialist_a, name="after")
    page = cast.client(cast.specialist_a).get("/accounts/profile/")
    assert [token.name for token in page.context["api_tokens"]] == ["after"]


def test_a_revoked_token_gives_401(cast):
    key = cast.token(cast.specialist_a)
    other = cast.token(cast.specialist_a)
    client = api(key)
    revoked = client.delete(f"/api/v1/me/tokens/{token_of(other).pk}/")
    assert revoked.status_code == 204
    assert refusal(api(other).get("/api/v1/me/")) == "token_revoked"
    assert client.get("/api/v1/me/").status_code == 200
    assert client.delete(f"/api/v1/me/tokens/{token_of(other).pk}/").status_code == 404  # already revoked
    assert actions(cast.specialist_a) == ["token_revoked", "token_refused"]
    event = AuditEvent.objects.get(action="token_revoked")
    assert event.object_id == str(token_of(other).pk) and event.organisation_id == cast.almaty.pk


def test_a_token_may_revoke_itself(cast):
    key = cast.token(cast.specialist_a)
    assert api(key).delete(f"/api/v1/me/tokens/{token_of(key).pk}/").status_code == 204
    assert refusal(api(key).get("/api/v1/me/")) == "token_revoked"


def test_revoking_another_users_token_is_404(cast):
    bolat = token_of(cast.token(cast.specialist_b))
    alice = api(cast.token(cast.specialist_a))
    assert alice.delete(f"/api/v1/me/tokens/{bolat.pk}/").status_code == 404
    page = cast.client(cast.specialist_a).post(f"/accounts/profile/token/{bolat.pk}/revoke/")
    assert page.status_code == 404
    bolat.refresh_from_db()
    assert bolat.revoked_at is None
    assert not AuditEvent.objects.filter(action="token_revoked").exists()


def test_revoking_on_the_profile_page(cast):
    key = cast.token(cast.specialist_a, name="old script")
    client = cast.client(cast.specialist_a)
    page = client.get("/accounts/profile/").content.decode()
    assert "old script" in page and f"/accounts/profile/token/{token_of(key).pk}/revoke/" in page
    response = client.post(f"/accounts/profile/token/{token_of(key).pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert refusal(api(key).get("/api/v1/me/")) == "token_revoked"
    assert actions(cast.specialist_a) == ["token_revoked", "token_refused"]


def test_issuing_on_the_profile_page_shows_the_key_once(cast):
    client = cast.client(cast.specialist_a)
    page = client.post("/accounts/profile/token/", {"name": "report script"})
    key = page.context["issued"].key
    assert key in page.content.decode()
    assert key not in client.get("/accounts/profile/").content.decode()
    assert api(key).get("/api/v1/me/").status_code == 200
    assert actions(cast.specialist_a) == ["token_issued"]


def test_signing_out_everywhere_revokes_every_token(cast):
    keys = [cast.token(cast.specialist_a) for _ in range(3)]
    bolat = cast.token(cast.specialist_b)
    assert api(keys[0]).post("/api/v1/me/logout-everywhere/").status_code == 204
    for key in keys:
        assert refusal(api(key).get("/api/v1/me/")) == "token_revoked"
    assert api(bolat).get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.get(action="logout_everywhere").note == "3 API tokens revoked"


def test_a_user_holds_at_most_so_many_working_tokens(cast, password, monkeypatch):
    monkeypatch.setattr("tirek.accounts.tokens.MAX_LIVE_TOKENS", 2)
    oldest, middle = cast.token(cast.specialist_a), cast.token(cast.specialist_a)
    ApiToken.objects.filter(key_hash=token_of(oldest).key_hash).update(
        created_at=timezone.now() - dt.timedelta(hours=2)
    )
    newest = issue(cast.specialist_a, password)
    assert refusal(api(oldest).get("/api/v1/me/")) == "token_revoked"
    assert api(middle).get("/api/v1/me/").status_code == 200
    assert api(newest).get("/api/v1/me/").status_code == 200


# --- refusals -----------------------------------------------------------------------------------------------


def test_a_dead_token_retried_is_audited_once_per_few_minutes(cast):
    key = cast.token(cast.specialist_a, revoked_at=timezone.now())
    for _ in range(5):
        assert refusal(api(key).get("/api/v1/me/")) == "token_revoked"
    assert actions(cast.specialist_a) == ["token_refused"]
    ApiToken.objects.filter(key_hash=token_of(key).key_hash).update(
        refused_at=timezone.now() - dt.timedelta(minutes=6)
    )
    api(key).get("/api/v1/me/")
    assert actions(cast.specialist_a) == ["token_refused", "token_refused"]


def test_an_unknown_or_malformed_token_is_401_in_the_error_shape(cast):
    for header in ("Token tirek_nothing", "Token", "Token a b"):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/me/")
        assert refusal(response) == "token_invalid", header
    assert not AuditEvent.objects.filter(action="token_refused").exists()
    # Without a token the answer is as before: a session is asked for, no challenge.
    assert Client().get("/api/v1/me/").status_code == 403


def test_a_deactivated_users_token_is_refused(cast):
    key = cast.token(cast.specialist_a)
    cast.specialist_a.is_active = False
    cast.specialist_a.save(update_fields=["is_active"])
    assert refusal(api(key).get("/api/v1/me/")) == "token_invalid"


def test_the_refusals_and_the_token_pages_are_translated(cast):
    key = cast.token(cast.specialist_a, revoked_at=timezone.now())
    kazakh = Client(HTTP_AUTHORIZATION=f"Token {key}")
    kazakh.cookies["tirek_language"] = "kk"
    russian = Client(HTTP_AUTHORIZATION=f"Token {key}")
    russian.cookies["tirek_language"] = "ru"
    english = api(key).get("/api/v1/me/").json()["error"]["message"]
    assert kazakh.get("/api/v1/me/").json()["error"]["message"] != english
    assert russian.get("/api/v1/me/").json()["error"]["message"] != english

    client = cast.client(cast.specialist_a)
    client.cookies["tirek_language"] = "ru"
    page = client.post("/accounts/profile/token/", {"name": ""}).content.decode()
    assert "Новый токен API" in page
