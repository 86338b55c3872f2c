from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import CaseStatus, ReferralSource
from tirek.catalog.models import ClosureReason
from tirek.core.forms import StyledForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseOpenForm(StyledForm):
    referral_source = forms.ChoiceField(label=_("Referral source"), choices=ReferralSource.choices)
    referral_received_on = forms.DateField(
        label=_("Referral received on"), required=False, widget=DATE_WIDGET
    )
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CaseStatus.INTAKE, CaseStatus.INTAKE.label),
            (CaseStatus.ACTIVE, CaseStatus.ACTIVE.label),
            (CaseStatus.REFERRED, CaseStatus.REFERRED.label),
        ],
        initial=CaseStatus.INTAKE,
    )
    override_reason = forms.CharField(
        label=_("Reason to enrol despite the age window (managers only)"), max_length=300, required=False
    )

    def __init__(self, *args, programmes=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"] = forms.ModelChoiceField(label=_("Programme"), queryset=programmes)
        self.fields["coordinator"] = forms.ModelChoiceField(
            label=_("Coordinator"), queryset=members, required=False
        )
        self.fields["team"] = forms.ModelMultipleChoiceField(
            label=_("Team"), queryset=members, required=False
        )
        self.order_fields(
            [
                "programme",
                "referral_source",
                "referral_received_on",
                "opened_on",
                "status",
                "coordinator",
                "team",
                "override_reason",
            ]
        )


def case_open_fields(cleaned_data: dict) -> dict:
    """The keyword arguments of `case_open` from a valid CaseOpenForm."""
    from django.utils import timezone

    fields = dict(cleaned_data)
    fields["opened_on"] = fields.get("opened_on") or timezone.localdate()
    fields["team"] = list(fields.get("team") or [])
    return fields


class CaseStatusForm(StyledForm):
    status = forms.ChoiceField(
        label=_("New status"), choices=[(s.value, s.label) for s in CaseStatus if s != CaseStatus.CLOSED]
    )


class CaseTeamForm(StyledForm):
    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"] = forms.ModelChoiceField(
            label=_("Coordinator"), queryset=members, required=False
        )
        self.fields["team"] = forms.ModelMultipleChoiceField(
            label=_("Team"), queryset=members, required=False
        )


class CaseCloseForm(StyledForm):
    reason = forms.ModelChoiceField(
        label=_("Closure reason"), queryset=ClosureReason.objects.filter(is_active=True)
    )
    closed_on = forms.DateField(label=_("Closed on"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
