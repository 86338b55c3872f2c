from __future__ import annotations

from django.urls import path

from tirek.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.indicator_index, name="index"),
    # Before "<code>/": "dashboard" is not an indicator.
    path("dashboard/", views.dashboard_organisation, name="dashboard"),
    path("dashboard/region/", views.dashboard_region, name="dashboard_region"),
    path("dashboard/country/", views.dashboard_country, name="dashboard_country"),
    path("dashboard/refresh/", views.dashboard_refresh, name="dashboard_refresh"),
    path("<slug:code>/", views.indicator_detail, name="indicator"),
    path("<slug:code>/records/", views.indicator_records, name="records"),
]
