from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import User
from tirek.audit.choices import AuditAction
from tirek.core.forms import StyledForm
from tirek.directory.models import Organisation


class AuditFilterForm(StyledForm):
    actor = forms.ModelChoiceField(label=_("Actor"), queryset=User.objects.all(), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All actions")), *AuditAction.choices], required=False
    )
    object_type = forms.CharField(label=_("Object type"), required=False)
    subject_person = forms.UUIDField(label=_("Subject person"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
