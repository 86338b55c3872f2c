from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.people.models import Consent, FamilyMember
from tirek.people.services import person_register


def register_mother(cast, iin):
    return person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        iin=iin(dt.date(1993, 6, 2), "female", 21),
        surname="Қасымова",
        given_name="Гүлнар",
    )


def test_a_family_groups_a_child_and_a_legal_representative_through_the_api(cast, child, iin):
    mother = register_mother(cast, iin)
    client = cast.client(cast.coordinator_a)
    family = client.post(
        "/api/v1/families/",
        {"name": "Қасымовтар", "region": "750000000", "single_parent": True},
        content_type="application/json",
    ).json()
    for person, role, legal in ((child, "child", False), (mother, "mother", True)):
        response = client.post(
            f"/api/v1/families/{family['id']}/members/",
            {"person": str(person.pk), "role": role, "is_legal_representative": legal},
            content_type="application/json",
        )
        assert response.status_code == 201
    body = client.get(f"/api/v1/families/{family['id']}/").json()
    assert {(m["role"], m["is_legal_representative"]) for m in body["members"]} == {
        ("child", False),
        ("mother", True),
    }
    assert body["single_parent"] is True
    bad = client.post(
        "/api/v1/families/", {"name": "X", "difficult_situation": True}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "difficult_situation_grounds" in bad.json()["error"]["fields"]


def test_a_consent_is_given_by_the_legal_representative_and_can_be_withdrawn(cast, child, iin):
    mother = register_mother(cast, iin)
    client = cast.client(cast.coordinator_a)
    family = client.post("/api/v1/families/", {"name": "Қасымовтар"}, content_type="application/json").json()
    client.post(
        f"/api/v1/families/{family['id']}/members/",
        {"person": str(child.pk), "role": "child"},
        content_type="application/json",
    )
    body = {
        "person": str(child.pk),
        "given_by": str(mother.pk),
        "purposes": ["services", "sharing"],
        "given_on": str(timezone.localdate()),
        "shared_with": [str(cast.shymkent.pk)],
        "document_reference": "№12",
    }
    refused = client.post("/api/v1/consents/", body, content_type="application/json")
    assert refused.status_code == 400
    assert "given_by" in refused.json()["error"]["fields"]
    client.post(
        f"/api/v1/families/{family['id']}/members/",
        {"person": str(mother.pk), "role": "mother", "is_legal_representative": True},
        content_type="application/json",
    )
    created = client.post("/api/v1/consents/", body, content_type="application/json")
    assert created.status_code == 201
    consent = created.json()
    assert consent["is_active"] is True
    assert consent["shared_with"] == [str(cast.shymkent.pk)]
    withdrawn = client.post(
        f"/api/v1/consents/{consent['id']}/withdraw/",
        {"withdrawn_by": "Қасымова Гүлнар"},
        content_type="application/json",
    )
    assert withdrawn.json()["is_active"] is False
    again = client.post(
        f"/api/v1/consents/{consent['id']}/withdraw/", {"withdrawn_by": "x"}, content_type="application/json"
    )
    assert again.status_code == 400
    assert AuditEvent.objects.filter(object_type="people.consent", subject_person_id=child.pk).count() == 2


def test_consents_and_families_of_another_organisation_are_not_found(cast, child, iin):
    mother = register_mother(cast, iin)
    client = cast.client(cast.coordinator_a)
    family = client.post("/api/v1/families/", {"name": "Қасымовтар"}, content_type="application/json").json()
    client.post(
        f"/api/v1/families/{family['id']}/members/",
        {"person": str(child.pk), "role": "child"},
        content_type="application/json",
    )
    client.post(
        f"/api/v1/families/{family['id']}/members/",
        {"person": str(mother.pk), "role": "mother", "is_legal_representative": True},
        content_type="application/json",
    )
    consent = client.post(
        "/api/v1/consents/",
        {
            "person": str(child.pk),
            "given_by": str(mother.pk),
            "purposes": ["services"],
            "given_on": str(timezone.localdate()),
        },
        content_type="application/json",
    ).json()
    other = cast.client(cast.coordinator_b)
    assert other.get(f"/api/v1/families/{family['id']}/").status_code == 404
    assert other.get(f"/api/v1/consents/{consent['id']}/").status_code == 404
    assert other.get("/api/v1/consents/").json()["results"] == []
    assert other.get(reverse("people:family_detail", args=[family["id"]])).status_code == 404
    assert Consent.objects.count() == 1


def test_a_new_member_is_registered_into_the_family_in_one_step(cast, child, iin):
    client = cast.client(cast.coordinator_a)
    family = client.post("/api/v1/families/", {"name": "Қасымовтар"}, content_type="application/json").json()
    response = client.post(
        reverse("people:person_register") + f"?family={family['id']}",
        {
            "link-family_role": "father",
            "link-family_legal_representative": "on",
            "iin": iin(dt.date(1990, 1, 5), "male", 31),
            "surname": "Қасымов",
            "given_name": "Нұрлан",
        },
    )
    assert response.status_code == 302
    member = FamilyMember.objects.get(family_id=family["id"])
    assert (member.role, member.is_legal_representative, member.person.given_name) == (
        "father",
        True,
        "Нұрлан",
    )


def test_a_member_is_added_by_iin_among_the_persons_served(cast, child):
    client = cast.client(cast.coordinator_a)
    family = client.post("/api/v1/families/", {"name": "Қасымовтар"}, content_type="application/json").json()
    url = reverse("people:family_member_add", args=[family["id"]])
    unknown = client.post(url, {"iin": "791028302728", "role": "other"})
    assert unknown.status_code == 200
    assert unknown.context["form"].errors["iin"]
    assert client.post(url, {"iin": child.iin, "role": "child"}).status_code == 302
    assert FamilyMember.objects.filter(family_id=family["id"], person=child).exists()


def test_a_malformed_consent_id_is_not_found_like_a_missing_one(cast):
    client = cast.client(cast.coordinator_a)
    assert client.get("/api/v1/consents/not-a-uuid/").status_code == 404
    assert client.get("/api/v1/consents/00000000-0000-0000-0000-000000000000/").status_code == 404
