"""An organisation that sees a person only through a referral reads their contacts and family only when the
referral shares them — on the person page and in the API alike."""

from __future__ import annotations

from django.urls import reverse

from tirek.people.services import person_update


def test_contacts_stay_hidden_unless_the_referral_shares_them(cast, send, child):
    person_update(actor=cast.coordinator_a, person=child, phone="+77011234567", street="Абай даңғылы, 10")
    send(shared_parts=["assessments"])
    client = cast.client(cast.coordinator_b)
    page = client.get(reverse("people:person_detail", args=[child.pk])).content.decode()
    assert "+77011234567" not in page and "Абай даңғылы" not in page
    assert 'data-testid="person-phone"' not in page
    detail = client.get(f"/api/v1/persons/{child.pk}/").json()
    assert (detail["phone"], detail["street"]) == ("", "")
    listed = {p["id"]: p for p in client.get("/api/v1/persons/").json()["results"]}
    assert listed[str(child.pk)]["phone"] == ""
    # The sending centre, which serves the child, reads everything.
    own = cast.client(cast.coordinator_a).get(f"/api/v1/persons/{child.pk}/").json()
    assert own["phone"] == "+77011234567"


def test_a_referral_that_shares_contacts_shows_them(cast, send, child):
    person_update(actor=cast.coordinator_a, person=child, phone="+77011234567")
    send(shared_parts=["contacts"])
    client = cast.client(cast.coordinator_b)
    page = client.get(reverse("people:person_detail", args=[child.pk])).content.decode()
    assert 'data-testid="person-phone"' in page and "+77011234567" in page
    assert client.get(f"/api/v1/persons/{child.pk}/").json()["phone"] == "+77011234567"


def test_a_person_seen_through_a_referral_does_not_open_their_family(cast, send, child, case_a):
    from tirek.people.models import Family, PersonAccess
    from tirek.referrals.services import referral_accept

    family = Family.objects.filter(members__person=child).get()
    referral = send(shared_parts=["assessments"])
    client = cast.client(cast.coordinator_b)
    assert client.get(reverse("people:family_detail", args=[family.pk])).status_code == 404
    assert family.pk not in {f["id"] for f in client.get("/api/v1/families/").json()["results"]}
    # Once the unit serves the child in its own case, the family is its to see.
    referral_accept(actor=cast.coordinator_b, referral=referral, programme=cast.programme_b)
    access = PersonAccess.objects.get(person=child, organisation=cast.shymkent)
    assert access.reason == "case"
    assert client.get(reverse("people:family_detail", args=[family.pk])).status_code == 200
