from __future__ import annotations

from django.urls import path

from tirek.services import views

app_name = "services"
urlpatterns = [
    path("", views.visit_home, name="home"),
    path("day/", views.specialist_day, name="day"),
    path("week/", views.specialist_week, name="week"),
    path("case/<uuid:case_pk>/", views.case_visits, name="case_visits"),
    path("new/", views.visit_new, name="visit_new"),
    path("<uuid:pk>/", views.visit_detail, name="visit_detail"),
    path("<uuid:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("<uuid:pk>/log/", views.visit_log, name="visit_log"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<uuid:pk>/", views.group_detail, name="group_detail"),
    path("groups/<uuid:pk>/edit/", views.group_edit, name="group_edit"),
]
