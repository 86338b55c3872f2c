from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.accounts.models import Membership, User
from tirek.accounts.services import membership_update, staff_add
from tirek.audit.models import AuditEvent
from tirek.core.errors import NotAllowed


def test_the_first_screen_is_in_kazakh_whatever_the_browser_asks(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "kk"
    assert '<html lang="kk">' in response.content.decode()


def test_the_language_switch_remembers_the_choice(client, db):
    client.post(reverse("set_language"), {"language": "ru", "next": "/accounts/login/"})
    response = client.get(reverse("accounts:login"))
    assert response["Content-Language"] == "ru"
    assert "Войти" in response.content.decode()


def test_a_user_with_two_organisations_switches_the_active_one(cast):
    Membership.objects.create(user=cast.specialist_a, organisation=cast.shymkent, role="coordinator")
    client = cast.client(cast.specialist_a)
    assert client.get(f"/api/v1/programmes/{cast.programme_b.pk}/").status_code == 404
    response = client.post(
        reverse("accounts:switch_organisation"), {"organisation": cast.shymkent.pk, "next": "/"}
    )
    assert response.status_code == 302
    assert client.get(f"/api/v1/programmes/{cast.programme_b.pk}/").status_code == 200
    assert client.get(f"/api/v1/programmes/{cast.programme_a.pk}/").status_code == 404
    me = client.get("/api/v1/me/").json()
    assert me["active_organisation"] == str(cast.shymkent.pk)
    assert {m["role"] for m in me["memberships"]} == {"specialist", "coordinator"}


def test_nobody_switches_into_an_organisation_they_do_not_belong_to(cast):
    client = cast.client(cast.specialist_a)
    response = client.post(
        "/api/v1/me/active-organisation/",
        {"organisation": str(cast.shymkent.pk)},
        content_type="application/json",
    )
    assert response.status_code == 404
    cast.specialist_a.refresh_from_db()
    assert cast.specialist_a.active_organisation_id == cast.almaty.pk


def test_the_profile_page_saves_details_and_keeps_a_bad_phone(cast):
    client = cast.client(cast.specialist_a)
    response = client.post(
        reverse("accounts:profile"),
        {
            "last_name": "Омарова",
            "first_name": "Сәуле",
            "patronymic": "",
            "email": "s@example.kz",
            "phone": "8701",
        },
    )
    assert response.status_code == 200
    assert 'value="8701"' in response.content.decode()
    response = client.post(
        reverse("accounts:profile"),
        {
            "last_name": "Омарова",
            "first_name": "Сәуле",
            "patronymic": "",
            "email": "s@example.kz",
            "phone": "+77011234567",
        },
    )
    assert response.status_code == 302
    cast.specialist_a.refresh_from_db()
    assert cast.specialist_a.phone == "+77011234567"


def test_password_reset_sends_a_link_that_sets_a_new_password(cast, client):
    cast.specialist_a.email = "alice@example.kz"
    cast.specialist_a.save()
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.kz"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "a-new-long-passphrase-2026"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    cast.specialist_a.refresh_from_db()
    assert cast.specialist_a.check_password(new_password)


def test_password_change_refuses_a_short_password(cast):
    client = cast.client(cast.specialist_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "correct-horse-battery-staple", "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_a_manager_adds_a_new_staff_member_who_gets_an_invitation(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client(cast.manager_a).post(
            reverse("accounts:staff_add"),
            {
                "username": "dana",
                "last_name": "Сейітова",
                "first_name": "Дана",
                "email": "dana@example.kz",
                "role": "specialist",
            },
        )
    assert response.status_code == 302
    dana = User.objects.get(username="dana")
    assert not dana.has_usable_password()
    assert Membership.objects.get(user=dana).organisation == cast.almaty
    assert len(mail.outbox) == 1
    assert "dana" in mail.outbox[0].body
    assert AuditEvent.objects.filter(object_type="accounts.membership", action="create").count() == 1


def test_an_administrator_gives_an_existing_user_a_second_organisation(cast):
    membership = staff_add(actor=cast.admin, organisation=cast.shymkent, username="alice", role="specialist")
    assert membership.user == cast.specialist_a
    with pytest.raises(ValidationError) as again:
        staff_add(actor=cast.admin, organisation=cast.shymkent, username="alice", role="specialist")
    assert "username" in again.value.message_dict


def test_a_manager_cannot_make_an_administrator(cast):
    with pytest.raises(NotAllowed):
        staff_add(
            actor=cast.manager_a,
            organisation=cast.almaty,
            username="eve",
            role="administrator",
            last_name="Евина",
            first_name="Ева",
        )
    assert not User.objects.filter(username="eve").exists()


def test_a_manager_cannot_remove_their_own_manager_role(cast):
    own = Membership.objects.get(user=cast.manager_a)
    with pytest.raises(ValidationError):
        membership_update(actor=cast.manager_a, membership=own, role="specialist")
    own.refresh_from_db()
    assert own.role == "manager"


def test_a_deactivated_member_loses_access(cast):
    membership = Membership.objects.get(user=cast.specialist_a)
    membership_update(actor=cast.manager_a, membership=membership, is_active=False)
    client = cast.client(cast.specialist_a)
    assert client.get("/api/v1/programmes/").json()["results"] == []


def test_an_api_token_is_issued_for_a_correct_password_only(cast, client):
    wrong = client.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "nope"}, content_type="application/json"
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_credentials"
    right = client.post(
        "/api/v1/auth/token/",
        {"username": "alice", "password": "correct-horse-battery-staple"},
        content_type="application/json",
    )
    token = right.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["username"] == "alice"
