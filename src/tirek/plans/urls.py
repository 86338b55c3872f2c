from __future__ import annotations

from django.urls import path

from tirek.plans import views

app_name = "plans"
urlpatterns = [
    path("case/<uuid:case_pk>/", views.case_plans, name="case_plans"),
    path("case/<uuid:case_pk>/new/", views.plan_create, name="plan_create"),
    path("<uuid:pk>/", views.plan_detail, name="plan_detail"),
    path("<uuid:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<uuid:pk>/discard/", views.plan_discard, name="plan_discard"),
    path("<uuid:pk>/goals/new/", views.goal_add, name="goal_add"),
    path("<uuid:pk>/goals/<uuid:goal_pk>/", views.goal_edit, name="goal_edit"),
    path("<uuid:pk>/goals/<uuid:goal_pk>/remove/", views.goal_remove, name="goal_remove"),
    path("<uuid:pk>/services/new/", views.service_add, name="service_add"),
    path("<uuid:pk>/services/<uuid:service_pk>/", views.service_edit, name="service_edit"),
    path("<uuid:pk>/services/<uuid:service_pk>/remove/", views.service_remove, name="service_remove"),
    path("<uuid:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("<uuid:pk>/activate/", views.plan_activate, name="plan_activate"),
    path("<uuid:pk>/review/", views.plan_review, name="plan_review"),
    path("<uuid:pk>/new-version/", views.plan_new_version, name="plan_new_version"),
    path("<uuid:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
]
