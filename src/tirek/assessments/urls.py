from __future__ import annotations

from django.urls import path

from tirek.assessments import views

app_name = "assessments"
urlpatterns = [
    path("case/<uuid:case_pk>/", views.case_assessments, name="case_assessments"),
    path("case/<uuid:case_pk>/new/<str:code>/", views.assessment_new, name="assessment_new"),
    path("<uuid:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<uuid:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path("instruments/", views.instrument_index, name="instrument_list"),
    path("instruments/<str:code>/", views.instrument_detail, name="instrument_detail"),
]
