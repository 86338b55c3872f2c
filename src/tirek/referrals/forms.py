"""Forms of the referral pages: they parse what was typed; the services decide whether it may be written."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.catalog.models import Service
from tirek.core.forms import StyledForm
from tirek.directory.choices import OrganisationKind, ProgrammeKind
from tirek.directory.models import Region
from tirek.referrals.choices import EXTERNAL_SOURCE_CHOICES, SharedPart, Urgency

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _styled(field: forms.Field) -> forms.Field:
    """A field added after the styled form's own set-up gets its Bootstrap class here."""
    field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
    return field


def _any(choices) -> list:
    return [("", _("Any")), *choices]


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.organisation.name} · {obj.name}"


class TargetFilterForm(StyledForm):
    """The GET filter that narrows the organisations a referral may go to."""

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("Any")
    )
    kind = forms.ChoiceField(
        label=_("Type of organisation"), choices=_any(OrganisationKind.choices), required=False
    )
    programme_kind = forms.ChoiceField(
        label=_("Programme"), choices=_any(ProgrammeKind.choices), required=False
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(is_active=True),
        required=False,
        empty_label=_("Any"),
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ReferralSendForm(StyledForm):
    reason = forms.CharField(label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    shared_parts = forms.MultipleChoiceField(
        label=_("Parts of the record shared with the receiver"),
        choices=SharedPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services wanted"),
        queryset=Service.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(
        self, *args, targets=None, programmes=None, with_case: bool = True, may_override=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"] = _styled(
            forms.ModelChoiceField(label=_("Refer to"), queryset=targets)
        )
        self.fields["programme"] = _styled(
            ProgrammeChoiceField(label=_("Programme wanted"), queryset=programmes, required=False)
        )
        self.fields["shared_parts"].widget.attrs["class"] = "form-check-input"
        if not with_case:
            self.fields["shared_parts"].choices = [
                (value, label)
                for value, label in SharedPart.choices
                if value in (SharedPart.CONTACTS, SharedPart.FAMILY, SharedPart.HEALTH)
            ]
        if may_override:
            self.fields["consent_override_reason"] = _styled(
                forms.CharField(
                    label=_("Reason to send without a consent (managers only)"),
                    max_length=500,
                    required=False,
                    help_text=_(
                        "Only when no consent in force covers sharing; the reason is kept in the audit trail."
                    ),
                )
            )
        self.order_fields(
            [
                "to_organisation",
                "programme",
                "reason",
                "urgency",
                "shared_parts",
                "services",
                "consent_override_reason",
            ]
        )


class ReferralExternalForm(StyledForm):
    external_source = forms.ChoiceField(
        label=_("Where the referral comes from"), choices=EXTERNAL_SOURCE_CHOICES
    )
    external_source_name = forms.CharField(
        label=_("Who referred"),
        max_length=200,
        required=False,
        help_text=_("e.g. Polyclinic No 5, PMPK of Almaty"),
    )
    external_source_contact = forms.CharField(label=_("Their contact"), max_length=200, required=False)
    received_on = forms.DateField(label=_("Received on"), required=False, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"] = _styled(
            forms.ModelChoiceField(label=_("Programme wanted"), queryset=programmes, required=False)
        )


class ReferralAcceptForm(StyledForm):
    override_reason = forms.CharField(
        label=_("Reason to enrol despite the age window (managers only)"), max_length=300, required=False
    )

    def __init__(self, *args, programmes=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"] = _styled(
            forms.ModelChoiceField(label=_("Programme of your organisation"), queryset=programmes)
        )
        self.fields["coordinator"] = _styled(
            forms.ModelChoiceField(label=_("Coordinator"), queryset=members, required=False)
        )
        self.order_fields(["programme", "coordinator", "override_reason"])


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CompletionForm(StyledForm):
    note = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
