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
