from __future__ import annotations

from django.urls import path

from tirek.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_index, name="list"),
    path("bell/", views.notification_bell, name="bell"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<uuid:pk>/", views.notification_open, name="open"),
]
