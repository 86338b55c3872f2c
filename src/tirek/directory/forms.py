from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.core.forms import StyledForm, StyledModelForm
from tirek.directory.choices import OrganisationKind
from tirek.directory.models import Organisation, Programme, Region
from tirek.directory.services import ORGANISATION_FIELDS, ORGANISATION_FIELDS_FOR_MANAGERS, PROGRAMME_FIELDS


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
