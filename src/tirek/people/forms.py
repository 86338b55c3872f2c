from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tirek.catalog.models import Diagnosis
from tirek.core.forms import StyledForm, StyledModelForm, VersionedFormMixin
from tirek.directory.models import Organisation
from tirek.people.choices import ConsentPurpose, FamilyRole
from tirek.people.models import Family, Person
from tirek.people.services import FAMILY_FIELDS, HEALTH_FIELDS, PERSON_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FamilyLinkForm(StyledForm):
    """On registration: put the new person straight into a family."""

    family_role = forms.ChoiceField(label=_("Role in the family"), choices=FamilyRole.choices)
    family_legal_representative = forms.BooleanField(label=_("Legal representative"), required=False)


class PersonForm(VersionedFormMixin, StyledModelForm):
    confirm_mismatch = forms.BooleanField(
        label=_("The data are right although they disagree with the IIN"), required=False
    )

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {"birth_date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iin"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "maxlength": 12}
        )
        self.fields["phone"].widget.attrs["placeholder"] = "+77011234567"
        self.fields["birth_date"].required = False
        self.fields["sex"].required = False
        # The confirmation appears only once the IIN disagreed with the data (see offer_confirmation).
        if not (self.data and self.data.get("confirm_mismatch")):
            del self.fields["confirm_mismatch"]

    def offer_confirmation(self) -> None:
        if "confirm_mismatch" not in self.fields:
            self.fields["confirm_mismatch"] = forms.BooleanField(
                label=_("The data are right although they disagree with the IIN"), required=False
            )

    def _post_clean(self):
        # The service validates the person (IIN rules, uniqueness, mismatch warning); the form only parses.
        pass


class HealthForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = Person
        fields = list(HEALTH_FIELDS)
        widgets = {"ipar_from": DATE_WIDGET, "ipar_to": DATE_WIDGET}

    def _post_clean(self):
        pass


class DiagnosisForm(StyledForm):
    diagnosis = forms.ModelChoiceField(
        label=_("Diagnosis"), queryset=Diagnosis.objects.filter(is_active=True)
    )
    diagnosed_on = forms.DateField(label=_("Diagnosed on"), required=False, widget=DATE_WIDGET)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class FamilyForm(StyledModelForm):
    class Meta:
        model = Family
        fields = list(FAMILY_FIELDS)
        widgets = {"difficult_situation_grounds": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        pass


class FamilyMemberForm(StyledForm):
    """Adds a person the organisation already serves, found by IIN."""

    iin = forms.RegexField(
        label=_("IIN of the person"),
        regex=r"^\d{12}$",
        error_messages={"invalid": _("An IIN has exactly 12 digits.")},
        help_text=_("Someone not registered yet? Use “Register a new member” instead."),
    )
    role = forms.ChoiceField(label=_("Role in the family"), choices=FamilyRole.choices)
    is_legal_representative = forms.BooleanField(label=_("Legal representative"), required=False)

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = persons

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("iin"):
            person = self.persons.filter(iin=cleaned.pop("iin")).first()
            if person is None:
                self.add_error(
                    "iin", _("No person with this IIN among the persons your organisation serves.")
                )
            cleaned["person"] = person
        return cleaned


class ConsentForm(StyledForm):
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=ConsentPurpose.choices, widget=forms.CheckboxSelectMultiple
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Organisations it may be shared with"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
    share_with_referral_targets = forms.BooleanField(
        label=_("May be shared with any organisation a referral goes to"), required=False
    )
    given_on = forms.DateField(label=_("Given on"), widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE_WIDGET)
    document_reference = forms.CharField(
        label=_("Document reference"),
        max_length=120,
        required=False,
        help_text=_("Number and date of the signed form. Never a scan of an identity document."),
    )

    def __init__(self, *args, givers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"] = forms.ModelChoiceField(label=_("Given by"), queryset=givers)
        self.order_fields(["given_by", "purposes"])
        self.fields["purposes"].widget.attrs["class"] = ""


class ConsentWithdrawForm(StyledForm):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE_WIDGET)
    withdrawn_by = forms.CharField(label=_("Withdrawn by"), max_length=200)


class SearchForm(StyledForm):
    q = forms.CharField(label=_("IIN, name, phone or case number"), required=False)
