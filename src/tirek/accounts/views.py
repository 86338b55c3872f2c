from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts import forms, services
from tirek.accounts.selectors import membership_get, membership_list, own_memberships
from tirek.core.forms import edit_form, submit
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
        {"form": form, "memberships": own_memberships(user=request.user)},
    )


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
    return render(
        request,
        "accounts/staff_list.html",
        {
            "organisation": organisation,
            "memberships": membership_list(user=request.user, organisation=organisation),
            "can_manage": can(request.user, "accounts.manage_staff", organisation),
        },
    )


@login_required
def staff_add(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "accounts.manage_staff", organisation)
    form = forms.StaffAddForm(request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: services.staff_add(actor=request.user, organisation=organisation, **data)
    ):
        messages.success(request, _("The staff member has been added."))
        return redirect("accounts:staff_list")
    return render(
        request,
        "web/form.html",
        {"form": form, "title": _("Add staff member"), "cancel_url": reverse("accounts:staff_list")},
    )


@login_required
def membership_edit(request, pk):
    membership = membership_get(user=request.user, pk=pk)
    require(request.user, "accounts.manage_staff", membership.organisation_id)
    form = edit_form(forms.MembershipForm, membership, request.POST or None)
    if request.method == "POST" and submit(
        form, lambda data: services.membership_update(actor=request.user, membership=membership, **data)
    ):
        messages.success(request, _("The membership has been saved."))
        return redirect("accounts:staff_list")
    title = _("Membership of %(name)s") % {"name": membership.user}
    return render(
        request, "web/form.html", {"form": form, "title": title, "cancel_url": reverse("accounts:staff_list")}
    )


@login_required
@require_POST
def token_issue(request):
    token = services.user_token_issue(actor=request.user)
    messages.success(
        request,
        _("Your new API token: %(key)s. Keep it secret; it replaces the old one.") % {"key": token.key},
    )
    return redirect("accounts:profile")
