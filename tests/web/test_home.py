from __future__ import annotations

from django.urls import reverse

from tirek.accounts.models import Membership


def test_a_manager_sees_their_programmes_and_staff_with_actions(cast):
    response = cast.client(cast.manager_a).get(reverse("web:home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ерте араласу" in content
    assert "Ерте араласу Шымкент" not in content
    assert {m.user.username for m in response.context["staff"]} == {"alice", "aigerim", "asel"}
    assert reverse("accounts:staff_add") in content
    assert reverse("directory:programme_create") in content


def test_a_specialist_sees_the_same_organisation_without_management_actions(cast):
    content = cast.client(cast.specialist_a).get(reverse("web:home")).content.decode()
    assert "Ерте араласу" in content
    assert reverse("accounts:staff_add") not in content
    assert reverse("audit:event_list") not in content


def test_an_analyst_sees_the_network_by_region(cast):
    response = cast.client(cast.analyst).get(reverse("web:home"))
    summary = response.context["summary"]
    assert summary["organisations"] == 3
    assert {row["region__kato"]: row["total"] for row in summary["by_region"]} == {
        "750000000": 1,
        "790000000": 1,
        "710000000": 1,
    }


def test_an_administrator_is_offered_administration(cast):
    content = cast.client(cast.admin).get(reverse("web:home")).content.decode()
    assert reverse("admin:index") in content
    assert reverse("audit:event_list") in content


def test_a_user_without_membership_is_told_what_to_do(cast):
    response = cast.client(cast.outsider).get(reverse("web:home"))
    assert response.status_code == 200
    assert response.context["active_organisation"] is None


def test_a_user_in_two_organisations_sees_both_and_can_switch(cast):
    Membership.objects.create(user=cast.manager_a, organisation=cast.shymkent, role="specialist")
    response = cast.client(cast.manager_a).get(reverse("web:home"))
    assert len(response.context["memberships"]) == 2
    assert reverse("accounts:switch_organisation") in response.content.decode()


def test_the_home_page_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    client = cast.client(cast.manager_a)
    with django_assert_max_num_queries(14):
        client.get(reverse("web:home"))


def test_error_pages_are_translated(cast):
    client = cast.client(cast.specialist_a)
    kazakh = client.get("/no-such-page/")
    assert kazakh.status_code == 404
    assert "Бет табылмады" in kazakh.content.decode()
    client.post(reverse("set_language"), {"language": "ru"})
    assert "Страница не найдена" in client.get("/no-such-page/").content.decode()
    assert client.get("/api/v1/no-such-thing/").json()["error"]["code"] == "not_found"


def test_every_page_of_the_shell_renders_for_its_roles(cast):
    pages = {
        cast.specialist_a: [
            "web:home",
            "directory:organisation_list",
            "directory:programme_list",
            "accounts:staff_list",
            "accounts:profile",
            "accounts:password_change",
            "catalog:index",
        ],
        cast.admin: ["audit:event_list", "directory:organisation_create", "admin:index"],
        cast.manager_a: ["directory:programme_create", "accounts:staff_add"],
    }
    for user, names in pages.items():
        client = cast.client(user)
        for name in names:
            assert client.get(reverse(name)).status_code == 200, name
    detail = cast.client(cast.specialist_a).get(
        reverse("directory:organisation_detail", args=[cast.almaty.pk])
    )
    assert detail.status_code == 200


def test_the_directory_and_administration_sit_in_one_menu(cast):
    from django.utils import translation

    from tirek.web.navigation import navigation_for

    def menus(user):
        with translation.override("en"):
            nav = navigation_for(user)
            return [str(label) for _u, label in nav["nav_items"]], [
                str(label) for _u, label in nav["nav_directory"]
            ]

    bar, directory = menus(cast.specialist_a)
    assert directory == ["Organisations", "Memoranda", "Programmes", "Staff", "Reference data"]
    assert not set(directory) & set(bar) and "Sessions" in bar
    assert menus(cast.admin)[1][-2:] == ["Audit trail", "Administration"]
    page = cast.client(cast.specialist_a).get(reverse("web:home")).content.decode()
    assert 'data-testid="directory-menu"' in page
