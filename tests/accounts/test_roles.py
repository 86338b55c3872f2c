"""Roles cannot escalate: a manager grants and removes the casework roles of their own organisation only;
the analyst and administrator roles, the data protection officer's flag and a place for an account of another
organisation are an administrator's to give (accounts.roles). Every refusal is audited."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tirek.accounts.models import Membership, User
from tirek.audit.models import AuditEvent

CASEWORK = ["specialist", "coordinator", "intake", "manager"]
EVERY_ROLE = [*CASEWORK, "analyst", "administrator"]


def patch(client, membership, body):
    return client.patch(f"/api/v1/memberships/{membership.pk}/", body, content_type="application/json")


def add(client, body):
    return client.post("/api/v1/memberships/", body, content_type="application/json")


def refusals(actor):
    return AuditEvent.objects.filter(actor=actor, action="permission_denied")


@pytest.fixture
def analyst_a(cast):
    """An analyst whose membership is in the Almaty centre."""
    user = User.objects.create_user(username="arman", first_name="Арман", active_organisation=cast.almaty)
    return Membership.objects.create(user=user, organisation=cast.almaty, role="analyst")


# -- the API -------------------------------------------------------------------------------------------------


def test_a_manager_cannot_make_a_colleague_an_analyst(cast):
    membership = Membership.objects.get(user=cast.specialist_a)
    response = patch(cast.client(cast.manager_a), membership, {"role": "analyst"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    membership.refresh_from_db()
    assert membership.role == "specialist"
    event = refusals(cast.manager_a).get()
    assert (event.object_id, event.organisation_id) == (str(membership.pk), cast.almaty.pk)
    assert "analyst" in event.note


def test_a_manager_cannot_make_a_colleague_an_administrator(cast):
    membership = Membership.objects.get(user=cast.coordinator_a)
    assert patch(cast.client(cast.manager_a), membership, {"role": "administrator"}).status_code == 403
    membership.refresh_from_db()
    assert membership.role == "coordinator"
    assert refusals(cast.manager_a).count() == 1


@pytest.mark.parametrize("role", ["analyst", "administrator"])
def test_a_manager_cannot_raise_their_own_role(cast, role):
    own = Membership.objects.get(user=cast.manager_a)
    assert patch(cast.client(cast.manager_a), own, {"role": role}).status_code == 403
    own.refresh_from_db()
    assert own.role == "manager"
    assert not cast.manager_a.roles() & {"analyst", "administrator"}


def test_a_manager_cannot_make_themself_the_data_protection_officer(cast):
    own = Membership.objects.get(user=cast.manager_a)
    response = patch(cast.client(cast.manager_a), own, {"is_data_protection_officer": True})
    assert response.status_code == 403
    own.refresh_from_db()
    assert not own.is_data_protection_officer
    assert "data protection officer" in refusals(cast.manager_a).get().note
    assert cast.client(cast.manager_a).get("/api/v1/audit-events/").status_code == 403


def test_a_manager_cannot_name_a_colleague_the_data_protection_officer(cast):
    membership = Membership.objects.get(user=cast.specialist_a)
    assert (
        patch(cast.client(cast.manager_a), membership, {"is_data_protection_officer": True}).status_code
        == 403
    )
    membership.refresh_from_db()
    assert not membership.is_data_protection_officer


def test_a_manager_cannot_change_or_remove_the_data_protection_officer(cast):
    membership = Membership.objects.get(user=cast.specialist_a)
    Membership.objects.filter(pk=membership.pk).update(is_data_protection_officer=True)
    client = cast.client(cast.manager_a)
    for body in ({"is_data_protection_officer": False}, {"is_active": False}, {"role": "coordinator"}):
        assert patch(client, membership, body).status_code == 403, body
    membership.refresh_from_db()
    assert (membership.is_data_protection_officer, membership.is_active, membership.role) == (
        True,
        True,
        "specialist",
    )


def test_a_manager_cannot_change_or_remove_an_analysts_membership(cast, analyst_a):
    client = cast.client(cast.manager_a)
    for body in ({"role": "specialist"}, {"is_active": False}):
        assert patch(client, analyst_a, body).status_code == 403, body
    analyst_a.refresh_from_db()
    assert (analyst_a.role, analyst_a.is_active) == ("analyst", True)


def test_a_manager_cannot_remove_an_administrators_membership(cast):
    membership = Membership.objects.create(user=cast.admin, organisation=cast.almaty, role="administrator")
    assert patch(cast.client(cast.manager_a), membership, {"is_active": False}).status_code == 403
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.parametrize("role", CASEWORK)
def test_a_manager_grants_the_casework_roles_and_it_is_audited(cast, role):
    membership = Membership.objects.get(
        user=cast.coordinator_a if role != "coordinator" else cast.specialist_a
    )
    before = membership.role
    response = patch(cast.client(cast.manager_a), membership, {"role": role})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == role
    event = AuditEvent.objects.get(action="update", object_type="accounts.membership")
    assert event.changes == {"role": [before, role]}


def test_a_manager_removes_a_colleague_and_it_is_audited(cast):
    membership = Membership.objects.get(user=cast.specialist_a)
    assert patch(cast.client(cast.manager_a), membership, {"is_active": False}).status_code == 200
    event = AuditEvent.objects.get(action="update", object_type="accounts.membership")
    assert event.changes == {"is_active": [True, False]}


def test_a_manager_adding_the_administrator_by_login_is_answered_as_for_an_unknown_login(cast):
    client = cast.client(cast.manager_a)
    known = add(client, {"username": cast.admin.username, "role": "specialist"})
    unknown = add(client, {"username": "nobody-by-this-name", "role": "specialist"})
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()
    body = known.content.decode()
    assert cast.admin.first_name not in body and cast.admin.username not in body
    assert not Membership.objects.filter(user=cast.admin, organisation=cast.almaty).exists()
    assert not User.objects.filter(username="nobody-by-this-name").exists()
    # The try is on record (the account's id, never its name); the unknown login is no refusal.
    event = refusals(cast.manager_a).get()
    assert (event.object_type, event.object_id) == ("accounts.user", str(cast.admin.pk))
    assert event.organisation_id == cast.almaty.pk
    assert cast.admin.first_name not in f"{event.object_repr} {event.note}"


def test_a_manager_choosing_a_taken_login_for_a_new_account_is_told_only_that_it_is_taken(cast):
    response = add(
        cast.client(cast.manager_a),
        {
            "username": cast.specialist_b.username,
            "role": "specialist",
            "last_name": "Ахметова",
            "first_name": "Дана",
        },
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["username"]
    assert cast.specialist_b.first_name not in response.content.decode()
    assert Membership.objects.filter(user=cast.specialist_b).count() == 1
    cast.specialist_b.refresh_from_db()
    assert cast.specialist_b.last_name == ""


def test_a_manager_still_creates_a_new_account_for_their_organisation(cast):
    response = add(
        cast.client(cast.manager_a),
        {"username": "dana", "role": "intake", "last_name": "Сейітова", "first_name": "Дана"},
    )
    assert response.status_code == 201
    assert response.json()["full_name"] == "Сейітова Дана"
    assert Membership.objects.get(user__username="dana").organisation == cast.almaty


def test_a_manager_cannot_create_an_analyst(cast):
    response = add(
        cast.client(cast.manager_a),
        {"username": "dana", "role": "analyst", "last_name": "Сейітова", "first_name": "Дана"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="dana").exists()
    assert refusals(cast.manager_a).count() == 1


def test_an_administrator_grants_every_role_and_names_the_officer(cast):
    client = cast.client(cast.admin)
    membership = Membership.objects.get(user=cast.specialist_a)
    for role in EVERY_ROLE:
        assert patch(client, membership, {"role": role}).status_code == 200, role
    assert patch(client, membership, {"is_data_protection_officer": True}).status_code == 200
    membership.refresh_from_db()
    assert (membership.role, membership.is_data_protection_officer) == ("administrator", True)
    assert not refusals(cast.admin).exists()


def test_an_administrator_changes_and_removes_an_analysts_membership(cast, analyst_a):
    client = cast.client(cast.admin)
    assert patch(client, analyst_a, {"role": "coordinator"}).status_code == 200
    assert patch(client, analyst_a, {"is_active": False}).status_code == 200


def test_an_administrator_adds_an_account_of_another_organisation(cast):
    response = add(
        cast.client(cast.admin),
        {"organisation": str(cast.almaty.pk), "username": cast.specialist_b.username, "role": "analyst"},
    )
    assert response.status_code == 201
    assert response.json()["user"] == str(cast.specialist_b.pk)
    assert cast.specialist_b.roles(cast.almaty.pk) == {"analyst"}


def test_the_membership_api_shows_a_manager_nothing_of_other_organisations(cast):
    # Bolat is in Shymkent and, since today, in Almaty too: Almaty's manager sees his Almaty membership only.
    Membership.objects.create(user=cast.specialist_b, organisation=cast.almaty, role="specialist")
    client = cast.client(cast.manager_a)
    listed = client.get("/api/v1/memberships/").json()["results"]
    assert {m["organisation"] for m in listed} == {str(cast.almaty.pk)}
    assert {m["username"] for m in listed} == {"alice", "aigerim", "asel", "bolat"}
    for username in ("bota", "bakyt", "erlan", "gulnar"):
        assert username not in str(listed)
    shymkent = Membership.objects.get(user=cast.specialist_b, organisation=cast.shymkent)
    assert client.get(f"/api/v1/memberships/{shymkent.pk}/").status_code == 404
    assert client.get("/api/v1/memberships/", {"organisation": cast.shymkent.pk}).json()["results"] == []


# -- the pages -----------------------------------------------------------------------------------------------


def offered(response) -> list[str]:
    return [value for value, _label in response.context["form"].fields["role"].widget.choices if value]


def test_the_add_form_offers_a_manager_the_casework_roles_only(cast):
    page = cast.client(cast.manager_a).get(reverse("accounts:staff_add"))
    assert offered(page) == CASEWORK
    assert 'value="analyst"' not in page.content.decode()
    assert offered(cast.client(cast.admin).get(reverse("accounts:staff_add"))) == EVERY_ROLE


def test_the_edit_form_offers_a_manager_neither_the_other_roles_nor_the_officers_flag(cast):
    membership = Membership.objects.get(user=cast.specialist_a)
    url = reverse("accounts:membership_edit", args=[membership.pk])
    page = cast.client(cast.manager_a).get(url)
    assert offered(page) == CASEWORK
    assert "is_data_protection_officer" not in page.context["form"].fields
    admin_page = cast.client(cast.admin).get(url)
    assert offered(admin_page) == EVERY_ROLE
    assert "is_data_protection_officer" in admin_page.context["form"].fields


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_forbidden_role_posted_anyway_is_refused_on_the_form_in_the_users_language(cast, language):
    client = cast.client(cast.manager_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    typed = {"username": "dana", "last_name": "Сейітова", "first_name": "Дана", "role": "analyst"}
    response = client.post(reverse("accounts:staff_add"), typed)
    assert response.status_code == 403
    form = response.context["form"]
    with translation.override(language):
        expected = translation.gettext("Only an administrator can grant this role.")
    assert expected != "Only an administrator can grant this role."
    assert form.errors["role"] == [expected]
    assert expected in response.content.decode()
    assert 'value="Сейітова"' in response.content.decode()  # what was typed is kept
    assert not User.objects.filter(username="dana").exists()
    assert refusals(cast.manager_a).count() == 1


def test_a_forbidden_role_posted_on_the_edit_page_is_refused_and_nothing_changes(cast):
    membership = Membership.objects.get(user=cast.specialist_a)
    response = cast.client(cast.manager_a).post(
        reverse("accounts:membership_edit", args=[membership.pk]),
        {"role": "analyst", "profession": membership.profession_id, "is_active": "on"},
    )
    assert response.status_code == 403
    assert response.context["form"].errors["role"]
    membership.refresh_from_db()
    assert membership.role == "specialist"


def test_the_officers_flag_posted_by_a_manager_anyway_changes_nothing(cast):
    own = Membership.objects.get(user=cast.manager_a)
    cast.client(cast.manager_a).post(
        reverse("accounts:membership_edit", args=[own.pk]),
        {"role": "manager", "is_active": "on", "is_data_protection_officer": "on"},
    )
    own.refresh_from_db()
    assert not own.is_data_protection_officer


def test_a_manager_cannot_open_an_analysts_membership_and_the_list_offers_no_link(cast, analyst_a):
    client = cast.client(cast.manager_a)
    url = reverse("accounts:membership_edit", args=[analyst_a.pk])
    assert client.get(url).status_code == 403
    assert refusals(cast.manager_a).count() == 1
    listing = client.get(reverse("accounts:staff_list")).content.decode()
    assert url not in listing
    assert (
        reverse("accounts:membership_edit", args=[Membership.objects.get(user=cast.specialist_a).pk])
        in listing
    )
    assert cast.client(cast.admin).get(url).status_code == 200


def test_the_add_page_answers_a_manager_about_the_administrators_login_as_about_an_unknown_one(cast):
    client = cast.client(cast.manager_a)
    known = client.post(
        reverse("accounts:staff_add"), {"username": cast.admin.username, "role": "specialist"}
    )
    unknown = client.post(reverse("accounts:staff_add"), {"username": "nobody-here", "role": "specialist"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    assert "username" not in known.context["form"].errors
    assert cast.admin.first_name not in known.content.decode()
    assert not Membership.objects.filter(user=cast.admin, organisation=cast.almaty).exists()
