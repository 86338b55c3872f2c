"""Forms of the course pages: they parse what was typed; the services decide whether it may be written."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.catalog.models import Service
from tirek.core.forms import StyledForm, StyledModelForm
from tirek.courses.models import Course
from tirek.courses.services import COURSE_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def _checkboxes(field: forms.Field) -> None:
    field.widget.attrs["class"] = "form-check-input"


class CourseForm(StyledModelForm):
    facilitators = forms.ModelMultipleChoiceField(label=_("Facilitators"), queryset=None, required=False)

    class Meta:
        model = Course
        fields = [*COURSE_FIELDS, "facilitators"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET, "note": forms.Textarea({"rows": 3})}

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True)
        self.fields["facilitators"].queryset = members
        self.fields["facilitators"].widget.attrs["size"] = 6

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["facilitators"] = list(data.get("facilitators") or [])
        return data


class CourseSessionForm(StyledForm):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=600, initial=120)
    topic = forms.CharField(label=_("Topic"), max_length=300)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["starts_at"] = timezone.make_aware(dt.datetime.combine(data.pop("date"), data.pop("time")))
        return data


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        born = f" · {obj.birth_date:%d.%m.%Y}" if obj.birth_date else ""
        return f"{obj.full_name}{born}"


class EnrolmentForm(StyledForm):
    person = PersonChoiceField(label=_("Person"), queryset=None)
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DATE_WIDGET)

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons


class AttendanceForm(StyledForm):
    def __init__(self, *args, enrolments=(), present=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"] = forms.MultipleChoiceField(
            label=_("Present"),
            choices=[(str(e.pk), e.person.full_name) for e in enrolments],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=list(present),
        )
        _checkboxes(self.fields["present"])


class CompletionForm(StyledForm):
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE_WIDGET)
    override_reason = forms.CharField(
        label=_("Reason to complete without the required attendance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the participant attended fewer sessions than the course requires."),
    )


class DropForm(StyledForm):
    dropped_on = forms.DateField(label=_("Dropped out on"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
