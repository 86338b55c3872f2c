from __future__ import annotations

from django.urls import path

from tirek.operations.retention import views as retention_views

app_name = "operations"
urlpatterns = [
    path("retention/", retention_views.retention_page, name="retention"),
]
