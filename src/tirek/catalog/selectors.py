from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from tirek.catalog.models import Diagnosis, Profession, Service, ServiceType


def service_type_list(*, active_only: bool = True) -> QuerySet[ServiceType]:
    items = ServiceType.objects.all()
    return items.filter(is_active=True) if active_only else items


def service_types_with_services() -> QuerySet[ServiceType]:
    """Active service types, each with its active services in `active_services`."""
    return service_type_list().prefetch_related(
        Prefetch("services", queryset=Service.objects.filter(is_active=True), to_attr="active_services")
    )


def service_list(*, service_type=None, active_only: bool = True) -> QuerySet[Service]:
    items = Service.objects.select_related("service_type")
    if service_type is not None:
        items = items.filter(service_type=service_type)
    return items.filter(is_active=True) if active_only else items


def profession_list(*, active_only: bool = True) -> QuerySet[Profession]:
    items = Profession.objects.all()
    return items.filter(is_active=True) if active_only else items


def diagnosis_list(*, query: str | None = None, active_only: bool = True) -> QuerySet[Diagnosis]:
    items = Diagnosis.objects.all()
    if query:
        items = items.filter(
            Q(code__istartswith=query)
            | Q(name_kk__icontains=query)
            | Q(name_ru__icontains=query)
            | Q(name_en__icontains=query)
        )
    return items.filter(is_active=True) if active_only else items
