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
]
