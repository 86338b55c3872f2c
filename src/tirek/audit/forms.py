from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.audit.choices import AuditAction
from tirek.audit.selectors import FILTERS, audit_actor_choices, audit_organisation_choices
from tirek.core.forms import PeriodFormMixin, StyledForm
from tirek.core.validators import validate_iin


class AuditFilterForm(PeriodFormMixin, StyledForm):
    """The trail's filters on the page (the API's AuditFilterSerializer takes the same)."""

    actor = forms.ModelChoiceField(label=_("Actor"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All actions")), *AuditAction.choices], required=False
    )
    object_type = forms.CharField(label=_("Object type"), max_length=100, required=False)
    iin = forms.CharField(
        label=_("Person's IIN"),
        min_length=12,
        max_length=12,
        required=False,
        validators=[validate_iin],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    subject_person = forms.UUIDField(label=_("Person's id"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = audit_actor_choices(user=user)
        self.fields["organisation"].queryset = audit_organisation_choices(user=user)

    def criteria(self) -> dict[str, Any]:
        """The filters for `audit_event_list`, the empty ones left out."""
        return {name: self.cleaned_data[name] for name in FILTERS if self.cleaned_data.get(name)}
