from __future__ import annotations

from django.urls import path

from tirek.catalog import views

app_name = "catalog"
urlpatterns = [path("", views.index, name="index")]
