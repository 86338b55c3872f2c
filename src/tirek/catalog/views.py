from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from tirek.catalog.models import Service
from tirek.catalog.selectors import diagnosis_list, profession_list, service_type_list


@login_required
def index(request):
    service_types = service_type_list().prefetch_related(
        Prefetch("services", queryset=Service.objects.filter(is_active=True), to_attr="active_services")
    )
    return render(
        request,
        "catalog/index.html",
        {
            "service_types": service_types,
            "professions": profession_list(),
            "diagnoses": diagnosis_list(query=request.GET.get("q") or None),
            "query": request.GET.get("q", ""),
        },
    )
