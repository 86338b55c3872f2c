"""Forms of the residence pages: they parse what was typed; the services decide whether it may be written."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.core.forms import StyledForm, StyledModelForm
from tirek.residence.models import Facility
from tirek.residence.services import FACILITY_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FacilityForm(StyledModelForm):
    confirm_over_capacity = forms.BooleanField(
        label=_("Yes, there are more residents than places"),
        required=False,
        help_text=_("Needed only when the places are fewer than the residents today."),
    )

    class Meta:
        model = Facility
        fields = list(FACILITY_FIELDS)
        widgets = {"note": forms.Textarea({"rows": 3})}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        born = f" · {obj.birth_date:%d.%m.%Y}" if obj.birth_date else ""
        return f"{obj.full_name}{born}"


class MoveInForm(StyledForm):
    person = PersonChoiceField(label=_("Person"), queryset=None)
    moved_in_on = forms.DateField(label=_("Moved in on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm_over_capacity = forms.BooleanField(
        label=_("Yes, move in beyond the facility's places"),
        required=False,
        help_text=_("Needed only when every place is taken."),
    )

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons


class MoveOutForm(StyledForm):
    moved_out_on = forms.DateField(label=_("Moved out on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
