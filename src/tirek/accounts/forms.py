from __future__ import annotations

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tirek.accounts.choices import Role
from tirek.accounts.models import Membership, User
from tirek.catalog.models import Profession
from tirek.core.forms import StyledForm, StyledFormMixin, StyledModelForm

phone_validator = RegexValidator(
    r"^\+7\d{10}$", _("Enter the phone as +7 and ten digits, e.g. +77011234567.")
)


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class StyledPasswordResetForm(StyledFormMixin, PasswordResetForm):
    pass


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class ProfileForm(StyledModelForm):
    phone = forms.CharField(label=_("phone"), required=False, validators=[phone_validator])

    class Meta:
        model = User
        fields = ["last_name", "first_name", "patronymic", "email", "phone"]


class StaffAddForm(StyledForm):
    username = forms.CharField(
        label=_("Login"), max_length=150, help_text=_("An existing user's login, or a new one to create.")
    )
    last_name = forms.CharField(label=_("Surname"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("A new user receives a link to set a password here.")
    )
    phone = forms.CharField(label=_("Phone"), required=False, validators=[phone_validator])
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    profession = forms.ModelChoiceField(
        label=_("Profession"), queryset=Profession.objects.filter(is_active=True), required=False
    )


class MembershipForm(StyledModelForm):
    class Meta:
        model = Membership
        fields = ["role", "profession", "is_active", "is_data_protection_officer"]


class SecondStepCodeForm(StyledForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
