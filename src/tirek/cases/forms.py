from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.cases.choices import (
    CaseStatus,
    ClosureDestination,
    DeadlineClock,
    DocumentKind,
    OutcomeRating,
    PauseReason,
    ReferralSource,
    TransitionStep,
)
from tirek.cases.selectors import LISTED_STATES
from tirek.catalog.models import ClosureReason
from tirek.core.forms import StyledForm, VersionedFormMixin

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


class CaseStatusForm(VersionedFormMixin, StyledForm):
    status = forms.ChoiceField(
        label=_("New status"), choices=[(s.value, s.label) for s in CaseStatus if s != CaseStatus.CLOSED]
    )


class CaseTeamForm(VersionedFormMixin, StyledForm):
    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"] = forms.ModelChoiceField(
            label=_("Coordinator"), queryset=members, required=False
        )
        self.fields["team"] = forms.ModelMultipleChoiceField(
            label=_("Team"), queryset=members, required=False
        )


def _rating_field(label, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—"), *OutcomeRating.choices],
        coerce=int,
        empty_value=None,
        required=required,
    )


class CaseCloseForm(VersionedFormMixin, StyledForm):
    reason = forms.ModelChoiceField(
        label=_("Closure reason"), queryset=ClosureReason.objects.filter(is_active=True)
    )
    destination = forms.ChoiceField(label=_("Destination"), choices=[("", "—"), *ClosureDestination.choices])
    closed_on = forms.DateField(label=_("Closed on"), required=False, widget=DATE_WIDGET)
    exit_social = _rating_field(_("Exit rating: social relationships"))
    exit_knowledge = _rating_field(_("Exit rating: knowledge and skills, communication included"))
    exit_needs = _rating_field(_("Exit rating: meeting own needs"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CaseReopenForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Why is the case reopened?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class EntryOutcomesForm(VersionedFormMixin, StyledForm):
    social = _rating_field(_("Social relationships"), required=True)
    knowledge = _rating_field(_("Knowledge and skills, communication included"), required=True)
    needs = _rating_field(_("Meeting own needs"), required=True)
    rated_on = forms.DateField(label=_("Rated on"), required=False, widget=DATE_WIDGET)


class DeadlinePauseForm(StyledForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=PauseReason.choices)
    starts_on = forms.DateField(label=_("Paused from"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("What was tried, and when"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeadlineResumeForm(StyledForm):
    ends_on = forms.DateField(label=_("Resumed on"), required=False, widget=DATE_WIDGET)


class TransitionStepForm(StyledForm):
    step = forms.ChoiceField(label=_("Step"), choices=TransitionStep.choices)
    happened_on = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DeadlineFilterForm(StyledForm):
    state = forms.ChoiceField(label=_("State"), required=False)
    clock = forms.ChoiceField(
        label=_("Deadline"), choices=[("", _("All deadlines")), *DeadlineClock.choices], required=False
    )
    mine = forms.BooleanField(label=_("Only my cases"), required=False)

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("Needs attention")),
            *[(s.value, s.label) for s in LISTED_STATES],
        ]
        self.fields["programme"] = forms.ModelChoiceField(
            label=_("Programme"),
            queryset=programmes,
            required=False,
            empty_label=_("All programmes"),
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        self.order_fields(["state", "clock", "programme", "mine"])


class CaseDocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    dated = forms.DateField(label=_("Date of the document"), widget=DATE_WIDGET)
    issued_by = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Scan (PDF, PNG or JPEG)"),
        required=False,
        help_text=_("Never a copy of an identity document."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
