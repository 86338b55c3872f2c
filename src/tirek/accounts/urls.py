from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from tirek.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("profile/", views.profile, name="profile"),
    path("two-step/", views.two_factor_verify, name="two_factor_verify"),
    path("two-step/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-step/off/", views.two_factor_disable, name="two_factor_disable"),
    path("two-step/recovery-codes/", views.recovery_codes_issue, name="recovery_codes_issue"),
    path("logout/everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("profile/token/", views.token_issue, name="token_issue"),
    path("profile/token/<uuid:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/<uuid:pk>/", views.membership_edit, name="membership_edit"),
]
