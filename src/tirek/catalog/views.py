from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tirek.catalog.selectors import diagnosis_list, profession_list, service_types_with_services


@login_required
def index(request):
    service_types = service_types_with_services()
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
