from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.catalog.models import Service
from tirek.core.forms import StyledForm, StyledModelForm
from tirek.directory.choices import OrganisationKind, PartnershipStatus
from tirek.directory.models import Organisation, Partnership, Programme, Region
from tirek.directory.selectors import ALL_STATUSES, IN_FORCE
from tirek.directory.services import (
    NEW_PARTNERSHIP_STATUSES,
    ORGANISATION_FIELDS,
    ORGANISATION_FIELDS_FOR_MANAGERS,
    PARTNERSHIP_FIELDS,
    PROGRAMME_FIELDS,
)


class OrganisationForm(StyledModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)


class OrganisationContactsForm(StyledModelForm):
    """What a manager may change about their own organisation."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS_FOR_MANAGERS)


class ProgrammeForm(StyledModelForm):
    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)


class OrganisationFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *OrganisationKind.choices], required=False
    )


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.region.name}"


class PartnershipForm(StyledModelForm):
    """A memorandum: its parties and services besides the fields of the record."""

    parties = OrganisationChoices(
        label=_("Parties"),
        queryset=Organisation.objects.filter(is_active=True).select_related("region"),
        help_text=_("At least two organisations, yours among them."),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), queryset=Service.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = Partnership
        fields = ["title", "parties", *PARTNERSHIP_FIELDS[1:], "services"]
        widgets = {"signed_on": DATE_WIDGET, "valid_until": DATE_WIDGET, "scope": forms.Textarea({"rows": 4})}

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].widget.attrs["size"] = 8
        self.fields["services"].widget.attrs["size"] = 8
        if new:
            self.fields["status"].choices = [
                (value, label)
                for value, label in PartnershipStatus.choices
                if value in NEW_PARTNERSHIP_STATUSES
            ]
        else:
            # The status changes through its own buttons (bring into force, terminate).
            del self.fields["status"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["parties"] = list(data["parties"])
        data["services"] = list(data.get("services") or [])
        return data


class PartnershipTerminateForm(StyledForm):
    terminated_on = forms.DateField(label=_("Terminated on"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PartnershipFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(IN_FORCE, _("In force today")), (ALL_STATUSES, _("All")), *PartnershipStatus.choices],
        required=False,
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
