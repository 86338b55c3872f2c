from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tirek.accounts.models import User
from tirek.catalog.selectors import profession_list, service_list
from tirek.core.forms import StyledForm, StyledModelForm, VersionedFormMixin
from tirek.plans.choices import Domain, GoalRating
from tirek.plans.models import Plan, PlanGoal, PlannedService

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_WIDGET = forms.Textarea(attrs={"rows": 3})


def _level_field(domain: Domain) -> forms.CharField:
    return forms.CharField(
        label=format_lazy("{}: {}", _("Present level"), domain.label),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanForm(VersionedFormMixin, StyledForm):
    """The plan's own content: present levels by domain, the family's view, transition steps, coordinator."""

    level_physical = _level_field(Domain.PHYSICAL)
    level_cognitive = _level_field(Domain.COGNITIVE)
    level_communication = _level_field(Domain.COMMUNICATION)
    level_social_emotional = _level_field(Domain.SOCIAL_EMOTIONAL)
    level_adaptive = _level_field(Domain.ADAPTIVE)
    family_concerns = forms.CharField(label=_("The family's concerns"), required=False, widget=TEXT_WIDGET)
    family_priorities = forms.CharField(
        label=_("The family's priorities"), required=False, widget=TEXT_WIDGET
    )
    family_resources = forms.CharField(label=_("The family's resources"), required=False, widget=TEXT_WIDGET)
    transition_steps = forms.CharField(label=_("Transition steps"), required=False, widget=TEXT_WIDGET)
    coordinator = forms.ModelChoiceField(label=_("Coordinator"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, members=None, plan: Plan | None = None, **kwargs):
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{f"level_{d}": plan.present_level(d) for d in Domain.values},
                    "family_concerns": plan.family_concerns,
                    "family_priorities": plan.family_priorities,
                    "family_resources": plan.family_resources,
                    "transition_steps": plan.transition_steps,
                    "coordinator": plan.coordinator_id,
                },
            )
        if plan is not None:
            kwargs.setdefault("version", plan.version)
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["coordinator"].queryset = members

    def service_fields(self) -> dict:
        """The keyword arguments of plan_create / plan_update."""
        data = self.cleaned_data
        return {
            "present_levels": {d: data.get(f"level_{d}", "") for d in Domain.values},
            "family_concerns": data["family_concerns"],
            "family_priorities": data["family_priorities"],
            "family_resources": data["family_resources"],
            "transition_steps": data["transition_steps"],
            "coordinator": data.get("coordinator"),
            **({"expected_version": data["expected_version"]} if "expected_version" in data else {}),
        }


class PlanGoalForm(StyledModelForm):
    class Meta:
        model = PlanGoal
        fields = ["domain", "wording", "criterion", "target_date", "order"]
        widgets = {"wording": TEXT_WIDGET, "target_date": DATE_WIDGET}
        help_texts = {"order": _("Where the goal stands in the list; after the others when left empty.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("order") is None:
            data.pop("order", None)
        return data

    def _post_clean(self):
        # The service validates the goal; the form only parses.
        pass


class PlannedServiceForm(StyledModelForm):
    class Meta:
        model = PlannedService
        fields = [
            "service",
            "profession",
            "provider",
            "provider_name",
            "frequency",
            "frequency_period",
            "minutes",
            "mode",
            "location",
            "start_date",
            "family_consent",
            "consent_date",
        ]
        widgets = {"start_date": DATE_WIDGET, "consent_date": DATE_WIDGET}

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_list()
        self.fields["profession"].queryset = profession_list()
        if members is not None:
            self.fields["provider"].queryset = members

    def _post_clean(self):
        # The service validates the planned service (consent, provider), with the same messages as the API.
        pass


class PlanApproveForm(StyledForm):
    approved_on = forms.DateField(label=_("Approved on"), required=False, widget=DATE_WIDGET)


class PlanActivateForm(StyledForm):
    active_from = forms.DateField(label=_("In force from"), required=False, widget=DATE_WIDGET)


class PlanReviewForm(StyledForm):
    """A review: one progress rating (and note) per goal of the plan, a summary, the next review date."""

    reviewed_on = forms.DateField(label=_("Reviewed on"), required=False, widget=DATE_WIDGET)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    next_review_due_on = forms.DateField(
        label=_("Next review due on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Six months after this review when left empty."),
    )

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        rating_choices = [("", "—"), *GoalRating.choices]
        for goal in self.goals:
            rating = forms.ChoiceField(label=str(goal), choices=rating_choices)
            rating.widget.attrs["class"] = "form-select"
            note = forms.CharField(label=_("Note"), required=False, max_length=500)
            note.widget.attrs["class"] = "form-control"
            self.fields[f"rating_{goal.pk}"] = rating
            self.fields[f"note_{goal.pk}"] = note

    def goal_rows(self):
        return [(goal, self[f"rating_{goal.pk}"], self[f"note_{goal.pk}"]) for goal in self.goals]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "reviewed_on": data.get("reviewed_on"),
            "summary": data.get("summary", ""),
            "next_review_due_on": data.get("next_review_due_on"),
            "ratings": [
                {"goal": goal, "rating": data[f"rating_{goal.pk}"], "note": data.get(f"note_{goal.pk}", "")}
                for goal in self.goals
            ],
        }
