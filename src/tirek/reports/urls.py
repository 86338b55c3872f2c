from __future__ import annotations

from django.urls import path

from tirek.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.indicator_index, name="index"),
    path("<slug:code>/", views.indicator_detail, name="indicator"),
]
