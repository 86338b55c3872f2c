"""The data protection officer reads their organisation's trail (page, API, navigation); administrators
name them (tests/accounts/test_roles.py: managers cannot)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.accounts.models import Membership
from tirek.audit.models import AuditEvent
from tirek.audit.selectors import audit_event_list
from tirek.directory.services import programme_update


@pytest.fixture
def two_updates(cast):
    programme_update(actor=cast.manager_a, programme=cast.programme_a, yearly_target=5)
    programme_update(actor=cast.manager_b, programme=cast.programme_b, yearly_target=6)


def test_an_officer_reads_only_their_organisations_events(cast, officer_a, two_updates):
    client = cast.client(officer_a)
    page = client.get(reverse("audit:event_list"), {"action": "update"})
    assert page.status_code == 200
    assert {e.organisation_id for e in page.context["page"]} == {cast.almaty.pk}
    api = client.get("/api/v1/audit-events/", {"action": "update"}).json()["results"]
    assert [e["organisation"] for e in api] == [str(cast.almaty.pk)]


def test_another_organisations_events_stay_out_whatever_the_filter(cast, officer_b, two_updates):
    client = cast.client(officer_b)
    api = client.get("/api/v1/audit-events/", {"organisation": cast.almaty.pk}).json()["results"]
    assert api == []
    assert not audit_event_list(user=officer_b, organisation=cast.almaty.pk).exists()
    # The page does not even offer the other organisation.
    page = client.get(reverse("audit:event_list"), {"organisation": cast.almaty.pk})
    assert "organisation" in page.context["filters"].errors
    assert list(page.context["page"]) == []


def test_an_administrator_reads_every_organisations_events(cast, two_updates):
    organisations = set(
        AuditEvent.objects.visible_to(cast.admin)
        .filter(action="update")
        .values_list("organisation_id", flat=True)
    )
    assert organisations == {cast.almaty.pk, cast.shymkent.pk}


def test_an_officer_acts_in_their_active_organisation_only(cast, officer_a, two_updates):
    # The same person is also an ordinary member in Shymkent: acting there, no trail.
    Membership.objects.create(user=officer_a, organisation=cast.shymkent, role="specialist")
    officer_a.active_organisation = cast.shymkent
    officer_a.save()
    client = cast.client(officer_a)
    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get("/api/v1/audit-events/").status_code == 403


def test_an_inactive_officer_membership_reads_nothing(cast, officer_a, two_updates):
    Membership.objects.filter(user=officer_a).update(is_active=False)
    officer_a.forget_roles()
    assert not AuditEvent.objects.visible_to(officer_a).exists()


@pytest.mark.parametrize("role", ["specialist_a", "coordinator_a", "manager_a", "analyst", "outsider"])
def test_members_who_are_not_officers_cannot_read_the_trail(cast, role):
    client = cast.client(getattr(cast, role))
    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get("/api/v1/audit-events/").status_code == 403
    assert client.post(reverse("exports:audit_trail"), {"format": "csv"}).status_code == 403
    assert client.get("/api/v1/audit-events/export/", {"format": "csv"}).status_code == 403


def test_the_navigation_shows_the_trail_to_officers_and_administrators_only(cast, officer_a):
    url = reverse("audit:event_list")
    for user, shown in ((officer_a, True), (cast.admin, True), (cast.manager_a, False)):
        home = cast.client(user).get("/")
        links = [href for href, _label in home.context["nav_directory"]]
        assert (url in links) is shown, user


def test_an_administrator_names_the_officer_on_the_staff_page(cast):
    membership = Membership.objects.get(user=cast.specialist_a)
    client = cast.client(cast.admin)
    response = client.post(
        reverse("accounts:membership_edit", args=[membership.pk]),
        {
            "role": "specialist",
            "profession": membership.profession_id,
            "is_active": "on",
            "is_data_protection_officer": "on",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_data_protection_officer
    event = AuditEvent.objects.get(object_type="accounts.membership", action="update")
    assert event.changes == {"is_data_protection_officer": [False, True]}
    assert cast.client(cast.specialist_a).get(reverse("audit:event_list")).status_code == 200


def test_an_administrator_names_the_officer_through_the_api(cast):
    membership = Membership.objects.get(user=cast.coordinator_a)
    client = cast.client(cast.admin)
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}/",
        {"is_data_protection_officer": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["is_data_protection_officer"] is True
    assert AuditEvent.objects.filter(object_type="accounts.membership", action="update").count() == 1
    assert cast.client(cast.coordinator_a).get("/api/v1/audit-events/").status_code == 200


def test_another_organisations_manager_cannot_name_the_officer(cast):
    membership = Membership.objects.get(user=cast.coordinator_a)
    client = cast.client(cast.manager_b)
    response = client.patch(
        f"/api/v1/memberships/{membership.pk}/",
        {"is_data_protection_officer": True},
        content_type="application/json",
    )
    assert response.status_code == 404
    specialist = cast.client(cast.specialist_a).patch(
        f"/api/v1/memberships/{membership.pk}/",
        {"is_data_protection_officer": True},
        content_type="application/json",
    )
    assert specialist.status_code == 403
    assert not Membership.objects.get(pk=membership.pk).is_data_protection_officer
