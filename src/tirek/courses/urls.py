from __future__ import annotations

from django.urls import path

from tirek.courses import views

app_name = "courses"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("new/", views.course_new, name="new"),
    path("<uuid:pk>/", views.course_detail, name="detail"),
    path("<uuid:pk>/edit/", views.course_edit, name="edit"),
    path("<uuid:pk>/sessions/new/", views.session_new, name="session_new"),
    path("<uuid:pk>/enrol/", views.enrol, name="enrol"),
    path("sessions/<uuid:pk>/attendance/", views.session_attendance, name="attendance"),
    path("participants/<uuid:pk>/complete/", views.enrolment_complete, name="complete"),
    path("participants/<uuid:pk>/drop/", views.enrolment_drop, name="drop"),
]
