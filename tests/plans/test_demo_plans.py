"""The demo plans: an approved plan in force for the active early-intervention cases, written once."""

from __future__ import annotations

from tirek.audit.models import AuditEvent
from tirek.cases.models import Case
from tirek.operations.demo.plans import load_demo_plans
from tirek.people.models import ExternalReference
from tirek.plans.models import Plan


def test_demo_plans_are_in_force_with_goals_consented_services_and_reviews_and_written_once(
    cast, case, toddler
):
    ExternalReference.objects.create(organisation=cast.almaty, external_id="DEMO-0001", person=toddler)
    Case.objects.filter(pk=case.pk).update(status="active")
    first = load_demo_plans(seed=7)
    assert first["created"] == {"plans": 1, "reviews": 1}  # opened ten months ago: one review was due
    plan = Plan.objects.get(case=case)
    assert plan.status == "reviewed"
    assert plan.author == cast.coordinator_a and plan.approved_by == cast.manager_a
    assert 2 <= plan.goals.count() <= 4
    assert 2 <= plan.services.count() <= 4
    assert not plan.services.filter(family_consent=False).exists()
    assert plan.reviews.get().progress.count() == plan.goals.count()
    kinds = set(case.events.values_list("kind", flat=True))
    assert {"plan_created", "plan_approved", "plan_activated", "plan_reviewed"} <= kinds
    assert AuditEvent.objects.filter(object_id=str(plan.pk), note="plan approved").exists()
    again = load_demo_plans(seed=7)
    assert again["created"] == {} and again["plans"] == 1 and Plan.objects.count() == 1
