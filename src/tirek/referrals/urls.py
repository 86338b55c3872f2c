from __future__ import annotations

from django.urls import path

from tirek.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.outbox, name="outbox"),
    path("new/", views.referral_send, name="referral_send"),
    path("external/new/", views.referral_external, name="referral_external"),
    path("<uuid:pk>/", views.referral_detail, name="referral_detail"),
    path("<uuid:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("<uuid:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("<uuid:pk>/complete/", views.referral_complete, name="referral_complete"),
    path("<uuid:pk>/revoke/", views.referral_revoke, name="referral_revoke"),
]
