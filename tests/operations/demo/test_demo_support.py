from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client

from tirek.operations.demo.organisations import DEMO_PASSWORD
from tirek.operations.demo.support import APPEALS, load_demo_support
from tirek.support.models import AidDistribution, Appeal, Outcome


def test_the_demo_has_a_year_of_appeals_aid_to_80_families_and_outcomes(db):
    call_command("demo", stdout=StringIO())
    if not Appeal.objects.exists():  # until the demo command loads support itself
        load_demo_support()
    counts = load_demo_support()
    assert counts["created"] == {}  # a second run adds nothing
    graduates = Appeal.objects.filter(organisation__kind="care_leaver_association")
    assert counts["appeals"] == graduates.count() == APPEALS
    housing = graduates.filter(category="housing").count()
    assert 0.4 * APPEALS < housing < 0.65 * APPEALS  # seed 003: 689 of 1,289
    assert set(graduates.values_list("channel", flat=True)) >= {"walk_in", "helpline_150", "phone", "online"}
    assert set(graduates.values_list("status", flat=True)) >= {
        "resolved",
        "in_progress",
        "rejected",
        "withdrawn",
    }
    assert graduates.filter(person=None, channel="helpline_150").exists()
    assert graduates.filter(status="resolved").count() > APPEALS / 2
    assert counts["appeals_overdue"] == graduates.overdue().count() > 0
    sos = AidDistribution.objects.filter(organisation__kind="family_support")
    assert sos.filter(kind="food_package").values("family").distinct().count() == counts["aid_families"] == 80
    assert {"hygiene_kit", "school_kit"} <= set(sos.values_list("kind", flat=True))
    kinds = set(Outcome.objects.values_list("kind", flat=True))
    assert {
        "returned_to_birth_family",
        "placed_adoptive",
        "flat_allocated",
        "job_found",
        "education_grant",
    } <= kinds
    assert Outcome.objects.filter(kind="returned_to_birth_family").count() == 19  # seed 004
    client = Client()
    signed_in = client.post("/accounts/login/", {"username": "graduates.intake", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/support/appeals/helpline/").status_code == 200
