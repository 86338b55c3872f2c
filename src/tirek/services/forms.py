"""Forms of the sessions pages: they parse what was typed; the services decide whether it may be written."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.catalog.models import Profession, Service
from tirek.core.forms import QuickSelect, QuickSelectMultiple, StyledForm
from tirek.directory.models import Partnership
from tirek.services.choices import (
    GROUP_EDITABLE_STATUS_CHOICES,
    OUTCOME_CHOICES,
    CancellationReason,
    GroupActivityKind,
    Participant,
    VisitFormat,
    VisitMode,
    VisitStatus,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
REASON_CHOICES = [("", "—"), *CancellationReason.choices]


def _case_label(number: str, names) -> str:
    return f"{number} · {' '.join(part for part in names if part)}"


class CaseChoiceIterator(ModelChoiceIterator):
    """The choices from the case number and the person's name alone: hundreds of open cases listed without
    building a case and a person for each."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list(
            "pk", "number", "person__surname", "person__given_name", "person__patronymic"
        )
        for pk, number, *names in rows:
            yield (ModelChoiceIteratorValue(pk, None), _case_label(number, names))


class CaseChoiceField(forms.ModelChoiceField):
    iterator = CaseChoiceIterator
    widget = QuickSelect  # a specialist's open cases: hundreds of options

    def label_from_instance(self, obj) -> str:
        return _case_label(obj.number, (obj.person.surname, obj.person.given_name, obj.person.patronymic))


class CaseMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = CaseChoiceIterator
    widget = QuickSelectMultiple

    def label_from_instance(self, obj) -> str:
        return _case_label(obj.number, (obj.person.surname, obj.person.given_name, obj.person.patronymic))


def _checkboxes(field: forms.Field) -> None:
    """Checkbox lists are not text inputs: undo the form-control class the styled form gave them."""
    field.widget.attrs["class"] = "form-check-input"


def starts_at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def rounded_now() -> dt.time:
    now = timezone.localtime()
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0).time()


class GoalNotesMixin:
    """A checkbox per goal of the case's plan, each with a progress note: the goals a session worked on."""

    def add_goal_fields(self, goals, chosen: dict | None = None) -> None:
        self.plan_goals = list(goals or [])
        chosen = chosen or {}
        for goal in self.plan_goals:
            key = f"goal_{goal.pk.hex}"
            self.fields[key] = forms.BooleanField(
                label=_("Goal: %(goal)s") % {"goal": goal.wording},
                required=False,
                initial=goal.pk in chosen,
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label=_("Progress towards this goal"),
                required=False,
                initial=chosen.get(goal.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def goal_entries(self) -> list[dict] | None:
        """The services' `goals=` argument; None when the case has no plan goals to choose from."""
        if not getattr(self, "plan_goals", None):
            return None
        return [
            {"plan_goal_id": goal.pk, "note": self.cleaned_data.get(f"goal_{goal.pk.hex}_note") or ""}
            for goal in self.plan_goals
            if self.cleaned_data.get(f"goal_{goal.pk.hex}")
        ]

    def without_goal_fields(self, data: dict) -> dict:
        return {k: v for k, v in data.items() if not k.startswith("goal_")}


class VisitFieldsForm(GoalNotesMixin, StyledForm):
    """The details of a session shared by planning, logging and editing."""

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=600, initial=45)
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    specialist = forms.ModelChoiceField(label=_("Specialist"), queryset=None)
    profession = forms.ModelChoiceField(
        label=_("Profession"),
        queryset=Profession.objects.none(),
        required=False,
        help_text=_("The specialist's own profession when left empty."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=VisitFormat.choices, initial=VisitFormat.INDIVIDUAL)
    mode = forms.ChoiceField(label=_("Mode"), choices=VisitMode.choices, initial=VisitMode.CENTRE)
    participants = forms.MultipleChoiceField(
        label=_("Participants"),
        choices=Participant.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Participant.CHILD],
        required=False,
    )
    cancellation_reason = forms.ChoiceField(
        label=_("Reason it did not take place"), choices=REASON_CHOICES, required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, specialists=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True).select_related(
            "service_type"
        )
        self.fields["profession"].queryset = Profession.objects.filter(is_active=True)
        self.fields["specialist"].queryset = specialists
        _checkboxes(self.fields["participants"])

    def service_fields(self) -> dict:
        """The keyword arguments of the services, from the cleaned data."""
        data = self.without_goal_fields(dict(self.cleaned_data))
        data["starts_at"] = starts_at(data.pop("date"), data.pop("time"))
        data.pop("case", None)
        data.pop("status", None)
        goals = self.goal_entries()
        if goals is not None:
            data["goals"] = goals
        return data


class VisitNewForm(VisitFieldsForm):
    """Plan a session, or log one as it went (status)."""

    status = forms.ChoiceField(
        label=_("What are you recording?"),
        choices=[(VisitStatus.PLANNED, _("An appointment (planned)")), *OUTCOME_CHOICES],
        initial=VisitStatus.PLANNED,
    )

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is not None:
            self.fields["case"] = CaseChoiceField(label=_("Case"), queryset=cases)
        self.order_fields(["case", "status", "date", "time", "minutes", "service", "specialist"])


class QuickLogForm(StyledForm):
    """The day page's "log a session": the case and the time; the rest defaults to the last session's."""

    case = CaseChoiceField(label=_("Case"), queryset=None)
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=600)
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    mode = forms.ChoiceField(label=_("Mode"), choices=VisitMode.choices)
    participants = forms.MultipleChoiceField(
        label=_("Participants"),
        choices=Participant.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    status = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES, initial=VisitStatus.ATTENDED)
    cancellation_reason = forms.ChoiceField(
        label=_("Reason it did not take place"), choices=REASON_CHOICES, required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, prefix="quick", **kwargs)
        self.fields["case"].queryset = cases
        self.fields["service"].queryset = Service.objects.filter(is_active=True)
        _checkboxes(self.fields["participants"])


class VisitLogForm(GoalNotesMixin, StyledForm):
    """How a session went."""

    status = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES)
    cancellation_reason = forms.ChoiceField(
        label=_("Reason it did not take place"), choices=REASON_CHOICES, required=False
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=600, required=False)
    participants = forms.MultipleChoiceField(
        label=_("Participants"),
        choices=Participant.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _checkboxes(self.fields["participants"])

    def service_fields(self) -> dict:
        cleaned = self.without_goal_fields(self.cleaned_data)
        data = {k: v for k, v in cleaned.items() if v not in (None, "") or k == "status"}
        data.setdefault("cancellation_reason", "")
        goals = self.goal_entries()
        if goals is not None:
            data["goals"] = goals
        return data


class OneClickLogForm(forms.Form):
    """The day page's buttons: attended, no-show or cancelled (with a reason), one POST each."""

    status = forms.ChoiceField(choices=OUTCOME_CHOICES)
    cancellation_reason = forms.ChoiceField(choices=REASON_CHOICES, required=False)


class GroupActivityForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupActivityKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=300)
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=600, initial=60)
    mode = forms.ChoiceField(label=_("Mode"), choices=VisitMode.choices, initial=VisitMode.CENTRE)
    facilitators = forms.ModelMultipleChoiceField(label=_("Facilitators"), queryset=None)
    cases = CaseMultipleChoiceField(label=_("Participants (cases)"), queryset=None, required=False)
    others_count = forms.IntegerField(
        label=_("Other participants (without a case)"), min_value=0, max_value=10000, initial=0
    )
    partnership = forms.ModelChoiceField(
        label=_("Under the memorandum"),
        queryset=Partnership.objects.none(),
        required=False,
        help_text=_("For a joint event with partner organisations."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args, members=None, cases=None, partnerships=None, with_status: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if partnerships is not None:
            self.fields["partnership"].queryset = partnerships
        self.fields["service"].queryset = Service.objects.filter(is_active=True)
        self.fields["facilitators"].queryset = members
        self.fields["cases"].queryset = cases
        self.fields["facilitators"].widget.attrs["size"] = 6
        self.fields["cases"].widget.attrs["size"] = 10
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                choices=GROUP_EDITABLE_STATUS_CHOICES,
            )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["starts_at"] = starts_at(data.pop("date"), data.pop("time"))
        data["facilitators"] = list(data["facilitators"])
        data["cases"] = list(data.get("cases") or [])
        return data


class AttendanceForm(StyledForm):
    def __init__(self, *args, participants=(), others_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"] = forms.MultipleChoiceField(
            label=_("Present"),
            choices=[(str(p.case_id), f"{p.case.number} · {p.case.person.full_name}") for p in participants],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=[str(p.case_id) for p in participants if p.attended],
        )
        self.fields["others_count"] = forms.IntegerField(
            label=_("Other participants (without a case)"), min_value=0, max_value=10000, initial=others_count
        )
        _checkboxes(self.fields["attended"])
