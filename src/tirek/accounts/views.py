from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts import forms, roles, services, two_factor
from tirek.accounts.selectors import (
    membership_get_for_change,
    membership_list,
    own_memberships,
    user_token_get,
    user_token_list,
)
from tirek.accounts.sessions import PASSED, SECOND_STEP, SETUP, VERIFY, second_step_passed
from tirek.core.forms import add_service_errors, edit_form, submit
from tirek.core.refusals import refusal_note
from tirek.core.scoping import can, require
from tirek.directory.selectors import active_organisation_get


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.StyledPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = forms.StyledPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.StyledSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request):
    form = edit_form(forms.ProfileForm, request.user, request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: services.user_update_profile(actor=request.user, **data)
    ):
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": own_memberships(user=request.user),
            "two_factor_on": two_factor.two_factor_enabled(request.user),
            "two_factor_required": two_factor.two_factor_required(request.user),
            "recovery_codes_left": two_factor.recovery_codes_left(request.user),
            "idle_minutes": settings.TIREK_SESSION_IDLE_MINUTES,
            "api_tokens": user_token_list(user=request.user),
            "token_form": forms.ApiTokenForm(),
            "token_days": settings.TIREK_TOKEN_DAYS,
            "token_idle_days": settings.TIREK_TOKEN_IDLE_DAYS,
        },
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return reverse("web:home")
    return target or reverse("web:home")


@login_required
def two_factor_verify(request):
    """The second step of signing in: the code from the app, or a recovery code."""
    if request.session.get(SECOND_STEP) != VERIFY:
        return redirect(_next_url(request))
    form = forms.SecondStepCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            second_step_passed(request)
            if device.name == "recovery":
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("You used a recovery code; %(count)d are left. Issue new ones in your profile.")
                    % {"count": left},
                )
            return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong or has expired. Enter the code the app shows now."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}, status=200
    )


@login_required
def two_factor_setup(request):
    """Turn two-step sign-in on: scan the QR code, enter the code the app shows, keep the recovery codes."""
    if two_factor.two_factor_enabled(request.user):
        messages.info(request, _("Two-step sign-in is already on."))
        return redirect("accounts:profile")
    form = forms.SecondStepCodeForm(request.POST or None)
    if request.method == "POST":
        codes = submit(
            form, lambda data: two_factor.two_factor_confirm(actor=request.user, code=data["code"])
        )
        if codes is not None:
            if request.session.get(SECOND_STEP) in (SETUP, VERIFY):
                second_step_passed(request)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
    enrolment = two_factor.two_factor_pending(actor=request.user) or two_factor.two_factor_start(
        actor=request.user
    )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "enrolment": enrolment,
            "next": _next_url(request),
            "required": two_factor.two_factor_required(request.user),
        },
    )


@login_required
@require_POST
def two_factor_disable(request):
    form = forms.SecondStepCodeForm(request.POST)
    if (
        submit(form, lambda data: two_factor.two_factor_disable(actor=request.user, code=data["code"]))
        is not None
    ):
        messages.success(request, _("Two-step sign-in is off."))
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect("accounts:profile")


@login_required
@require_POST
def recovery_codes_issue(request):
    form = forms.SecondStepCodeForm(request.POST)
    codes = submit(form, lambda data: two_factor.recovery_codes_issue(actor=request.user, code=data["code"]))
    if codes is None:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:profile"), "first_time": False},
    )


@login_required
@require_POST
def logout_everywhere(request):
    """End every session of the user, this one included, and revoke their API tokens."""
    services.user_logout_everywhere(actor=request.user)
    logout(request)
    messages.success(request, _("You were signed out everywhere. Sign in again."))
    return redirect("accounts:login")


@login_required
@require_POST
def switch_organisation(request):
    import uuid

    try:
        organisation_id = uuid.UUID(request.POST.get("organisation", ""))
    except ValueError:
        organisation_id = None
    services.user_switch_organisation(user=request.user, organisation_id=organisation_id)
    target = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("web:home")
    return redirect(target)


@login_required
def staff_list(request):
    organisation = active_organisation_get(user=request.user)
    memberships = membership_list(user=request.user, organisation=organisation)
    return render(
        request,
        "accounts/staff_list.html",
        {
            "organisation": organisation,
            "rows": [(m, roles.may_change_membership(request.user, m)) for m in memberships],
            "can_manage": can(request.user, "accounts.manage_staff", organisation),
        },
    )


def _submit_staff_form(request, form, action) -> tuple[object | None, int]:
    """`submit`, with a grant the user may not make shown on the form (403) instead of the error page, and
    noted for the trail as the error page would have been."""
    try:
        return submit(form, action), 200
    except roles.GrantRefused as refusal:
        refusal_note(request, refusal)
        add_service_errors(form, ValidationError({refusal.field or "__all__": [refusal.message]}))
        return None, 403


@login_required
def staff_add(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "accounts.manage_staff", organisation)
    form = forms.StaffAddForm(request.POST or None, actor=request.user, organisation=organisation)
    status = 200
    if request.method == "POST":
        added, status = _submit_staff_form(
            request,
            form,
            lambda data: services.staff_add(actor=request.user, organisation=organisation, **data),
        )
        if added:
            messages.success(request, _("The staff member has been added."))
            return redirect("accounts:staff_list")
    return render(
        request,
        "web/form.html",
        {"form": form, "title": _("Add staff member"), "cancel_url": reverse("accounts:staff_list")},
        status=status,
    )


@login_required
def membership_edit(request, pk):
    membership = membership_get_for_change(user=request.user, pk=pk)
    form = edit_form(forms.MembershipForm, membership, request.POST or None, actor=request.user)
    status = 200
    if request.method == "POST":
        saved, status = _submit_staff_form(
            request,
            form,
            lambda data: services.membership_update(actor=request.user, membership=membership, **data),
        )
        if saved:
            messages.success(request, _("The membership has been saved."))
            return redirect("accounts:staff_list")
    title = _("Membership of %(name)s") % {"name": membership.user}
    return render(
        request,
        "web/form.html",
        {"form": form, "title": title, "cancel_url": reverse("accounts:staff_list")},
        status=status,
    )


@login_required
@require_POST
def token_issue(request):
    """A new API token; its key is shown on this page once and kept nowhere."""
    form = forms.ApiTokenForm(request.POST)
    issued = submit(
        form,
        lambda data: services.user_token_issue(
            actor=request.user,
            name=data["name"],
            # The session reached this page past the second step wherever one is owed (accounts.sessions).
            second_step_passed=request.session.get(SECOND_STEP) == PASSED,
        ),
    )
    if issued is None:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("accounts:profile")
    return render(request, "accounts/token_issued.html", {"issued": issued})


@login_required
@require_POST
def token_revoke(request, pk):
    token = user_token_get(user=request.user, pk=pk)
    services.user_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The API token has been revoked."))
    return redirect("accounts:profile")
