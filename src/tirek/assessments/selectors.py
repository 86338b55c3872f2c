"""Reads of instruments (reference data, open to every signed-in user) and assessments (health data: the
case team and the organisation's managers only, like tirek.people.access.can_see_health)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from tirek.accounts.choices import Role
from tirek.assessments.models import Assessment, Instrument, InstrumentItem
from tirek.cases.models import Case
from tirek.cases.selectors import case_get
from tirek.core.errors import NotAllowed
from tirek.core.scoping import get_visible_or_404
from tirek.people.access import can_see_health


def instrument_list(*, active_only: bool = True) -> QuerySet[Instrument]:
    instruments = Instrument.objects.annotate(item_count=Count("items"))
    return instruments.filter(is_active=True) if active_only else instruments


def instrument_get(*, code: str, active_only: bool = False) -> Instrument:
    """One instrument by code, its items prefetched in order; 404 when unknown (or inactive if asked)."""
    instruments = Instrument.objects.prefetch_related(
        Prefetch("items", queryset=InstrumentItem.objects.order_by("number"))
    )
    if active_only:
        instruments = instruments.filter(is_active=True)
    try:
        return instruments.get(code=code)
    except Instrument.DoesNotExist:
        raise Http404 from None


def _with_details(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related("instrument", "assessor", "profession", "case", "case__person")


def assessment_list(*, user, case: Case | None = None) -> QuerySet[Assessment]:
    """The assessments `user` may read: of `case` when given, else of every case whose child's health data
    they may see (a manager: the whole organisation; others: the children of the cases they work on)."""
    assessments = _with_details(Assessment.objects.visible_to(user))
    if case is not None:
        return assessments.filter(case=case)
    organisation_id = user.active_organisation_id_checked()
    if organisation_id is None:
        return assessments.none()
    assessments = assessments.filter(case__organisation_id=organisation_id)
    if Role.MANAGER in user.roles(organisation_id):
        return assessments
    persons = (
        Case.objects.filter(organisation_id=organisation_id)
        .filter(Q(coordinator=user) | Q(team=user))
        .values("person_id")
    )
    return assessments.filter(case__person_id__in=persons)


def case_for_assessments(*, user, pk) -> Case:
    """The case (404 if not visible) whose assessments `user` wants to read; 403 outside the case team."""
    case = case_get(user=user, pk=pk)
    if not can_see_health(user, case.person):
        raise NotAllowed("assessments of a case outside the user's team")
    return case


def assessment_get(*, user, pk) -> Assessment:
    """One assessment: 404 for another organisation's or a missing one, 403 outside the case team."""
    assessment = get_visible_or_404(
        _with_details(Assessment.objects.all()).prefetch_related(
            Prefetch("instrument__items", queryset=InstrumentItem.objects.order_by("number"))
        ),
        user,
        pk=pk,
    )
    if not can_see_health(user, assessment.case.person):
        raise NotAllowed("assessments of a case outside the user's team")
    return assessment
