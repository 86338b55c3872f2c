from __future__ import annotations

from django.urls import path

from tirek.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_index, name="case_list"),
    path("open/", views.case_open, name="case_open"),
    path("deadlines/", views.deadline_index, name="deadline_list"),
    path("<uuid:pk>/", views.case_detail, name="case_detail"),
    path("<uuid:pk>/status/", views.case_status, name="case_status"),
    path("<uuid:pk>/team/", views.case_team, name="case_team"),
    path("<uuid:pk>/close/", views.case_close, name="case_close"),
    path("<uuid:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("<uuid:pk>/outcomes/", views.case_outcomes, name="case_outcomes"),
    path("<uuid:pk>/pause/", views.case_pause, name="case_pause"),
    path("<uuid:pk>/resume/", views.case_resume, name="case_resume"),
    path("<uuid:pk>/transition/", views.case_transition, name="case_transition"),
    path("<uuid:pk>/documents/new/", views.case_document_new, name="case_document_new"),
    path("documents/<uuid:pk>/", views.case_document_file, name="case_document_file"),
    path("documents/<uuid:pk>/remove/", views.case_document_remove, name="case_document_remove"),
]
