from __future__ import annotations

from django.urls import path

from tirek.support import views

app_name = "support"
urlpatterns = [
    path("", views.support_home, name="home"),
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/new/", views.appeal_new, name="appeal_new"),
    path("appeals/helpline/", views.appeal_helpline, name="appeal_helpline"),
    path("appeals/persons/", views.appeal_person_search, name="appeal_person_search"),
    path("appeals/deadlines/", views.appeal_deadlines, name="appeal_deadlines"),
    path("appeals/<uuid:pk>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<uuid:pk>/edit/", views.appeal_edit, name="appeal_edit"),
    path("appeals/<uuid:pk>/assign/", views.appeal_assign, name="appeal_assign"),
    path("appeals/<uuid:pk>/start/", views.appeal_start, name="appeal_start"),
    path("appeals/<uuid:pk>/forward/", views.appeal_forward, name="appeal_forward"),
    path("appeals/<uuid:pk>/resolve/", views.appeal_resolve, name="appeal_resolve"),
    path("appeals/<uuid:pk>/reject/", views.appeal_reject, name="appeal_reject"),
    path("appeals/<uuid:pk>/withdraw/", views.appeal_withdraw, name="appeal_withdraw"),
    path("appeals/<uuid:pk>/link-case/", views.appeal_link_case, name="appeal_link_case"),
    path("aid/", views.aid_list, name="aid_list"),
    path("aid/new/", views.aid_new, name="aid_new"),
    path("aid/batch/", views.aid_batch, name="aid_batch"),
    path("aid/<uuid:pk>/", views.aid_detail, name="aid_detail"),
    path("outcomes/", views.outcome_list, name="outcome_list"),
    path("outcomes/new/", views.outcome_new, name="outcome_new"),
    path("outcomes/<uuid:pk>/", views.outcome_detail, name="outcome_detail"),
]
