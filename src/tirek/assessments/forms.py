"""The assessment form, generated from an instrument's items; ICF codes are entered as repeatable rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from tirek.assessments.answers import ICF_CODE, item_label, item_options, option_label
from tirek.assessments.choices import AnswerType, DevelopmentalDomain, IcfQualifier, IcfSign, ScoringRule
from tirek.assessments.models import Assessment, Instrument
from tirek.catalog.selectors import profession_list
from tirek.core.forms import StyledForm, submit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY_ICF_ROWS = 5
RADIO_SCALE_MAX_POINTS = 11
ICF_ROW_FIELDS = ("code", "title", "qualifier", "performance", "capacity", "sign")


def _answer_field(item) -> forms.Field:
    """The form field of one item (ICF items are rows, not fields)."""
    label = item_label(item)
    required = item.required
    kind = item.answer_type
    if kind == AnswerType.YES_NO:
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
        )
    if kind == AnswerType.SCALE:
        low, high = int(item.min_value), int(item.max_value)
        if high - low < RADIO_SCALE_MAX_POINTS:
            return forms.TypedChoiceField(
                label=label,
                required=required,
                coerce=int,
                choices=[(n, str(n)) for n in range(low, high + 1)],
                widget=forms.RadioSelect,
            )
        return forms.IntegerField(label=label, required=required, min_value=low, max_value=high)
    if kind == AnswerType.NUMBER:
        return forms.DecimalField(
            label=label, required=required, min_value=item.min_value, max_value=item.max_value
        )
    if kind == AnswerType.CHOICE:
        options = [(o["value"], option_label(o)) for o in item_options(item)]
        return forms.ChoiceField(label=label, required=required, choices=[("", "—"), *options])
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _qualifier_field(label) -> forms.Field:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, choices=[("", "—"), *IcfQualifier.choices]
    )


class AssessmentForm(StyledForm):
    """Date, profession and notes, one field per item (named "answers.<code>", as the service's messages are),
    and for ICF codes numbered rows of code, title and qualifiers."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.items = list(instrument.items.all())
        self.fields["profession"] = forms.ModelChoiceField(
            label=_("Profession"),
            queryset=profession_list(),
            required=False,
            help_text=_("Left empty: the assessor's profession in the organisation."),
        )
        if instrument.scoring_rule == ScoringRule.MCHAT_RF:
            self.fields["follow_up_score"] = forms.IntegerField(
                label=_("Follow-up interview score"),
                required=False,
                min_value=0,
                max_value=20,
                help_text=_("For a total of 3–7: the items still at risk after the follow-up interview."),
            )
        icf_items = [i for i in self.items if i.answer_type == AnswerType.ICF_QUALIFIER]
        self.uses_icf_rows = instrument.scoring_rule == ScoringRule.ICF_PROFILE or bool(icf_items)
        for item in self.items:
            if item.answer_type != AnswerType.ICF_QUALIFIER:
                self.fields[f"answers.{item.code}"] = _answer_field(item)
        self.icf_row_count = 0
        if self.uses_icf_rows:
            prefilled = self.initial.get("icf_rows") or [{"code": i.code} for i in icf_items]
            self.icf_row_count = len(prefilled) + EMPTY_ICF_ROWS
            if self.is_bound:  # as many rows as were sent, so none typed is lost
                while f"icf-{self.icf_row_count}-code" in self.data:
                    self.icf_row_count += 1
            for index in range(self.icf_row_count):
                self._add_icf_row(index, prefilled[index] if index < len(prefilled) else {})
        self.order_fields(["assessed_on", "profession"])
        # The fields added here come after StyledForm gave its classes: style them the same way.
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if name.startswith("icf-"):
                css += " form-select-sm" if isinstance(widget, forms.Select) else " form-control-sm"
            widget.attrs["class"] = css

    def _add_icf_row(self, index: int, initial: dict) -> None:
        prefix = f"icf-{index}-"
        self.fields[prefix + "code"] = forms.CharField(
            label=_("ICF code"), required=False, max_length=6, widget=forms.TextInput(attrs={"size": 7})
        )
        self.fields[prefix + "title"] = forms.CharField(
            label=_("Title (your words)"), required=False, max_length=200
        )
        self.fields[prefix + "qualifier"] = _qualifier_field(_("Qualifier"))
        self.fields[prefix + "performance"] = _qualifier_field(_("Performance"))
        self.fields[prefix + "capacity"] = _qualifier_field(pgettext("ICF qualifier", "Capacity"))
        self.fields[prefix + "sign"] = forms.ChoiceField(
            label=_("Barrier or facilitator"), required=False, choices=[("", "—"), *IcfSign.choices]
        )
        for name in ICF_ROW_FIELDS:
            if initial.get(name) is not None:
                self.initial.setdefault(prefix + name, initial[name])

    # What the template shows ---------------------------------------------------------------------------

    def item_groups(self) -> list[tuple[str, list]]:
        """The item fields in order, grouped under their domain's heading where items have one."""
        groups: list[tuple[str, list]] = []
        for item in self.items:
            name = f"answers.{item.code}"
            if name not in self.fields:
                continue
            domain = item.domain
            heading = (
                str(DevelopmentalDomain(domain).label) if domain in DevelopmentalDomain.values else domain
            )
            if not groups or groups[-1][0] != heading:
                groups.append((heading, []))
            groups[-1][1].append(self[name])
        return groups

    def icf_rows(self) -> list[list]:
        return [
            [self[f"icf-{index}-{name}"] for name in ICF_ROW_FIELDS] for index in range(self.icf_row_count)
        ]

    def meta_fields(self) -> list:
        names = ["assessed_on", "profession", "follow_up_score", "notes"]
        return [self[name] for name in names if name in self.fields]

    # What the service gets ------------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        answers: dict[str, Any] = {}
        for item in self.items:
            name = f"answers.{item.code}"
            if name in data and data[name] not in (None, ""):
                answers[item.code] = data[name]
        seen: dict[str, int] = {}
        for index in range(self.icf_row_count):
            row = {name: data.get(f"icf-{index}-{name}") for name in ICF_ROW_FIELDS}
            code = (row.pop("code") or "").strip().lower()
            filled = {k: v for k, v in row.items() if v not in (None, "")}
            if not code:
                if filled:
                    self.add_error(f"icf-{index}-code", _("Enter the ICF code of this row."))
                continue
            if code in seen:
                self.add_error(f"icf-{index}-code", _("This code is already in another row."))
                continue
            seen[code] = index
            answers[code] = filled
        self.icf_code_rows = seen
        data["answers"] = answers
        return data

    def submit(self, action):
        """`tirek.core.forms.submit`, with the service's messages about an ICF code put on that code's row."""

        def routed(data):
            try:
                return action(data)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                raise ValidationError(
                    {self._field_for(name): errors for name, errors in exc.error_dict.items()}
                ) from exc

        return submit(self, routed)

    def _field_for(self, name: str) -> str:
        if name.startswith("answers.") and name not in self.fields:
            index = getattr(self, "icf_code_rows", {}).get(name.removeprefix("answers.").strip().lower())
            if index is not None:
                return f"icf-{index}-code"
        return name

    def service_fields(self) -> dict[str, Any]:
        """The keyword arguments of assessment_record / assessment_update from a valid form."""
        data = self.cleaned_data
        fields = {
            "assessed_on": data["assessed_on"],
            "profession": data.get("profession"),
            "notes": data.get("notes", ""),
            "answers": data["answers"],
        }
        if "follow_up_score" in self.fields:
            fields["follow_up_score"] = data.get("follow_up_score")
        return fields


def initial_from(assessment: Assessment) -> dict[str, Any]:
    """The form's initial values for correcting `assessment`."""
    initial: dict[str, Any] = {
        "assessed_on": assessment.assessed_on,
        "profession": assessment.profession_id,
        "notes": assessment.notes,
        "follow_up_score": assessment.follow_up_score,
    }
    rows = []
    for code, value in assessment.answers.items():
        if ICF_CODE.match(code) and isinstance(value, dict):
            rows.append({"code": code, **value})
        else:
            initial[f"answers.{code}"] = value
    initial["icf_rows"] = rows
    return initial
