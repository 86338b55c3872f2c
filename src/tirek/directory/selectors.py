"""Reads of the directory, always starting from what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tirek.core.scoping import get_visible_or_404
from tirek.directory.models import Organisation, Programme, Region


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def organisation_list(
    *, user, region=None, kind: str | None = None, query: str | None = None, active_only: bool = True
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.visible_to(user).select_related("region", "parent")
    if active_only:
        organisations = organisations.filter(is_active=True)
    if region:
        organisations = organisations.filter(region=region)
    if kind:
        organisations = organisations.filter(kind=kind)
    if query:
        organisations = organisations.filter(
            Q(name_kk__icontains=query)
            | Q(name_ru__icontains=query)
            | Q(name_en__icontains=query)
            | Q(bin=query)
        )
    return organisations


def organisation_get(*, user, pk) -> Organisation:
    return get_visible_or_404(Organisation.objects.select_related("region", "parent"), user, pk=pk)


def active_organisation_get(*, user, organisation_id=None) -> Organisation:
    """The organisation the user acts in (or `organisation_id`, when given); 404 when there is none."""
    from django.http import Http404

    organisation_id = organisation_id or user.active_organisation_id_checked()
    if organisation_id is None:
        raise Http404
    return organisation_get(user=user, pk=organisation_id)


def programme_list(*, user, organisation=None, active_only: bool = False) -> QuerySet[Programme]:
    programmes = Programme.objects.visible_to(user).select_related("organisation")
    if organisation is not None:
        programmes = programmes.filter(organisation=organisation)
    if active_only:
        programmes = programmes.filter(is_active=True)
    return programmes


def programme_get(*, user, pk) -> Programme:
    return get_visible_or_404(Programme.objects.select_related("organisation"), user, pk=pk)


def directory_summary(*, user) -> dict:
    """Counts for the analysts' and administrators' home page."""
    organisations = Organisation.objects.visible_to(user).filter(is_active=True)
    return {
        "organisations": organisations.count(),
        "by_region": list(
            organisations.values("region__kato", "region__name_kk", "region__name_ru", "region__name_en")
            .annotate(total=Count("id"))
            .order_by("region__kato")
        ),
        "programmes": Programme.objects.visible_to(user).filter(is_active=True).count(),
    }
