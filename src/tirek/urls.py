from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("tirek.web.urls")),
    path("accounts/", include("tirek.accounts.urls")),
    path("directory/", include("tirek.directory.urls")),
    path("catalog/", include("tirek.catalog.urls")),
    path("people/", include("tirek.people.urls")),
    path("cases/", include("tirek.cases.urls")),
    path("assessments/", include("tirek.assessments.urls")),
    path("plans/", include("tirek.plans.urls")),
    path("visits/", include("tirek.services.urls")),
    path("referrals/", include("tirek.referrals.urls")),
    path("support/", include("tirek.support.urls")),
    path("courses/", include("tirek.courses.urls")),
    path("residence/", include("tirek.residence.urls")),
    path("notifications/", include("tirek.notifications.urls")),
    path("reports/", include("tirek.reports.urls")),
    path("exports/", include("tirek.exports.urls")),
    path("audit/", include("tirek.audit.urls")),
    path("emergency/", include("tirek.emergency.urls")),
    path("operations/", include("tirek.operations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tirek.api_urls", namespace="api")),
]

handler404 = "tirek.web.views.page_not_found"
handler500 = "tirek.web.views.server_error"
