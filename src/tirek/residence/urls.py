from __future__ import annotations

from django.urls import path

from tirek.residence import views

app_name = "residence"
urlpatterns = [
    path("", views.facility_list, name="list"),
    path("new/", views.facility_new, name="new"),
    path("<uuid:pk>/", views.facility_detail, name="detail"),
    path("<uuid:pk>/edit/", views.facility_edit, name="edit"),
    path("<uuid:pk>/move-in/", views.move_in, name="move_in"),
    path("residents/<uuid:pk>/move-out/", views.move_out, name="move_out"),
]
