from __future__ import annotations

from django.urls import path

from tirek.emergency import views

app_name = "emergency"
urlpatterns = [
    path("", views.access_list, name="access_list"),
    path("<uuid:pk>/end/", views.access_end, name="access_end"),
]
