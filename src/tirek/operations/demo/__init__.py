"""`tirek demo`: fictional organisations, staff, persons and their casework, written through the services.

Each module loads one part (`organisations` first, then `people`, the interagency work, the casework) and
is idempotent: running the demo again adds nothing that exists.
"""

from __future__ import annotations

from django.db import transaction

from tirek.operations.demo.assessments import load_demo_assessments
from tirek.operations.demo.courses import load_demo_courses
from tirek.operations.demo.organisations import load_demo_organisations
from tirek.operations.demo.partnerships import load_demo_partnerships
from tirek.operations.demo.people import load_demo_people
from tirek.operations.demo.plans import load_demo_plans
from tirek.operations.demo.referrals import load_demo_referrals
from tirek.operations.demo.residence import load_demo_residence
from tirek.operations.demo.services import load_demo_services
from tirek.operations.demo.support import load_demo_support


def load_demo() -> dict:
    """Load everything; what was loaded: logins, people, interagency work and casework counts."""
    with transaction.atomic():
        organisations, logins = load_demo_organisations()
        people = load_demo_people(organisations=organisations)
        # The interagency work first: referrals accepted open cases that the casework then serves.
        interagency = {
            "partnerships": load_demo_partnerships()["partnerships"],
            **{k: v for k, v in load_demo_support().items() if k != "created"},
            **{k: v for k, v in load_demo_courses().items() if k != "created"},
            **{k: v for k, v in load_demo_residence().items() if k != "created"},
            **{k: v for k, v in load_demo_referrals().items() if k in ("referrals", "external")},
        }
        casework = {
            "assessments": load_demo_assessments()["assessments"],
            "plans": load_demo_plans()["plans"],
            **{k: v for k, v in load_demo_services().items() if k in ("visits", "group_activities")},
        }
    return {"logins": logins, "people": people, "interagency": interagency, "casework": casework}
