"""What the case page shows of the work done in the case: the plan, the sessions, the assessments.

Each part comes from its own app's selectors and only when the user may read it there.
"""

from __future__ import annotations

from tirek.assessments.selectors import assessment_list
from tirek.people.access import can_see_health
from tirek.plans.selectors import can_read_plans, case_current_plan
from tirek.services.selectors import can_read_visits, case_visit_summary


def case_work_summary(*, user, case) -> dict:
    summary: dict = {"plan": None, "visit_summary": None, "assessments": None}
    if can_read_plans(user, case.organisation_id):
        summary["plan"] = case_current_plan(user=user, case=case)
    if can_read_visits(user, case.organisation_id):
        summary["visit_summary"] = case_visit_summary(case=case)
    if can_see_health(user, case.person):
        summary["assessments"] = list(assessment_list(user=user, case=case).order_by("-assessed_on")[:5])
    return summary
