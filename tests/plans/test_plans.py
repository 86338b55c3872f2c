"""The plan's life: draft, approval by a manager, entry into force, reviews, new versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.audit.models import AuditEvent
from tirek.cases.choices import CaseEventKind
from tirek.core.errors import NotAllowed
from tirek.plans.models import Plan
from tirek.plans.services import (
    add_months,
    plan_activate,
    plan_approve,
    plan_create,
    plan_discard,
    plan_goal_remove,
    plan_goal_update,
    plan_new_version,
    plan_review,
    plan_update,
    planned_service_update,
)


def kinds(case) -> list[str]:
    return list(case.events.order_by("happened_at", "id").values_list("kind", flat=True))


def all_ratings(plan, rating="progressing"):
    return [{"goal": goal, "rating": rating} for goal in plan.goals.all()]


def test_a_plan_goes_from_draft_through_approval_into_force_and_review(cast, case, draft):
    plan = draft(goals=2)
    assert (plan.status, plan.number, plan.author, plan.coordinator) == (
        "draft",
        1,
        cast.coordinator_a,
        cast.coordinator_a,
    )
    today = timezone.localdate()
    plan_approve(actor=cast.manager_a, plan=plan)
    assert (plan.status, plan.approved_by, plan.approved_on) == ("approved", cast.manager_a, today)
    plan_activate(actor=cast.coordinator_a, plan=plan)
    assert (plan.status, plan.active_from) == ("active", today)
    plan_review(actor=cast.coordinator_a, plan=plan, ratings=all_ratings(plan), summary="Ілгерілеу бар.")
    plan.refresh_from_db()
    assert plan.status == "reviewed"
    plan_review(actor=cast.manager_a, plan=plan, ratings=all_ratings(plan, "achieved"))
    assert plan.reviews.count() == 2
    assert kinds(case)[1:] == [
        "plan_created",
        "plan_approved",
        "plan_activated",
        "plan_reviewed",
        "plan_reviewed",
    ]
    approved = case.events.get(kind=CaseEventKind.PLAN_APPROVED)
    assert approved.data["approved_on"] == str(today)
    assert approved.data["review_due_on"] == str(add_months(today, 6))


def test_only_one_plan_is_prepared_at_a_time(cast, case, draft):
    plan = draft()
    with pytest.raises(ValidationError) as refused:
        plan_create(actor=cast.coordinator_a, case=case)
    assert "status" in refused.value.message_dict
    plan_approve(actor=cast.manager_a, plan=plan)
    with pytest.raises(ValidationError):  # approved but not yet in force: still in preparation
        plan_create(actor=cast.coordinator_a, case=case)
    plan_activate(actor=cast.coordinator_a, plan=plan)
    second = plan_create(actor=cast.manager_a, case=case)
    assert second.number == 2


def test_only_the_case_coordinator_or_a_manager_drafts_a_plan(cast, case):
    other_coordinator = User.objects.create_user(username="dana", active_organisation=cast.almaty)
    Membership.objects.create(user=other_coordinator, organisation=cast.almaty, role="coordinator")
    for outsider in (cast.specialist_a, other_coordinator, cast.coordinator_b, cast.admin):
        with pytest.raises(NotAllowed):
            plan_create(actor=outsider, case=case)
    assert plan_create(actor=cast.manager_a, case=case).author == cast.manager_a
    assert not Plan.objects.filter(author__in=[cast.specialist_a, other_coordinator]).exists()


def test_a_coordinator_who_wrote_the_plan_cannot_approve_it(cast, draft):
    plan = draft(author=cast.coordinator_a)
    with pytest.raises(NotAllowed):
        plan_approve(actor=cast.coordinator_a, plan=plan)
    with pytest.raises(NotAllowed):  # nor may a specialist or another organisation's manager
        plan_approve(actor=cast.specialist_a, plan=plan)
    with pytest.raises(NotAllowed):
        plan_approve(actor=cast.manager_b, plan=plan)
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.approved_by is None
    assert not plan.case.events.filter(kind="plan_approved").exists()


def test_another_coordinator_of_the_organisation_approves_a_plan_they_did_not_write(cast, draft):
    plan = draft(author=cast.coordinator_a)
    colleague = User.objects.create_user(username="dana", active_organisation=cast.almaty)
    Membership.objects.create(user=colleague, organisation=cast.almaty, role="coordinator")
    with pytest.raises(NotAllowed):  # a coordinator of another organisation may not
        plan_approve(actor=cast.coordinator_b, plan=plan)
    plan_approve(actor=colleague, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == ("approved", colleague)
    assert AuditEvent.objects.filter(object_id=str(plan.pk), note="plan approved", actor=colleague).exists()


def test_a_manager_may_approve_a_plan_they_wrote(cast, draft):
    plan = draft(author=cast.manager_a)
    plan_approve(actor=cast.manager_a, plan=plan)
    assert plan.status == "approved" and plan.approved_by == plan.author == cast.manager_a


def test_approval_needs_a_goal_and_the_family_consent_to_every_service(cast, draft, add_service):
    plan = draft(goals=0, services=0)
    with pytest.raises(ValidationError) as refused:
        plan_approve(actor=cast.manager_a, plan=plan)
    assert "goals" in refused.value.message_dict
    plan = Plan.objects.get(pk=plan.pk)
    plan_discard(actor=cast.coordinator_a, plan=plan)
    plan = draft(goals=1, services=1)
    unconsented = add_service(cast.coordinator_a, plan, consent=False)
    with pytest.raises(ValidationError) as refused:
        plan_approve(actor=cast.manager_a, plan=plan)
    assert "services" in refused.value.message_dict
    assert str(unconsented.service) in refused.value.message_dict["services"][0]
    planned_service_update(
        actor=cast.coordinator_a,
        service=unconsented,
        family_consent=True,
        consent_date=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as refused:  # the consent came after the approval date
        plan_approve(actor=cast.manager_a, plan=plan, approved_on=timezone.localdate() - dt.timedelta(days=1))
    assert "approved_on" in refused.value.message_dict
    plan_approve(actor=cast.manager_a, plan=plan)
    assert plan.status == "approved"


def test_a_consent_needs_its_date_and_a_provider_must_be_a_member(cast, draft, add_service):
    plan = draft(services=0)
    with pytest.raises(ValidationError) as refused:
        add_service(cast.coordinator_a, plan, consent_date=None)
    assert "consent_date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add_service(cast.coordinator_a, plan, provider=cast.specialist_b)
    assert "provider" in refused.value.message_dict
    assert add_service(cast.coordinator_a, plan, provider=cast.specialist_a).provider == cast.specialist_a


def test_only_a_draft_changes(cast, in_force):
    plan = in_force()
    goal = plan.goals.get()
    with pytest.raises(ValidationError):
        plan_update(actor=cast.coordinator_a, plan=plan, family_concerns="Басқа")
    with pytest.raises(ValidationError):
        plan_goal_update(actor=cast.coordinator_a, goal=goal, wording="Басқа")
    with pytest.raises(ValidationError):
        plan_goal_remove(actor=cast.coordinator_a, goal=goal)
    with pytest.raises(ValidationError):
        plan_discard(actor=cast.coordinator_a, plan=plan)
    with pytest.raises(ValidationError):
        plan_approve(actor=cast.manager_a, plan=plan)


def test_present_levels_are_kept_by_domain(cast, draft):
    plan = draft()
    plan_update(
        actor=cast.coordinator_a, plan=plan, present_levels={"adaptive": " Қасықпен жейді ", "cognitive": ""}
    )
    plan.refresh_from_db()
    assert plan.present_levels == {"adaptive": "Қасықпен жейді"}
    with pytest.raises(ValidationError) as refused:
        plan_update(actor=cast.coordinator_a, plan=plan, present_levels={"astrology": "—"})
    assert "present_levels" in refused.value.message_dict


def test_activation_supersedes_the_plan_in_force(cast, case, in_force):
    first = in_force()
    second = plan_new_version(actor=cast.coordinator_a, plan=first)
    assert (second.status, second.number) == ("draft", 2)
    assert second.goals.count() == first.goals.count()
    assert not second.services.filter(family_consent=True).exists()  # consent is asked for again
    with pytest.raises(ValidationError):
        plan_approve(actor=cast.manager_a, plan=second)
    for service in second.services.all():
        planned_service_update(
            actor=cast.coordinator_a, service=service, family_consent=True, consent_date=timezone.localdate()
        )
    plan_approve(actor=cast.manager_a, plan=second)
    first.refresh_from_db()
    assert first.status == "active"  # approval alone changes nothing in force
    plan_activate(actor=cast.coordinator_a, plan=second)
    first.refresh_from_db()
    assert (first.status, first.superseded_by, first.superseded_on) == (
        "superseded",
        second,
        timezone.localdate(),
    )
    assert second.status == "active"
    assert list(case.plans.filter(status__in=["active", "reviewed"])) == [second]
    assert kinds(case)[-2:] == ["plan_superseded", "plan_activated"]
    with pytest.raises(ValidationError):  # a superseded plan is not reviewed
        plan_review(actor=cast.coordinator_a, plan=first, ratings=all_ratings(first))


def test_a_review_needs_a_rating_for_every_goal_and_sets_the_next_review_six_months_later(cast, in_force):
    plan = in_force(goals=3)
    goals = list(plan.goals.all())
    with pytest.raises(ValidationError) as refused:
        plan_review(actor=cast.coordinator_a, plan=plan, ratings=[{"goal": goals[0], "rating": "emerging"}])
    assert "ratings" in refused.value.message_dict
    with pytest.raises(ValidationError):
        plan_review(
            actor=cast.coordinator_a, plan=plan, ratings=[{"goal": g, "rating": "excellent"} for g in goals]
        )
    with pytest.raises(ValidationError):  # another plan's goal
        plan_review(
            actor=cast.coordinator_a,
            plan=plan,
            ratings=[
                *all_ratings(plan),
                {"goal": "00000000-0000-0000-0000-000000000000", "rating": "achieved"},
            ],
        )
    with pytest.raises(NotAllowed):
        plan_review(actor=cast.specialist_a, plan=plan, ratings=all_ratings(plan))
    assert not plan.reviews.exists()
    reviewed_on = timezone.localdate() - dt.timedelta(days=2)
    review = plan_review(
        actor=cast.coordinator_a,
        plan=plan,
        reviewed_on=reviewed_on,
        ratings=[
            {"goal": str(g.pk), "rating": r, "note": "ок"}
            for g, r in zip(goals, ["emerging", "achieved", "discontinued"], strict=True)
        ],
    )
    assert review.next_review_due_on == add_months(reviewed_on, 6)
    plan.refresh_from_db()
    assert plan.review_due_on == review.next_review_due_on
    assert sorted(review.progress.values_list("rating", flat=True)) == [
        "achieved",
        "discontinued",
        "emerging",
    ]
    event = plan.case.events.get(kind="plan_reviewed")
    assert event.data["next_review_due_on"] == str(review.next_review_due_on)


def test_the_six_months_fall_on_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)


def test_approval_and_the_close_of_a_plan_are_audited(cast, in_force):
    first = in_force()
    approval = AuditEvent.objects.get(object_id=str(first.pk), note="plan approved")
    assert (approval.action, approval.actor, approval.organisation_id) == (
        "update",
        cast.manager_a,
        cast.almaty.pk,
    )
    assert approval.subject_person_id == first.case.person_id
    assert approval.changes["status"] == ["draft", "approved"]
    assert approval.changes["approved_by"] == [None, str(cast.manager_a.pk)]
    second = plan_new_version(actor=cast.manager_a, plan=first)
    for service in second.services.all():
        planned_service_update(
            actor=cast.manager_a, service=service, family_consent=True, consent_date=timezone.localdate()
        )
    plan_approve(actor=cast.manager_a, plan=second)
    plan_activate(actor=cast.manager_a, plan=second)
    closure = AuditEvent.objects.get(object_id=str(first.pk), note="plan superseded")
    assert closure.actor == cast.manager_a
    assert closure.changes["status"] == ["active", "superseded"]
    assert closure.changes["superseded_by"] == [None, str(second.pk)]


def test_a_closed_case_plans_stay_as_they_are(cast, case, draft):
    plan = draft()
    case.status = "closed"
    case.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        plan_approve(actor=cast.manager_a, plan=plan)
    with pytest.raises(ValidationError):
        plan_create(actor=cast.manager_a, case=case)


def test_self_approval_stays_a_managers_even_if_other_roles_may_approve(cast, draft, monkeypatch):
    from tirek.core import scoping

    monkeypatch.setitem(scoping.CAPABILITIES, "plans.approve", frozenset({"manager", "coordinator"}))
    other_coordinator = User.objects.create_user(username="dana", active_organisation=cast.almaty)
    Membership.objects.create(user=other_coordinator, organisation=cast.almaty, role="coordinator")
    plan = draft(author=cast.coordinator_a)
    with pytest.raises(NotAllowed):
        plan_approve(actor=cast.coordinator_a, plan=plan)
    plan_approve(actor=other_coordinator, plan=plan)
    assert plan.approved_by == other_coordinator
