"""Two-step sign-in: required for managers, analysts and administrators, optional for the others; the code
from the app or a recovery code; every change and every wrong code audited; the token API asks for it too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.models import ApiToken, Membership
from tirek.accounts.two_factor import two_factor_confirm, two_factor_start, two_factor_verify
from tirek.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_code_throttling(settings):
    """A wrong code makes the next attempt wait 1, 2, 4… seconds; these tests try the right code at once
    after a wrong one, so the wait is off here and proven on its own below."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def english(client: Client) -> Client:
    client.cookies["tirek_language"] = "en"
    return client


def sign_in(user, password) -> Client:
    client = english(Client())
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


@pytest.fixture
def enrol(authenticator_code):
    """enrol(user): turn two-step sign-in on for `user` as the set-up page would; returns the device."""

    def turn_on(user) -> TOTPDevice:
        enrolment = two_factor_start(actor=user)
        two_factor_confirm(actor=user, code=authenticator_code(enrolment.device))
        return enrolment.device

    return turn_on


def actions(user) -> list[str]:
    return list(AuditEvent.objects.filter(actor=user).order_by("id").values_list("action", flat=True))


def test_a_manager_without_an_authenticator_must_set_one_up_before_anything_else(cast, password):
    client = sign_in(cast.manager_a, password)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-step/setup/?next=%2Fcases%2F")
    api = client.get("/api/v1/persons/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "two_factor_required"
    htmx = client.get("/cases/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"].startswith("/accounts/two-step/setup/")


def test_setting_up_shows_a_qr_code_and_a_key_and_turns_on_with_the_right_code(
    cast, password, authenticator_code
):
    client = sign_in(cast.manager_a, password)
    page = client.get("/accounts/two-step/setup/?next=/cases/")
    assert page.status_code == 200
    assert page.context["enrolment"].qr_data_uri.startswith("data:image/svg+xml")
    secret = page.context["enrolment"].secret
    assert secret.replace(" ", "") in page.content.decode().replace(" ", "")

    wrong = client.post("/accounts/two-step/setup/", {"code": "000000", "next": "/cases/"})
    assert wrong.status_code == 200
    assert "The code is wrong" in wrong.content.decode()
    assert wrong.context["form"]["code"].value() == "000000"
    assert not TOTPDevice.objects.filter(user=cast.manager_a, confirmed=True).exists()

    done = client.post("/accounts/two-step/setup/", {"code": authenticator_code(secret), "next": "/cases/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.filter(user=cast.manager_a, confirmed=True).count() == 1
    assert client.get("/cases/").status_code == 200
    assert actions(cast.manager_a)[-2:] == ["2fa_enabled", "recovery_issued"]


def test_the_next_sign_in_asks_for_the_code_and_a_wrong_one_is_audited(
    cast, password, authenticator_code, enrol
):
    device = enrol(cast.manager_a)
    client = sign_in(cast.manager_a, password)
    assert client.get("/")["Location"].startswith("/accounts/two-step/?next=")

    wrong = client.post("/accounts/two-step/", {"code": "123456", "next": "/cases/"})
    assert wrong.status_code == 200
    assert "The code is wrong" in wrong.content.decode()
    assert actions(cast.manager_a)[-1] == "2fa_failed"
    assert client.get("/cases/").status_code == 302

    right = client.post("/accounts/two-step/", {"code": authenticator_code(device, 1), "next": "/cases/"})
    assert right.status_code == 302 and right["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_a_recovery_code_signs_in_once(cast, password, authenticator_code):
    enrolment = two_factor_start(actor=cast.manager_a)
    codes = two_factor_confirm(actor=cast.manager_a, code=authenticator_code(enrolment.device))
    client = sign_in(cast.manager_a, password)
    used = client.post("/accounts/two-step/", {"code": codes[3].upper(), "next": "/"})
    assert used.status_code == 302
    assert actions(cast.manager_a)[-1] == "recovery_used"
    assert "9 left" in AuditEvent.objects.filter(action="recovery_used").get().note

    again = sign_in(cast.manager_a, password)
    refused = again.post("/accounts/two-step/", {"code": codes[3], "next": "/"})
    assert refused.status_code == 200
    assert again.get("/").status_code == 302


def test_a_specialist_may_turn_it_on_and_off_but_a_manager_may_not_turn_it_off(
    cast, password, authenticator_code, enrol
):
    specialist = english(cast.client(cast.specialist_a))
    assert specialist.get("/").status_code == 200  # optional: not asked
    page = specialist.get("/accounts/two-step/setup/")
    secret = page.context["enrolment"].secret
    specialist.post("/accounts/two-step/setup/", {"code": authenticator_code(secret)})
    device = TOTPDevice.objects.get(user=cast.specialist_a)
    assert device.confirmed

    off = specialist.post("/accounts/two-step/off/", {"code": authenticator_code(device, 1)})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.specialist_a).exists()
    assert actions(cast.specialist_a)[-1] == "2fa_disabled"

    manager_device = enrol(cast.manager_a)
    manager = english(cast.client(cast.manager_a))
    manager.post("/accounts/two-step/off/", {"code": authenticator_code(manager_device, 1)})
    assert TOTPDevice.objects.filter(user=cast.manager_a, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(cast, authenticator_code):
    enrolment = two_factor_start(actor=cast.specialist_a)
    old = two_factor_confirm(actor=cast.specialist_a, code=authenticator_code(enrolment.device))
    client = english(cast.client(cast.specialist_a))
    response = client.post(
        "/accounts/two-step/recovery-codes/", {"code": authenticator_code(enrolment.device, 1)}
    )
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)


def test_the_required_roles_are_a_setting_and_a_role_granted_later_is_asked_at_once(cast, password, settings):
    settings.TIREK_TWO_FACTOR_ROLES = []
    client = sign_in(cast.manager_a, password)
    assert client.get("/cases/").status_code == 200

    settings.TIREK_TWO_FACTOR_ROLES = ["manager", "analyst", "administrator"]
    specialist = sign_in(cast.specialist_a, password)
    assert specialist.get("/").status_code == 200
    Membership.objects.filter(user=cast.specialist_a).update(role="manager")
    assert specialist.get("/")["Location"].startswith("/accounts/two-step/setup/")


def test_the_token_api_asks_for_the_code(cast, password, authenticator_code, enrol):
    url = "/api/v1/auth/token/"
    body = {"username": cast.manager_a.username, "password": password}
    not_set_up = english(Client()).post(url, body, content_type="application/json")
    assert not_set_up.status_code == 403
    assert not_set_up.json()["error"]["code"] == "two_factor_setup_required"

    device = enrol(cast.manager_a)
    missing = english(Client()).post(url, body, content_type="application/json")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "two_factor_code_required"
    wrong = Client().post(url, {**body, "code": "999999"}, content_type="application/json")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "two_factor_code_wrong"
    assert not ApiToken.objects.filter(user=cast.manager_a).exists()
    right = Client().post(
        url, {**body, "code": authenticator_code(device, 1)}, content_type="application/json"
    )
    assert right.status_code == 200
    assert right.json()["id"] == str(ApiToken.objects.get(user=cast.manager_a).pk)
    api = Client(HTTP_AUTHORIZATION=f"Token {right.json()['token']}")
    assert api.get("/api/v1/cases/").status_code == 200

    specialist = Client().post(
        url, {"username": cast.specialist_a.username, "password": password}, content_type="application/json"
    )
    assert specialist.status_code == 200


def test_two_step_sign_in_through_the_api(cast, password, authenticator_code):
    api = Client(HTTP_AUTHORIZATION=f"Token {cast.token(cast.specialist_a, two_factor_passed=False)}")
    assert api.get("/api/v1/me/two-step/").json() == {
        "enabled": False,
        "required": False,
        "recovery_codes_left": 0,
    }
    started = api.post("/api/v1/me/two-step/start/")
    assert started.status_code == 201
    secret = started.json()["secret"]
    assert started.json()["uri"].startswith("otpauth://totp/")
    bad = api.post("/api/v1/me/two-step/confirm/", {"code": "000000"}, content_type="application/json")
    assert bad.status_code == 400 and "code" in bad.json()["error"]["fields"]
    confirmed = api.post(
        "/api/v1/me/two-step/confirm/", {"code": authenticator_code(secret)}, content_type="application/json"
    )
    assert confirmed.status_code == 200 and len(confirmed.json()["recovery_codes"]) == 10
    # The token was issued without this second step: it ends here, and a new one takes the code.
    assert api.get("/api/v1/me/two-step/").status_code == 401
    issued = Client().post(
        "/api/v1/auth/token/",
        {"username": cast.specialist_a.username, "password": password, "code": authenticator_code(secret, 1)},
        content_type="application/json",
    )
    api = Client(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert api.get("/api/v1/me/two-step/").json()["enabled"] is True
    off = api.post(
        "/api/v1/me/two-step/disable/",
        {"code": authenticator_code(secret, 2)},
        content_type="application/json",
    )
    assert off.status_code == 200 and off.json()["enabled"] is False
    assert actions(cast.specialist_a) == [
        "2fa_enabled",
        "recovery_issued",
        "token_revoked",
        "token_refused",
        "token_issued",
        "2fa_disabled",
    ]


def test_the_second_step_pages_are_translated(cast, password):
    client = Client()
    client.post("/accounts/login/", {"username": cast.manager_a.username, "password": password})
    kazakh = client.get("/accounts/two-step/setup/").content.decode()
    client.cookies["tirek_language"] = "ru"
    russian = client.get("/accounts/two-step/setup/").content.decode()
    assert "Екі кезеңді кіруді баптау" in kazakh
    assert "Настройка двухэтапного входа" in russian


def test_after_a_wrong_code_the_next_attempt_must_wait(cast, settings, authenticator_code, enrol):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = enrol(cast.specialist_a)
    assert two_factor_verify(user=cast.specialist_a, code="000000") is None
    assert two_factor_verify(user=cast.specialist_a, code=authenticator_code(device, 1)) is None  # too soon
    device.refresh_from_db()
    device.throttling_failure_timestamp -= dt.timedelta(seconds=5)
    device.save()
    assert two_factor_verify(user=cast.specialist_a, code=authenticator_code(device, 1)) == device


def test_the_pages_of_the_second_step_show_no_menus_and_htmx_from_them_does_not_loop(cast, password):
    client = sign_in(cast.manager_a, password)
    page = client.get("/accounts/two-step/setup/").content.decode()
    assert "notifications/bell" not in page and 'data-testid="user-menu"' not in page
    # The bell (or any htmx call) from the set-up page itself is answered without sending the page to itself.
    quiet = client.get(
        "/notifications/bell/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/accounts/two-step/setup/?next=/",
    )
    assert quiet.status_code == 204 and "HX-Redirect" not in quiet
    after = cast.client(cast.manager_a).get("/").content.decode()
    assert "notifications/bell" in after
