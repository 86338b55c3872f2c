from __future__ import annotations

from django.urls import path

from tirek.people import duplicate_views, import_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_index, name="person_list"),
    path("register/", views.person_register, name="person_register"),
    path("register/enrol/", views.person_enrol_existing, name="person_enrol_existing"),
    path("<uuid:pk>/", views.person_detail, name="person_detail"),
    path("<uuid:pk>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:pk>/health/", views.person_health, name="person_health"),
    path("<uuid:pk>/diagnoses/add/", views.person_diagnosis_add, name="person_diagnosis_add"),
    path("<uuid:pk>/consents/add/", views.consent_add, name="consent_add"),
    path("<uuid:pk>/consents/<uuid:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicate_list"),
    path(
        "duplicates/<uuid:first>/<uuid:second>/merge/",
        duplicate_views.duplicate_merge,
        name="duplicate_merge",
    ),
    path(
        "duplicates/<uuid:first>/<uuid:second>/dismiss/",
        duplicate_views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    path("import/", import_views.import_page, name="import"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("families/", views.family_index, name="family_list"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/<uuid:pk>/", views.family_detail, name="family_detail"),
    path("families/<uuid:pk>/edit/", views.family_edit, name="family_edit"),
    path("families/<uuid:pk>/members/add/", views.family_member_add, name="family_member_add"),
    path(
        "families/<uuid:pk>/members/<int:member_pk>/remove/",
        views.family_member_remove,
        name="family_member_remove",
    ),
]
