from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client

from tirek.operations.demo.organisations import DEMO_PASSWORD
from tirek.operations.demo.referrals import load_demo_referrals
from tirek.referrals.models import Referral


def test_the_demo_has_referrals_between_its_organisations_in_every_state(db, settings):
    settings.TIREK_TWO_FACTOR_ROLES = []  # as `make demo` runs it: the manager signs in with a password alone
    call_command("demo", stdout=StringIO())
    first = load_demo_referrals()
    again = load_demo_referrals()
    assert again["created"] == {}
    assert first["referrals"] == again["referrals"] >= 12
    assert all(first[status] >= 1 for status in ("sent", "accepted", "declined", "completed", "revoked"))
    assert first["external"] >= 2
    assert {"polyclinic", "pmpk"} <= set(Referral.objects.values_list("external_source", flat=True))
    for referral in Referral.objects.filter(status__in=["accepted", "completed"]):
        assert referral.to_case.organisation_id == referral.to_organisation_id
        assert (
            referral.days_to_accept
            == (referral.to_case.opened_on - referral.to_case.referral_received_on).days
        )
    pairs = set(
        Referral.objects.exclude(from_organisation=None).values_list(
            "from_organisation__name_en", "to_organisation__name_en"
        )
    )
    assert any("Kenes" in a and "Kamkorlyk" in b for a, b in pairs)
    assert any("Graduates" in a and "youth house" in b for a, b in pairs)
    assert any("SOS" in a and "Kenes" in b for a, b in pairs)
    client = Client()
    signed_in = client.post("/accounts/login/", {"username": "shymkent", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    inbox = client.get("/referrals/").content.decode()
    incoming = Referral.objects.filter(to_organisation__name_en__contains="Kamkorlyk")
    assert all(r.number in inbox for r in incoming)
    for referral in incoming:
        assert client.get(f"/referrals/{referral.pk}/").status_code == 200
