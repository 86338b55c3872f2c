"""Reads of the directory, always starting from what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tirek.core.scoping import get_visible_or_404
from tirek.directory.choices import PartnershipStatus
from tirek.directory.models import Organisation, Partnership, Programme, Region


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


# --- memoranda (partnerships) -----------------------------------------------------------------------------

# The list's status filter: in force today (the default), every memorandum, or one stored status.
IN_FORCE, ALL_STATUSES = "in_force", "all"


def _partnerships(user) -> QuerySet[Partnership]:
    return (
        Partnership.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            Prefetch("parties", queryset=Organisation.objects.select_related("region").order_by("name_kk")),
            "services",
        )
    )


def partnership_list(
    *, user, region=None, status: str | None = None, organisation=None, day: dt.date | None = None
) -> QuerySet[Partnership]:
    """Memoranda in force on `day` (today), or of one status, or all; by region (the memorandum's or a
    party's) and by party."""
    partnerships = _partnerships(user)
    status = status or IN_FORCE
    if status == IN_FORCE:
        partnerships = partnerships.in_force_on(day or timezone.localdate())
    elif status != ALL_STATUSES:
        partnerships = partnerships.filter(status=status)
    if region is not None:
        in_region = Partnership.objects.filter(parties__region=region).values("pk")
        partnerships = partnerships.filter(Q(region=region) | Q(pk__in=in_region))
    if organisation is not None:
        partnerships = partnerships.filter(
            pk__in=Partnership.objects.filter(parties=organisation).values("pk")
        )
    return partnerships.order_by("-signed_on", "title")


def partnership_get(*, user, pk) -> Partnership:
    return get_visible_or_404(_partnerships(user), user, pk=pk)


def partners_of(*, organisation, day: dt.date | None = None) -> QuerySet[Organisation]:
    """The organisations with which `organisation` has a memorandum in force on `day` (today)."""
    organisation_id = getattr(organisation, "pk", organisation)
    in_force = Partnership.objects.in_force_on(day or timezone.localdate()).filter(parties=organisation_id)
    return (
        Organisation.objects.filter(partnerships__in=in_force)
        .exclude(pk=organisation_id)
        .select_related("region")
        .distinct()
        .order_by("name_kk")
    )


def are_partners(first, second, day: dt.date | None = None) -> bool:
    """Whether two organisations have a memorandum in force between them on `day` (today)."""
    return partners_of(organisation=first, day=day).filter(pk=getattr(second, "pk", second)).exists()


def partnership_in_force(partnership: Partnership, day: dt.date | None = None) -> bool:
    """The same rule as `Partnership.objects.in_force_on`, for one memorandum already read."""
    day = day or timezone.localdate()
    return (
        partnership.status == PartnershipStatus.ACTIVE
        and partnership.signed_on <= day
        and (partnership.valid_until is None or partnership.valid_until >= day)
    )
