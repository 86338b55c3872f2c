"""Forms of the support pages: they parse what was typed; the services decide whether it may be written."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.core.forms import StyledForm, VersionedFormMixin
from tirek.directory.models import Organisation
from tirek.support.choices import (
    HELPLINE_CHANNEL_CHOICES,
    MAX_DEADLINE_DAYS,
    AidKind,
    AppealCategory,
    AppealChannel,
    AppealResult,
    AppealStatus,
    OutcomeKind,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT_WIDGET = forms.Textarea(attrs={"rows": 4})
EMPTY = [("", "—")]
PHONE_WIDGET = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"})


def _plain(field: forms.Field) -> None:
    """Radio and checkbox lists are not text inputs: undo the form-control class the styled form gave them."""
    field.widget.attrs["class"] = "form-check-input"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.username


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


# --- appeals ----------------------------------------------------------------------------------------------


class AppealFilterForm(StyledForm):
    """The appeal list's filters (a GET form: a value that does not parse is ignored)."""

    status = forms.ChoiceField(label=_("Status"), choices=EMPTY + AppealStatus.choices, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=EMPTY + AppealCategory.choices, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=EMPTY + AppealChannel.choices, required=False)
    assignee = MemberChoiceField(label=_("Assignee"), queryset=None, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Received to"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class PersonPickMixin:
    """A person chosen from the search results (a radio named "person" holding their id)."""


class AppealForm(PersonPickMixin, StyledForm):
    """The full registration of an appeal (walk-in, letter, online, outreach …)."""

    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME_WIDGET)
    channel = forms.ChoiceField(label=_("Channel"), choices=AppealChannel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=AppealCategory.choices)
    text = forms.CharField(label=_("What the appeal is about"), widget=TEXT_WIDGET)
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    caller = forms.CharField(
        label=_("Caller"),
        required=False,
        max_length=300,
        help_text=_(
            "When the person is not registered: who called or wrote, e.g. anonymous, care leaver, 19."
        ),
    )
    caller_phone = forms.CharField(
        label=_("Caller's phone"), required=False, max_length=20, widget=PHONE_WIDGET
    )
    family = forms.ModelChoiceField(label=_("Family"), queryset=None, required=False)
    assignee = MemberChoiceField(label=_("Assignee"), queryset=None, required=False)
    case = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members=None, families=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members
        self.fields["family"].queryset = families


class HelplineForm(PersonPickMixin, StyledForm):
    """The helpline's quick intake: one short page, filled in during the call."""

    text = forms.CharField(
        label=_("What the caller asks"),
        widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=AppealCategory.choices, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label=_("Line"),
        choices=HELPLINE_CHANNEL_CHOICES,
        initial=AppealChannel.HELPLINE_150,
        widget=forms.RadioSelect,
    )
    anonymous = forms.BooleanField(label=_("Anonymous caller"), required=False)
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=300)
    caller_phone = forms.CharField(
        label=_("Caller's phone"), required=False, max_length=20, widget=PHONE_WIDGET
    )
    person = forms.UUIDField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain(self.fields["category"])
        _plain(self.fields["channel"])


class AppealEditForm(PersonPickMixin, VersionedFormMixin, StyledForm):
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME_WIDGET)
    channel = forms.ChoiceField(label=_("Channel"), choices=AppealChannel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=AppealCategory.choices)
    text = forms.CharField(label=_("What the appeal is about"), widget=TEXT_WIDGET)
    caller = forms.CharField(label=_("Caller"), required=False, max_length=300)
    caller_phone = forms.CharField(
        label=_("Caller's phone"), required=False, max_length=20, widget=PHONE_WIDGET
    )
    family = forms.ModelChoiceField(label=_("Family"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET)

    def __init__(self, *args, families=None, can_move_due=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families
        if not can_move_due:
            del self.fields["due_on"]


class AssignForm(StyledForm):
    assignee = MemberChoiceField(label=_("Assignee"), queryset=None)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members


class ForwardForm(StyledForm):
    organisation = OrganisationChoiceField(
        label=_("Forward to"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that can answer the appeal."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(is_active=True).exclude(pk=exclude).select_related("region")
        )


class ResolveForm(StyledForm):
    result = forms.ChoiceField(label=_("Result"), choices=AppealResult.choices)
    resolution = forms.CharField(label=_("Answer given"), widget=TEXT_WIDGET)
    outcome_kind = forms.ChoiceField(
        label=_("Outcome for the person"),
        choices=EMPTY + OutcomeKind.choices,
        required=False,
        help_text=_("When the appeal changed the person's life: a flat, a job, a grant …"),
    )
    outcome_on = forms.DateField(label=_("Outcome date"), required=False, widget=DATE_WIDGET)
    closed_on = forms.DateField(
        label=_("Answered on"), required=False, widget=DATE_WIDGET, help_text=_("Today when left empty.")
    )

    def __init__(self, *args, with_outcome=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_outcome:
            del self.fields["outcome_kind"]
            del self.fields["outcome_on"]


class RejectForm(StyledForm):
    resolution = forms.CharField(label=_("Why the appeal is rejected"), widget=TEXT_WIDGET)
    closed_on = forms.DateField(
        label=_("Rejected on"), required=False, widget=DATE_WIDGET, help_text=_("Today when left empty.")
    )


class WithdrawForm(StyledForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(
        label=_("Withdrawn on"), required=False, widget=DATE_WIDGET, help_text=_("Today when left empty.")
    )


class CaseLinkForm(StyledForm):
    case = forms.ModelChoiceField(label=_("Case"), queryset=None)

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda c: f"{c.number} · {c.programme.name}"


class DeadlinesForm(StyledForm):
    """The days to answer, one number per category."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[row["category"]] = forms.IntegerField(
                label=row["label"],
                min_value=1,
                max_value=MAX_DEADLINE_DAYS,
                initial=row["days"],
                help_text=_("Default: %(days)s") % {"days": row["default_days"]},
            )


# --- material aid -----------------------------------------------------------------------------------------


class AidFilterForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of aid"), choices=EMPTY + AidKind.choices, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    batch = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class AidFieldsForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of aid"), choices=AidKind.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10000, initial=1)
    value = forms.DecimalField(
        label=_("Value, KZT"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    distributed_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    funding_partner = OrganisationChoiceField(
        label=_("Funding partner"), queryset=Organisation.objects.none(), required=False
    )
    funding_partner_name = forms.CharField(
        label=_("Funding partner (not in the directory)"), required=False, max_length=300
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("distributed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["funding_partner"].queryset = Organisation.objects.filter(is_active=True)


class AidForm(AidFieldsForm):
    family = forms.ModelChoiceField(label=_("Family"), queryset=None, required=False)
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, families=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families
        self.order_fields(["family", "person"])


class FamilyCheckboxes(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class AidBatchForm(AidFieldsForm):
    families = FamilyCheckboxes(
        label=_("Families"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, families=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["families"].queryset = families
        _plain(self.fields["families"])


# --- outcomes ---------------------------------------------------------------------------------------------


class OutcomeFilterForm(StyledForm):
    kind = forms.ChoiceField(label=_("Outcome"), choices=EMPTY + OutcomeKind.choices, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class OutcomeForm(StyledForm):
    kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    case = forms.ModelChoiceField(label=_("Case"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is None:
            del self.fields["case"]
        else:
            self.fields["case"].queryset = cases
            self.fields["case"].label_from_instance = lambda c: f"{c.number} · {c.programme.name}"
