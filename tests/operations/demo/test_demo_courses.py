"""The demo's memoranda, courses and youth house: loaded through the services; again adds nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tirek.directory.models import Partnership
from tirek.operations.demo.courses import load_demo_courses
from tirek.operations.demo.partnerships import load_demo_partnerships
from tirek.operations.demo.residence import load_demo_residence
from tirek.residence.models import Facility, Residence
from tirek.support.models import Outcome


def test_the_demo_has_memoranda_the_adoptive_parents_school_and_the_youth_house(db):
    call_command("demo", stdout=StringIO())
    partnerships = load_demo_partnerships()
    courses = load_demo_courses()
    residence = load_demo_residence()

    assert partnerships["partnerships"] >= 9 and partnerships["in_force"] >= 6
    assert {"draft", "active", "expired", "terminated"} <= set(
        Partnership.objects.values_list("status", flat=True)
    )
    branch = Partnership.objects.get(title__startswith="Ерекше білім беруді")
    assert branch.parties.count() == 4 and branch.region.kato == "790000000"

    assert 88 <= courses["school_completed"] <= 96
    assert Outcome.objects.filter(kind="course_completed").count() == courses["completed"]
    assert courses["courses"] == 6 and courses["participants"] > courses["completed"]

    assert residence["facilities"] == 2 and residence["places"] == 190
    assert 150 <= residence["residents"] <= 190 and residence["moved_out"] >= 20
    today = timezone.localdate()
    for facility in Facility.objects.all():
        assert Residence.objects.filter(facility=facility).on(today).count() <= facility.places
    ages = [r.person.age_in_months(today) // 12 for r in Residence.objects.on(today).select_related("person")]
    assert min(ages) >= 18 and max(ages) <= 29

    again = [load_demo_partnerships(), load_demo_courses(), load_demo_residence()]
    assert [counts["created"] for counts in again] == [{}, {}, {}]
