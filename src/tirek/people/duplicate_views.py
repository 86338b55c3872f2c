"""Pages for a manager's work on duplicates: the candidate pairs, the side-by-side merge, the dismissal."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tirek.core.forms import StyledForm, submit
from tirek.core.scoping import require
from tirek.people import duplicates
from tirek.people.models import Person
from tirek.people.selectors import person_get


def masked_iin(iin: str | None) -> str:
    """An IIN shown on lists: its last four digits only (the rest repeats the date of birth and sex)."""
    return f"••••••••{iin[-4:]}" if iin else "—"


class MergeForm(StyledForm):
    survivor = forms.ChoiceField(label=gettext_lazy("Record to keep"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Why you are sure this is one person, e.g. checked with the birth certificate."
        ),
    )

    def __init__(self, *args, persons: tuple[Person, Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = {str(person.pk): person for person in persons}
        survivor = self.fields["survivor"]
        survivor.choices = [(str(person.pk), person.full_name) for person in persons]
        survivor.widget.attrs["class"] = "form-check-input"

    def chosen(self) -> tuple[Person, Person]:
        """(survivor, duplicate) as the manager chose them."""
        survivor = self.persons[self.cleaned_data["survivor"]]
        duplicate = next(p for pk, p in self.persons.items() if pk != self.cleaned_data["survivor"])
        return survivor, duplicate


def _suggested_survivor(first: Person, second: Person) -> Person:
    """The record with the IIN (an IIN outranks any name), else the older one."""
    if bool(first.iin) != bool(second.iin):
        return first if first.iin else second
    return min((first, second), key=lambda person: (person.created_at, str(person.pk)))


def _shown(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _comparison(first: Person, second: Person) -> list[tuple[str, str, str, bool]]:
    """Rows of (label, first's value, second's value, whether they differ) for the side-by-side table."""
    rows = [
        (_("IIN"), masked_iin(first.iin), masked_iin(second.iin)),
        (_("Surname"), first.surname, second.surname),
        (_("Given name"), first.given_name, second.given_name),
        (_("Patronymic"), first.patronymic, second.patronymic),
        (_("Date of birth"), first.birth_date, second.birth_date),
        (_("Sex"), first.get_sex_display(), second.get_sex_display()),
        (_("Phone"), first.phone, second.phone),
        (_("Other phone"), first.phone_other, second.phone_other),
        (_("Region"), first.region and first.region.name, second.region and second.region.name),
        (_("Locality"), first.locality, second.locality),
        (_("Street and house"), first.street, second.street),
        (_("Registered on"), first.created_at.date(), second.created_at.date()),
    ]
    return [(label, _shown(a), _shown(b), _shown(a) != _shown(b)) for label, a, b in rows]


@login_required
def duplicate_list(request):
    candidates = duplicates.duplicate_candidates(user=request.user)
    rows = [
        {
            "candidate": candidate,
            "persons": [
                (candidate.first, masked_iin(candidate.first.iin)),
                (candidate.second, masked_iin(candidate.second.iin)),
            ],
        }
        for candidate in candidates
    ]
    return render(request, "people/duplicate_list.html", {"rows": rows})


@login_required
def duplicate_merge(request, first, second):
    # Another organisation's person is not found (404) before the role is asked about (403).
    persons = (person_get(user=request.user, pk=first), person_get(user=request.user, pk=second))
    require(request.user, "people.merge")
    form = MergeForm(
        request.POST or None,
        persons=persons,
        initial={"survivor": str(_suggested_survivor(*persons).pk)},
    )

    def merge(data):
        survivor, duplicate = form.chosen()
        return duplicates.person_merge(
            actor=request.user, survivor=survivor, duplicate=duplicate, note=data["note"]
        )

    survivor = request.method == "POST" and submit(form, merge)
    if survivor:
        messages.success(
            request, _("The records have been merged into %(name)s.") % {"name": survivor.full_name}
        )
        return redirect("people:duplicate_list")
    return render(
        request,
        "people/duplicate_merge.html",
        {
            "form": form,
            "columns": list(zip(persons, form["survivor"], strict=True)),
            "comparison": _comparison(*persons),
        },
    )


@require_POST
@login_required
def duplicate_dismiss(request, first, second):
    person_a, person_b = person_get(user=request.user, pk=first), person_get(user=request.user, pk=second)
    try:
        duplicates.duplicate_dismiss(actor=request.user, person_a=person_a, person_b=person_b)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(first)s and %(second)s will not be offered as duplicates again.")
            % {"first": person_a.full_name, "second": person_b.full_name},
        )
    return redirect("people:duplicate_list")
