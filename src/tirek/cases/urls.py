from __future__ import annotations

from django.urls import path

from tirek.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_index, name="case_list"),
    path("open/", views.case_open, name="case_open"),
    path("<uuid:pk>/", views.case_detail, name="case_detail"),
    path("<uuid:pk>/status/", views.case_status, name="case_status"),
    path("<uuid:pk>/team/", views.case_team, name="case_team"),
    path("<uuid:pk>/close/", views.case_close, name="case_close"),
]
