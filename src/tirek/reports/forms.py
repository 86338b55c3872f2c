"""The filters of a report, parsed the same way for the web page and the API."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.core.forms import StyledForm
from tirek.directory.models import Organisation, Programme, Region
from tirek.people.choices import Sex
from tirek.reports.catalogue import (
    AGE_BAND_CHOICES,
    DIMENSION_NAMES,
    Filters,
    Indicator,
    diagnosis_categories,
)


def _day_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def year_start() -> dt.date:
    return timezone.localdate().replace(month=1, day=1)


# The filters an indicator may refuse (those its records cannot be narrowed by).
OPTIONAL = ("programme", "sex", "age_band", "diagnosis_group")

# The years a report period may span: the day after the last one must still be a date, in any time zone.
FIRST_YEAR, LAST_YEAR = 1900, 2100
PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


def period_bounds(period: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a year ("2024"), a quarter ("2024-Q2") or a month ("2024-05"); None when
    `period` is none of these."""
    match = PERIOD.match(period)
    if match is None:
        return None
    year = int(match["year"])
    if match["month"]:
        first_month = last_month = int(match["month"])
        if not 1 <= first_month <= 12:
            return None
    elif match["quarter"]:
        first_month = 3 * int(match["quarter"]) - 2
        last_month = first_month + 2
    else:
        first_month, last_month = 1, 12
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    end = dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, first_month, 1), end


class IndicatorFilterForm(StyledForm):
    """The period (a year, quarter or month as `period`, or from/to, both days included; this year so far
    unless given), the organisation (for analysts), region, programme, sex, age band, diagnosis group and the
    split."""

    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=7,
        help_text=_("A year (2024), a quarter (2024-Q2) or a month (2024-05); or give the dates."),
    )

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="kato",
        required=False,
        empty_label=_("All regions"),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    age_band = forms.ChoiceField(label=_("Age band"), choices=[("", "—"), *AGE_BAND_CHOICES], required=False)
    diagnosis_group = forms.CharField(
        label=_("Diagnosis group"),
        required=False,
        max_length=7,
        help_text=_("An ICD-10 block (F80-F89) or category (F84): persons with a recorded diagnosis in it."),
    )

    def __init__(self, data=None, *, user, indicator: Indicator, exact: bool, **kwargs):
        super().__init__(data, **kwargs)
        self.indicator = indicator
        self.fields["from"] = _day_field(_("From"))
        self.fields["to"] = _day_field(_("To"))
        self.order_fields(["period", "from", "to"])
        if not exact:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Organisation"),
                queryset=Organisation.objects.visible_to(user),
                required=False,
                empty_label=_("All organisations"),
            )
            self.order_fields(["period", "from", "to", "organisation"])
        self.fields["programme"].queryset = Programme.objects.visible_to(user).select_related("organisation")
        for name in OPTIONAL:
            if name not in indicator.filters:
                del self.fields[name]
        self.fields["by"] = forms.ChoiceField(
            label=_("Split by"),
            choices=[("", "—"), *((d, DIMENSION_NAMES[d]) for d in indicator.dimensions)],
            required=False,
        )
        for name in ("from", "to", "organisation", "by"):
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("class", "form-select")
        self.fields["from"].widget.attrs["class"] = self.fields["to"].widget.attrs["class"] = "form-control"
        # A filter this indicator cannot apply is an error, not silently ignored.
        self.refused = [n for n in OPTIONAL if data and data.get(n) and n not in self.fields]

    def clean_diagnosis_group(self) -> str:
        group = self.cleaned_data.get("diagnosis_group", "").strip().upper()
        if group and diagnosis_categories(group) is None:
            raise forms.ValidationError(_("Give an ICD-10 block (F80-F89) or category (F84)."))
        return group

    def clean(self):
        cleaned = super().clean()
        for name in self.refused:
            self._errors[name] = self.error_class([_("This indicator cannot be filtered by this.")])
        date_from = cleaned.get("from") or year_start()
        date_to = cleaned.get("to") or timezone.localdate()
        if cleaned.get("period"):
            bounds = period_bounds(cleaned["period"])
            if bounds is None:
                self.add_error("period", _("Give a year (2024), a quarter (2024-Q2) or a month (2024-05)."))
            elif cleaned.get("from") or cleaned.get("to"):
                self.add_error("period", _("Give either a period or the dates, not both."))
            else:
                date_from, date_to = bounds
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Enter a date between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        if "from" not in self.errors and "to" not in self.errors and date_from > date_to:
            self.add_error("to", _("The end of the period cannot be before its start."))
        cleaned["from"], cleaned["to"] = date_from, date_to
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            date_from=data["from"],
            date_to=data["to"],
            organisation=data.get("organisation"),
            region=data.get("region"),
            programme=data.get("programme"),
            sex=data.get("sex") or "",
            age_band=data.get("age_band") or "",
            diagnosis_group=data.get("diagnosis_group") or "",
        )

    def by(self) -> str | None:
        return self.cleaned_data.get("by") or None
