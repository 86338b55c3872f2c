from __future__ import annotations

from django.db.models import QuerySet

from tirek.cases.models import Case, CaseEvent
from tirek.core.scoping import get_visible_or_404


def case_list(*, user, status: str | None = None, programme=None) -> QuerySet[Case]:
    cases = Case.objects.visible_to(user).select_related("person", "programme", "coordinator", "organisation")
    if status:
        cases = cases.filter(status=status)
    if programme is not None:
        cases = cases.filter(programme=programme)
    return cases


def case_get(*, user, pk) -> Case:
    return get_visible_or_404(
        Case.objects.select_related(
            "person", "programme", "coordinator", "organisation", "closure_reason"
        ).prefetch_related("team"),
        user,
        pk=pk,
    )


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor")
