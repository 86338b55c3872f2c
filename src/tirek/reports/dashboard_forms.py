"""What a dashboard is asked for (the period; the organisation or the region for analysts), parsed the same
way for the web page and the API."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.core.forms import StyledForm
from tirek.directory.models import Organisation, Region
from tirek.reports.aggregates import Period, period_containing, period_parse, standard_periods
from tirek.reports.models import SnapshotScope


def period_label(period: Period) -> str:
    if period.kind == "month":
        return date_format(period.start, "YEAR_MONTH_FORMAT")
    if period.kind == "quarter":
        quarter = (period.start.month - 1) // 3 + 1
        return _("Quarter %(quarter)s of %(year)s") % {"quarter": quarter, "year": period.start.year}
    return _("Year %(year)s") % {"year": period.start.year}


class DashboardForm(StyledForm):
    """The period (the current or previous month, quarter or year are offered; any month, quarter or year
    may be asked for by its code), and for analysts the organisation or the region."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)

    def __init__(self, data=None, *, user, scope: str, exact: bool, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        today = timezone.localdate()
        periods = standard_periods(today)
        asked = period_parse((data or {}).get("period") or "")
        if asked is not None and asked not in periods:
            periods.append(asked)
        self.fields["period"].choices = [(p.code, period_label(p)) for p in periods]
        self.fields["period"].initial = period_containing(today, "month").code
        if scope == SnapshotScope.ORGANISATION and not exact:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=gettext_lazy("Organisation"),
                queryset=Organisation.objects.visible_to(user).order_by("name_kk"),
                required=False,
                empty_label=gettext_lazy("Choose an organisation"),
            )
        if scope == SnapshotScope.REGION:
            self.fields["region"] = forms.ModelChoiceField(
                label=gettext_lazy("Region"),
                queryset=Region.objects.order_by("kato"),
                to_field_name="kato",
                required=False,
                empty_label=gettext_lazy("Choose a region"),
            )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def choices(self) -> dict:
        """The keyword arguments of `dashboard_data`."""
        data = self.cleaned_data
        return {
            "period": data.get("period") or None,
            "organisation": data.get("organisation"),
            "region": data.get("region"),
        }
