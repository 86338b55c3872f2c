from __future__ import annotations

from django.urls import path

from tirek.directory import views

app_name = "directory"
urlpatterns = [
    path("organisations/", views.organisation_index, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("programmes/", views.programme_index, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<uuid:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<uuid:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("partnerships/", views.partnership_index, name="partnership_list"),
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path("partnerships/<uuid:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<uuid:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("partnerships/<uuid:pk>/status/", views.partnership_status, name="partnership_status"),
    path("partnerships/<uuid:pk>/terminate/", views.partnership_terminate, name="partnership_terminate"),
]
