"""The scoping pattern: another organisation's record is a 404 like a missing one; a missing role is a 403."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tirek.accounts.models import Membership
from tirek.directory.models import Programme


def api(cast, user):
    return cast.client(user)


class TestProgrammes:
    def test_a_member_sees_only_their_organisations_programmes(self, cast):
        response = api(cast, cast.specialist_a).get("/api/v1/programmes/")
        assert response.status_code == 200
        assert [p["id"] for p in response.json()["results"]] == [str(cast.programme_a.pk)]

    def test_another_organisations_programme_is_not_found_like_a_missing_one(self, cast):
        client = api(cast, cast.manager_a)
        foreign = client.get(f"/api/v1/programmes/{cast.programme_b.pk}/")
        missing = client.get(f"/api/v1/programmes/{uuid.uuid4()}/")
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json() == missing.json()
        page = client.get(reverse("directory:programme_detail", args=[cast.programme_b.pk]))
        assert page.status_code == 404

    def test_a_foreign_programme_cannot_be_changed(self, cast):
        response = api(cast, cast.manager_a).patch(
            f"/api/v1/programmes/{cast.programme_b.pk}/",
            {"yearly_capacity": 1},
            content_type="application/json",
        )
        assert response.status_code == 404
        cast.programme_b.refresh_from_db()
        assert cast.programme_b.yearly_capacity == 600

    def test_a_specialist_may_read_but_not_change_a_programme(self, cast):
        client = api(cast, cast.specialist_a)
        assert client.get(f"/api/v1/programmes/{cast.programme_a.pk}/").status_code == 200
        response = client.patch(
            f"/api/v1/programmes/{cast.programme_a.pk}/",
            {"yearly_capacity": 1},
            content_type="application/json",
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
        assert client.get(reverse("directory:programme_edit", args=[cast.programme_a.pk])).status_code == 403

    def test_a_manager_changes_their_own_programme(self, cast):
        response = api(cast, cast.manager_a).patch(
            f"/api/v1/programmes/{cast.programme_a.pk}/",
            {"yearly_capacity": 150},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["yearly_capacity"] == 150

    def test_a_manager_adds_a_programme_to_their_organisation_only(self, cast):
        client = api(cast, cast.manager_a)
        body = {"name_kk": "Дамуды қолдау", "name_ru": "Поддержка развития", "kind": "developmental_support"}
        assert client.post("/api/v1/programmes/", body, content_type="application/json").status_code == 201
        foreign = {**body, "organisation": str(cast.shymkent.pk)}
        assert client.post("/api/v1/programmes/", foreign, content_type="application/json").status_code == 403
        assert not Programme.objects.filter(organisation=cast.shymkent, name_kk="Дамуды қолдау").exists()

    def test_an_analyst_reads_every_organisations_programmes(self, cast):
        response = api(cast, cast.analyst).get("/api/v1/programmes/")
        ids = {p["id"] for p in response.json()["results"]}
        assert {str(cast.programme_a.pk), str(cast.programme_b.pk)} <= ids

    def test_a_user_without_membership_sees_no_programme(self, cast):
        client = api(cast, cast.outsider)
        assert client.get("/api/v1/programmes/").json()["results"] == []
        assert client.get(f"/api/v1/programmes/{cast.programme_a.pk}/").status_code == 404


class TestMemberships:
    def test_colleagues_are_visible_other_organisations_staff_are_not(self, cast):
        response = api(cast, cast.specialist_a).get("/api/v1/memberships/")
        usernames = {m["username"] for m in response.json()["results"]}
        assert usernames == {"alice", "aigerim", "asel"}

    def test_another_organisations_membership_is_not_found(self, cast):
        foreign = Membership.objects.get(user=cast.specialist_b)
        client = api(cast, cast.manager_a)
        assert client.get(f"/api/v1/memberships/{foreign.pk}/").status_code == 404
        assert client.get(reverse("accounts:membership_edit", args=[foreign.pk])).status_code == 404
        response = client.patch(
            f"/api/v1/memberships/{foreign.pk}/", {"role": "manager"}, content_type="application/json"
        )
        assert response.status_code == 404
        foreign.refresh_from_db()
        assert foreign.role == "specialist"

    def test_a_coordinator_cannot_manage_staff(self, cast):
        own = Membership.objects.get(user=cast.specialist_a)
        client = api(cast, cast.coordinator_a)
        response = client.patch(
            f"/api/v1/memberships/{own.pk}/", {"role": "manager"}, content_type="application/json"
        )
        assert response.status_code == 403
        assert client.get(reverse("accounts:staff_add")).status_code == 403

    def test_a_manager_changes_a_colleagues_role(self, cast):
        own = Membership.objects.get(user=cast.specialist_a)
        response = api(cast, cast.manager_a).patch(
            f"/api/v1/memberships/{own.pk}/", {"role": "coordinator"}, content_type="application/json"
        )
        assert response.status_code == 200
        own.refresh_from_db()
        assert own.role == "coordinator"


class TestOrganisations:
    def test_the_directory_is_readable_by_every_signed_in_user(self, cast):
        response = api(cast, cast.specialist_a).get(f"/api/v1/organisations/{cast.shymkent.pk}/")
        assert response.status_code == 200
        assert response.json()["name_kk"] == "«Қамқорлық» бөлімі"

    def test_anonymous_users_get_nothing(self, cast):
        response = cast.client(None).get("/api/v1/organisations/")
        assert response.status_code in (401, 403)
        assert response.json()["error"]["code"] == "not_authenticated"
        page = cast.client(None).get(reverse("directory:organisation_list"))
        assert page.status_code == 302

    def test_a_manager_edits_their_own_organisations_contacts_but_not_anothers(self, cast):
        client = api(cast, cast.manager_a)
        own = client.patch(
            f"/api/v1/organisations/{cast.almaty.pk}/",
            {"phone": "+77272000000"},
            content_type="application/json",
        )
        assert own.status_code == 200
        foreign = client.patch(
            f"/api/v1/organisations/{cast.shymkent.pk}/",
            {"phone": "+77252000000"},
            content_type="application/json",
        )
        assert foreign.status_code == 403

    def test_a_manager_cannot_rename_their_organisation(self, cast):
        response = api(cast, cast.manager_a).patch(
            f"/api/v1/organisations/{cast.almaty.pk}/", {"name_kk": "Басқа"}, content_type="application/json"
        )
        assert response.status_code == 400
        cast.almaty.refresh_from_db()
        assert cast.almaty.name_kk == "«Кеңес» орталығы"

    @pytest.mark.parametrize("role", ["specialist_a", "coordinator_a", "manager_a", "analyst"])
    def test_only_an_administrator_registers_an_organisation(self, cast, role):
        body = {"name_kk": "Жаңа", "name_ru": "Новая", "kind": "ngo", "region": "750000000"}
        client = api(cast, getattr(cast, role))
        assert client.post("/api/v1/organisations/", body, content_type="application/json").status_code == 403
        assert client.get(reverse("directory:organisation_create")).status_code == 403
        created = api(cast, cast.admin).post("/api/v1/organisations/", body, content_type="application/json")
        assert created.status_code == 201
