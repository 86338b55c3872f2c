"""Record lists for managers (cases, sessions, appeals): which records, which columns, read as plain values.

Each list is read through its app's own selector (so the export holds what the list page shows, and only
what `visible_to(user)` lets through), with the list page's filters, as `values_list(...).iterator()`: the
rows are never held in memory together and the number of queries does not depend on how many there are.
Names of reference data (programmes, services …) come through the same query, in the user's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tirek.core.forms import PeriodFormMixin, StyledForm
from tirek.core.scoping import require
from tirek.exports.choices import ExportWhat

# The capability to export lists of records (they hold names and dates of birth): managers.
EXPORT_CAPABILITY = "records.export"
# Rows fetched from the database at a time.
CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Column:
    """One column: its header, the value paths it reads, and how they become the cell (the first value as it
    is when `show` is None)."""

    header: Promise
    paths: tuple[str, ...]
    show: Callable[..., Any] | None = None


def _value(path: str, header) -> Column:
    return Column(header, (path,))


def _choice(path: str, header, choices) -> Column:
    labels = {key: str(label) for key, label in choices}
    return Column(header, (path,), lambda value: labels.get(value, value))


def _named(prefix: str, header) -> Column:
    """A multilingual name (name_kk, name_ru, name_en) in the active language, else the first there is."""
    language = (get_language() or "kk")[:2]
    order = [language, *(code for code in ("kk", "ru", "en") if code != language)]
    indexes = [("kk", "ru", "en").index(code) for code in order]

    def show(*names):
        return next((names[i] for i in indexes if names[i]), "")

    return Column(header, (f"{prefix}name_kk", f"{prefix}name_ru", f"{prefix}name_en"), show)


def _full_name(*parts) -> str:
    return " ".join(part for part in parts if part)


def _person(prefix: str, header) -> Column:
    return Column(header, (f"{prefix}surname", f"{prefix}given_name", f"{prefix}patronymic"), _full_name)


def _staff(prefix: str, header) -> Column:
    """A member of staff by their name (their user name when they gave none)."""

    def show(last, first, patronymic, username):
        return _full_name(last, first, patronymic) or username or ""

    paths = (f"{prefix}last_name", f"{prefix}first_name", f"{prefix}patronymic", f"{prefix}username")
    return Column(header, paths, show)


# -- the filter forms ----------------------------------------------------------------------------------------


class CaseExportFilterForm(StyledForm):
    """The case list's filters (status, as on the list page; the programme too)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        from tirek.cases.choices import CaseStatus
        from tirek.directory.selectors import programme_list

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "—"), *CaseStatus.choices]
        self.fields["programme"].queryset = programme_list(user=user)

    def selection(self, user) -> QuerySet:
        from tirek.cases.selectors import case_list

        data = self.cleaned_data
        cases = case_list(user=user, status=data.get("status") or None, programme=data.get("programme"))
        return cases.order_by("opened_on", "number")


class VisitExportFilterForm(PeriodFormMixin, StyledForm):
    """Sessions of a period (days included), of one specialist, in one status."""

    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    specialist = forms.ModelChoiceField(label=_("Specialist"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, user, **kwargs):
        from tirek.services.choices import VisitStatus
        from tirek.services.selectors import organisation_providers

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "—"), *VisitStatus.choices]
        self.fields["specialist"].queryset = organisation_providers(user=user)

    def selection(self, user) -> QuerySet:
        from tirek.services.selectors import visit_list

        data = self.cleaned_data
        visits = visit_list(
            user=user,
            specialist=data.get("specialist"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            status=data.get("status") or None,
        )
        return visits.prefetch_related(None).order_by("starts_at", "id")


def _appeal_form(*args, user, **kwargs):
    """The appeal list's own filter form, with a `selection` like the others."""
    from tirek.support import selectors
    from tirek.support.forms import AppealFilterForm

    class AppealExportFilterForm(AppealFilterForm):
        def selection(self, user) -> QuerySet:
            return selectors.appeal_list(user=user, **self.filters())

    return AppealExportFilterForm(*args, members=selectors.organisation_members(user=user), **kwargs)


def _appeal_fields() -> tuple[str, ...]:
    from tirek.support.forms import AppealFilterForm

    return tuple(AppealFilterForm.base_fields)


# -- the columns ---------------------------------------------------------------------------------------------


def case_columns() -> list[Column]:
    from tirek.cases.choices import CaseStatus, ClosureDestination, ReferralSource
    from tirek.people.choices import Sex

    return [
        _value("number", _("Case number")),
        _person("person__", _("Person")),
        _value("person__birth_date", _("Date of birth")),
        _choice("person__sex", _("Sex"), Sex.choices),
        _named("programme__", _("Programme")),
        _choice("status", _("Status"), CaseStatus.choices),
        _choice("referral_source", _("Referral source"), ReferralSource.choices),
        _value("referral_received_on", _("Referral received on")),
        _value("opened_on", _("Opened on")),
        _value("closed_on", _("Closed on")),
        _named("closure_reason__", _("Closure reason")),
        _choice("closure_destination", _("Destination"), ClosureDestination.choices),
        _staff("coordinator__", _("Coordinator")),
    ]


def visit_columns() -> list[Column]:
    from tirek.people.choices import Sex
    from tirek.services.choices import VisitFormat, VisitMode, VisitStatus

    return [
        _value("starts_at", _("Starts at")),
        _value("minutes", _("Minutes")),
        _choice("status", _("Status"), VisitStatus.choices),
        _value("case__number", _("Case number")),
        _person("case__person__", _("Person")),
        _value("case__person__birth_date", _("Date of birth")),
        _choice("case__person__sex", _("Sex"), Sex.choices),
        _named("case__programme__", _("Programme")),
        _named("service__", _("Service")),
        _named("profession__", _("Profession")),
        _staff("specialist__", _("Specialist")),
        _choice("format", pgettext_lazy("session", "Format"), VisitFormat.choices),
        _choice("mode", pgettext_lazy("session", "Mode"), VisitMode.choices),
    ]


def appeal_columns() -> list[Column]:
    from tirek.support.choices import AppealCategory, AppealChannel, AppealResult, AppealStatus

    def sender(surname, given_name, patronymic, caller):
        return _full_name(surname, given_name, patronymic) or caller or ""

    return [
        _value("number", _("Appeal number")),
        _value("received_at", _("Received at")),
        Column(
            pgettext_lazy("appeal", "From"),
            ("person__surname", "person__given_name", "person__patronymic", "caller"),
            sender,
        ),
        _choice("category", _("Category"), AppealCategory.choices),
        _choice("channel", _("Channel"), AppealChannel.choices),
        _choice("status", _("Status"), AppealStatus.choices),
        _staff("assignee__", _("Assignee")),
        _value("due_on", _("Due on")),
        _value("closed_on", _("Closed on")),
        _choice("result", _("Result"), AppealResult.choices),
        _value("case__number", _("Case number")),
    ]


@dataclass(frozen=True)
class RecordList:
    what: str
    form: Callable[..., forms.Form]
    fields: Callable[[], tuple[str, ...]]
    columns: Callable[[], list[Column]]


RECORD_LISTS: dict[str, RecordList] = {
    ExportWhat.CASES: RecordList(
        ExportWhat.CASES, CaseExportFilterForm, lambda: tuple(CaseExportFilterForm.base_fields), case_columns
    ),
    ExportWhat.VISITS: RecordList(
        ExportWhat.VISITS,
        VisitExportFilterForm,
        lambda: tuple(VisitExportFilterForm.base_fields),
        visit_columns,
    ),
    ExportWhat.APPEALS: RecordList(ExportWhat.APPEALS, _appeal_form, _appeal_fields, appeal_columns),
}


def record_params(what: str, query) -> dict[str, str]:
    """The filters of a record list out of a query (a page's GET, the API's params): only the list's own
    fields, as strings, the empty ones left out."""
    names = RECORD_LISTS[what].fields()
    return {name: str(query.get(name)) for name in names if query.get(name) not in (None, "")}


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass
class RecordSelection:
    """The records of one list that a user may export, with the filters they were chosen by."""

    what: str
    columns: list[Column]
    queryset: QuerySet  # values_list of the columns' paths
    filters: dict[str, Any]

    def count(self) -> int:
        return self.queryset.count()

    def header(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def rows(
        self, *, progress: Callable[[int], None] | None = None, every: int = CHUNK_ROWS
    ) -> Iterator[list]:
        """The header, then each record's cells; `progress(n)` after every `every` records and at the end."""
        spans, start = [], 0
        for column in self.columns:
            spans.append((start, start + len(column.paths), column.show))
            start += len(column.paths)
        yield self.header()
        done = 0
        for values in self.queryset.iterator(chunk_size=CHUNK_ROWS):
            yield [values[a] if show is None else show(*values[a:b]) for a, b, show in spans]
            done += 1
            if progress is not None and done % every == 0:
                progress(done)
        if progress is not None:
            progress(done)


def record_selection(*, user, what: str, params: dict) -> RecordSelection:
    """The records of list `what` that `user` may export, filtered by `params` (a 403 unless they may
    export records; a ValidationError, field by field, for a filter that does not parse)."""
    if what not in RECORD_LISTS:
        raise ValidationError({"what": [_("There is no such list to export.")]})
    require(user, EXPORT_CAPABILITY)
    spec = RECORD_LISTS[what]
    form = spec.form(params, user=user)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    columns = spec.columns()
    paths = [path for column in columns for path in column.paths]
    filters = {k: _plain(v) for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    return RecordSelection(what, columns, form.selection(user).values_list(*paths), filters)
