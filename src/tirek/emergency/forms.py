from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.core.forms import StyledForm


class EmergencyAccessForm(StyledForm):
    iin = forms.CharField(label=_("IIN of the person"), max_length=12, min_length=12)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What is happening and why you cannot wait for the organisation that serves the person. "
            "The reason is kept in the audit trail and shown to that organisation."
        ),
    )
