"""Reads of individual plans: scoped to the case's organisation first, then to the roles that do casework."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from tirek.cases.models import Case
from tirek.cases.selectors import case_get
from tirek.core.errors import NotAllowed
from tirek.core.scoping import get_visible_or_404
from tirek.plans.models import GoalProgress, Plan, PlanGoal, PlannedService, PlanReview

# Plans describe a child's development and the family's situation: read by those who work the case. Intake
# operators and analysts (aggregates only) of the same organisation get a 403; administrators see them all.
PLAN_READER_ROLES = frozenset({"specialist", "coordinator", "manager"})
NATIONAL_READER_ROLES = frozenset({"administrator"})


def can_read_plans(user, organisation_id) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.roles() & NATIONAL_READER_ROLES:
        return True
    return bool(user.roles(organisation_id) & PLAN_READER_ROLES)


def require_plan_reader(user, organisation_id) -> None:
    if not can_read_plans(user, organisation_id):
        raise NotAllowed("plans.view")


def plan_list(*, user, case: Case | None = None) -> QuerySet[Plan]:
    """The plans `user` may see (of one case when given), with counts of goals and services."""
    plans = (
        Plan.objects.visible_to(user)
        .select_related("case", "case__person", "coordinator", "author", "approved_by")
        .annotate(goal_count=Count("goals", distinct=True), service_count=Count("services", distinct=True))
    )
    if case is not None:
        plans = plans.filter(case=case)
    return plans.order_by("-number") if case is not None else plans.order_by("-created_at")


def case_current_plan(*, user, case: Case) -> Plan | None:
    """The case's plan in force or in the making (the newest not superseded), for the case page: its status
    and review date only, in one light query."""
    return (
        Plan.objects.visible_to(user)
        .filter(case=case)
        .exclude(status="superseded")
        .only("id", "case_id", "number", "status", "review_due_on")
        .order_by("-number")
        .first()
    )


def case_plans_get(*, user, case_pk) -> tuple[Case, QuerySet[Plan]]:
    """A case `user` may see and its plans; 404 for a case of another organisation, 403 for a role that may
    not read plans."""
    case = case_get(user=user, pk=case_pk)
    require_plan_reader(user, case.organisation_id)
    return case, plan_list(user=user, case=case)


def plan_get(*, user, pk) -> Plan:
    plan = get_visible_or_404(
        Plan.objects.select_related(
            "case",
            "case__person",
            "case__programme",
            "case__organisation",
            "coordinator",
            "author",
            "approved_by",
        ),
        user,
        pk=pk,
    )
    require_plan_reader(user, plan.case.organisation_id)
    return plan


def plan_detail_get(*, user, pk) -> Plan:
    """A plan with its goals, services and reviews (with each goal's progress) loaded in a fixed number of
    queries."""
    plan = get_visible_or_404(
        Plan.objects.select_related(
            "case",
            "case__person",
            "case__programme",
            "case__organisation",
            "case__coordinator",
            "coordinator",
            "author",
            "approved_by",
            "superseded_by",
        ).prefetch_related(
            "goals",
            Prefetch(
                "services",
                queryset=PlannedService.objects.select_related(
                    "service", "service__service_type", "profession", "provider"
                ),
            ),
            Prefetch(
                "reviews",
                queryset=PlanReview.objects.select_related("reviewer").prefetch_related(
                    Prefetch("progress", queryset=GoalProgress.objects.select_related("goal"))
                ),
            ),
        ),
        user,
        pk=pk,
    )
    require_plan_reader(user, plan.case.organisation_id)
    return plan


def plan_goal_get(*, plan: Plan, pk) -> PlanGoal:
    """A goal of `plan` (already fetched for the user); 404 for any other id."""
    goal = _child(plan.goals.all(), pk)
    goal.plan = plan
    return goal


def planned_service_get(*, plan: Plan, pk) -> PlannedService:
    service = _child(plan.services.select_related("service", "profession", "provider"), pk)
    service.plan = plan
    return service


def _child(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    except Exception as exc:  # a malformed UUID raises ValidationError from the field
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            raise Http404 from None
        raise


def plan_latest_ratings(plan: Plan) -> dict:
    """{goal id: the goal's progress at the latest review} from a plan fetched by `plan_detail_get`."""
    reviews = list(plan.reviews.all())
    if not reviews:
        return {}
    return {row.goal_id: row for row in reviews[0].progress.all()}
