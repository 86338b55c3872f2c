from __future__ import annotations

from django.urls import path

from tirek.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("indicator/<slug:code>/", views.indicator_export, name="indicator"),
    path("records/<slug:what>/", views.records_export, name="records"),
    path("<uuid:pk>/download/", views.job_download, name="job_download"),
    path("audit-trail/", views.audit_trail_export, name="audit_trail"),
]
