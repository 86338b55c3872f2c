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

from tirek.accounts import roles
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


def offer_grantable_roles(field: forms.ChoiceField, *, actor, organisation) -> None:
    """Offer only the roles `actor` may grant (accounts.roles). The field still accepts any role when posted:
    the service refuses, and records, a role the user may not grant, and the view shows why on the form."""
    field.widget.choices = roles.role_choices(actor, organisation)


class StaffAddForm(StyledForm):
    username = forms.CharField(label=_("Login"), max_length=150)
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

    def __init__(self, *args, actor, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        offer_grantable_roles(self.fields["role"], actor=actor, organisation=organisation)
        if roles.may_add_from_elsewhere(actor):
            self.fields["username"].help_text = _("An existing user's login, or a new one to create.")
        else:
            self.fields["username"].help_text = _(
                "The login of the new account. Colleagues already in the organisation are on the staff list."
            )


class MembershipForm(StyledModelForm):
    """A member's role, profession and activity; the data protection officer's flag for administrators."""

    class Meta:
        model = Membership
        fields = ["role", "profession", "is_active", "is_data_protection_officer"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        offer_grantable_roles(self.fields["role"], actor=actor, organisation=self.instance.organisation_id)
        if not roles.may_name_data_protection_officer(actor):
            del self.fields["is_data_protection_officer"]
            self.fields["role"].help_text = _(
                "The analyst and administrator roles are granted by an administrator."
            )


class SecondStepCodeForm(StyledForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class ApiTokenForm(StyledForm):
    """What a new API token is for (optional), to tell it apart in the list."""

    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. the monthly report script")}),
    )
