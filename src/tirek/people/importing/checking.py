"""Checking every row of a journal before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.cases.choices import ReferralSource
from tirek.cases.services import eligibility_problem
from tirek.core.iin import is_valid_number, read_layout
from tirek.core.scoping import require
from tirek.directory.models import Programme, Region
from tirek.people.choices import FamilyRole, IinMissingReason, Sex
from tirek.people.importing.columns import (
    _COLUMN_ORDER,
    COLUMNS_BY_KEY,
    IIN_COLUMNS,
    IIN_MISSING_WORDS,
    PARENT_COLUMNS,
    PARENT_ROLES,
    REFERRAL_WORDS,
    ROLE_WORDS,
    SEX_WORDS,
    _capped,
    _choice_table,
    _norm,
    _problem,
)
from tirek.people.importing.reading import (
    Journal,
    Row,
)
from tirek.people.models import ExternalReference, Person


class _Bad(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M:%S")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        day = value
    else:
        for date_format in _DATE_FORMATS:
            try:
                day = dt.datetime.strptime(str(value), date_format).date()
                break
            except ValueError:
                continue
        else:
            raise _Bad("date", _("Enter the date as dd.mm.yyyy, for example 15.03.2024."))
    if day.year < 1900:
        raise _Bad("date", _("Enter the date as dd.mm.yyyy, for example 15.03.2024."))
    if day > timezone.localdate():
        raise _Bad("future_date", _("The date cannot be in the future."))
    return day


def _iin(value: Any) -> str:
    iin = re.sub(r"\s", "", str(value))
    if len(iin) != 12 or not iin.isdigit():
        raise _Bad("iin_format", _("An IIN has exactly 12 digits."))
    if not is_valid_number(iin):
        raise _Bad("iin_checksum", _("This IIN's check digit is wrong: please check the number."))
    return iin


def _phone(value: Any) -> str:
    digits = re.sub(r"[\s()\-]", "", str(value))
    match = re.fullmatch(r"(?:\+7|8|7)(\d{10})", digits)
    if match is None:
        raise _Bad("phone", _("Enter the phone as +7 and ten digits, e.g. +77011234567."))
    return f"+7{match.group(1)}"


def _lookup(table: dict[str, Any], code: str, message: str):
    def read(value: Any) -> Any:
        found = table.get(_norm(value))
        if found is None:
            raise _Bad(code, message)
        return found

    return read


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _current(person: Person) -> Person:
    seen = {person.pk}
    while person.merged_into_id and person.merged_into_id not in seen:
        person = Person.objects.get(pk=person.merged_into_id)
        seen.add(person.pk)
    return person


@dataclass
class _Plan:
    """What one valid row will write."""

    row: Row
    person: Person | None
    fields: dict[str, Any]
    external_id: str
    has_reference: bool
    programme: Programme | None = None
    opened_on: dt.date | None = None
    referral_source: str = ReferralSource.OTHER
    parent: dict[str, Any] | None = None
    parent_role: str = ""


class _Checker:
    """Checks rows against the file, the register and the organisation, looking everything up once."""

    def __init__(self, journal: Journal, organisation):
        self.journal = journal
        self.organisation = organisation
        self.today = timezone.localdate()
        self.sex = _lookup(_choice_table(Sex, SEX_WORDS), "sex", _("Write the sex as male or female."))
        self.role = _lookup(
            {k: v for k, v in _choice_table(FamilyRole, ROLE_WORDS).items() if v in PARENT_ROLES},
            "parent_role",
            _("Write who the parent is to the child: mother, father, guardian…"),
        )
        self.referral_source = _lookup(
            _choice_table(ReferralSource, REFERRAL_WORDS),
            "referral_source",
            _("This referral source is not known."),
        )
        self.iin_missing_reason = _lookup(
            _choice_table(IinMissingReason, IIN_MISSING_WORDS),
            "iin_missing_reason",
            _("Write why there is no IIN: newborn, foreign citizen or unknown."),
        )
        regions: dict[str, Region] = {}
        for region in Region.objects.all():
            for name in (region.kato, region.iso_code, region.name_kk, region.name_ru, region.name_en):
                if name:
                    regions[_norm(name)] = region
        self.region = _lookup(regions, "region", _("No region has this KATO code or name."))
        programmes: dict[str, Programme] = {}
        for programme in Programme.objects.filter(organisation=organisation, is_active=True):
            for name in (programme.name_kk, programme.name_ru, programme.name_en):
                if name:
                    programmes[_norm(name)] = programme
        self.programme = _lookup(
            programmes, "programme", _("Your organisation has no active programme of this name.")
        )
        self.persons = self._persons_by_iin()
        self.references = self._references()

    def _values(self, key: str) -> list[str]:
        found = set()
        for row in self.journal.rows:
            value = row.values.get(key)
            if isinstance(value, str):
                found.add(re.sub(r"\s", "", value) if key in IIN_COLUMNS else value)
        return sorted(found)

    def _persons_by_iin(self) -> dict[str, Person]:
        iins = [v for v in self._values("iin") + self._values("parent_iin") if len(v) == 12]
        persons = {}
        for chunk in _chunks(iins):
            persons.update({p.iin: p for p in Person.objects.filter(iin__in=chunk)})
        return persons

    def _references(self) -> dict[str, Person]:
        references = {}
        for chunk in _chunks(self._values("external_id")):
            references.update(
                {
                    r.external_id: r.person
                    for r in ExternalReference.objects.filter(
                        organisation=self.organisation, external_id__in=chunk
                    ).select_related("person")
                }
            )
        return references

    def check(self) -> tuple[list[_Plan], list[dict[str, Any]]]:
        problems: list[dict[str, Any]] = []
        plans: list[_Plan] = []
        first_row_of: dict[tuple[str, str], int] = {}
        for row in self.journal.rows:
            reader = _RowReader(row, self.journal.headers)
            plan = self._row(reader)
            for key in ("iin", "external_id"):
                value = plan.fields.get("iin") if key == "iin" else plan.external_id
                if not value:
                    continue
                first = first_row_of.setdefault((key, value), row.number)
                if first != row.number:
                    reader.fail(
                        key,
                        "duplicate",
                        _("Row %(row)s has the same value: each person is on one row.") % {"row": first},
                    )
            problems.extend(sorted(reader.problems, key=lambda p: _COLUMN_ORDER.get(p["column"], 0)))
            plans.append(plan)
        return plans, problems

    def _row(self, reader: _RowReader) -> _Plan:
        iin = reader.read("iin", _iin)
        external_id = reader.text("external_id")
        fields: dict[str, Any] = {
            "iin": iin,
            "iin_missing_reason": "",
            "surname": reader.text("surname", required=True),
            "given_name": reader.text("given_name", required=True),
            "patronymic": reader.text("patronymic"),
            "birth_date": reader.read("birth_date", _date, required=True),
            "sex": reader.read("sex", self.sex, required=True),
            "region": reader.read("region", self.region),
            "locality": reader.text("locality"),
            "street": reader.text("street"),
            "phone": reader.read("phone", _phone) or "",
        }
        if not reader.values.get("iin"):
            reason = reader.read("iin_missing_reason", self.iin_missing_reason)
            if reason:
                fields["iin_missing_reason"] = reason
            elif "iin_missing_reason" not in reader.problem_columns:
                reader.fail("iin", "iin_required", _("Enter the IIN, or say why there is none."))
            if not external_id:
                reader.fail(
                    "external_id",
                    "key_required",
                    _(
                        "A row without an IIN needs its number in your journal, so that importing the file "
                        "again does not register the child twice."
                    ),
                )
        if iin:
            self._compare_with_iin(reader, iin, fields)

        person = self._match(reader, iin, external_id)
        plan = _Plan(
            row=reader.row,
            person=person,
            fields=fields,
            external_id=external_id,
            has_reference=bool(external_id) and external_id in self.references,
        )
        self._enrolment(reader, plan)
        self._parent(reader, plan)
        return plan

    def _compare_with_iin(self, reader: _RowReader, iin: str, fields: dict[str, Any]) -> None:
        layout = read_layout(iin)
        if layout is None:
            return
        if fields["birth_date"] and fields["birth_date"] != layout.birth_date:
            reader.fail(
                "birth_date",
                "iin_mismatch",
                _("The IIN says the date of birth is %(date)s.")
                % {"date": layout.birth_date.strftime("%d.%m.%Y")},
            )
        if fields["sex"] and fields["sex"] != layout.sex:
            reader.fail(
                "sex",
                "iin_mismatch",
                _("The IIN says the sex is %(sex)s.")
                % {"sex": _("male") if layout.sex == Sex.MALE else _("female")},
            )

    def _match(self, reader: _RowReader, iin: str | None, external_id: str) -> Person | None:
        by_iin = self.persons.get(iin) if iin else None
        by_reference = self.references.get(external_id) if external_id else None
        if by_reference is not None and (
            (by_iin is not None and by_iin.pk != by_reference.pk)
            or (iin and by_reference.iin and by_reference.iin != iin)
        ):
            reader.fail(
                "external_id",
                "external_id_taken",
                _("This number of your journal belongs to another person."),
            )
            return None
        person = by_iin or by_reference
        return _current(person) if person is not None else None

    def _enrolment(self, reader: _RowReader, plan: _Plan) -> None:
        plan.programme = reader.read("programme", self.programme)
        plan.opened_on = reader.read("opened_on", _date) or self.today
        plan.referral_source = reader.read("referral_source", self.referral_source) or ReferralSource.OTHER
        if plan.programme is None:
            return
        birth_date = plan.person.birth_date if plan.person else plan.fields["birth_date"]
        if birth_date and plan.opened_on < birth_date:
            reader.fail("opened_on", "before_birth", _("The case cannot open before the date of birth."))
            return
        if "opened_on" in reader.problem_columns or (birth_date is None and plan.person is None):
            return  # already reported: a bad date of birth or opening date
        problem_text = eligibility_problem(Person(birth_date=birth_date), plan.programme, plan.opened_on)
        if problem_text:
            reader.fail("programme", "not_eligible", problem_text)

    def _parent(self, reader: _RowReader, plan: _Plan) -> None:
        if not any(reader.values.get(key) for key in PARENT_COLUMNS):
            return
        iin = reader.read("parent_iin", _iin)
        # A journal seldom holds the parents' IINs; "unknown" is then the true reason there is none.
        parent = {
            "iin": iin,
            "iin_missing_reason": "" if iin else IinMissingReason.UNKNOWN,
            "surname": reader.text("parent_surname", required=True),
            "given_name": reader.text("parent_given_name", required=True),
            "phone": reader.read("parent_phone", _phone) or "",
            "region": plan.fields["region"],
            "locality": plan.fields["locality"],
            "street": plan.fields["street"],
        }
        role = reader.read("parent_role", self.role, required=True)
        if iin and iin == plan.fields["iin"]:
            reader.fail("parent_iin", "parent_is_child", _("The parent's IIN is the child's IIN."))
        layout = read_layout(iin) if iin else None
        sex = {FamilyRole.MOTHER: Sex.FEMALE, FamilyRole.FATHER: Sex.MALE}.get(role)
        if layout is not None:
            if sex and layout.sex != sex:
                reader.fail(
                    "parent_role",
                    "iin_mismatch",
                    _("The IIN says the sex is %(sex)s.")
                    % {"sex": _("male") if layout.sex == Sex.MALE else _("female")},
                )
            sex = layout.sex
            parent["birth_date"] = layout.birth_date
        if role and sex is None and iin not in self.persons:
            reader.fail(
                "parent_role",
                "parent_sex",
                _("Give the parent's IIN, or say whether they are the mother or the father."),
            )
        parent["sex"] = sex or ""
        plan.parent = parent
        plan.parent_role = role or ""


class _RowReader:
    """Reads one row's cells, collecting a problem for every value that cannot be used."""

    def __init__(self, row: Row, headers: dict[str, str]):
        self.row = row
        self.values = row.values
        self.headers = headers
        self.problems: list[dict[str, Any]] = []
        self.problem_columns: set[str] = set()

    def fail(self, key: str, code: str, message: str) -> None:
        self.problem_columns.add(key)
        self.problems.append(
            _problem(
                self.row.number, key, code, message, self.values.get(key), header=self.headers.get(key, "")
            )
        )

    def read(self, key: str, parser, *, required: bool = False) -> Any:
        value = self.values.get(key)
        if value is None:
            if required:
                self.fail(key, "required", _("This field is required."))
            return None
        try:
            return parser(value)
        except _Bad as bad:
            self.fail(key, bad.code, bad.message)
            return None

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.read(key, lambda v: " ".join(str(v).split()), required=required) or ""
        limit = COLUMNS_BY_KEY[key].max_length
        if limit and len(value) > limit:
            self.fail(
                key,
                "too_long",
                _("At most %(limit)s characters, please (this has %(length)s).")
                % {"limit": limit, "length": len(value)},
            )
        return value


def validate(journal: Journal, organisation, user) -> list[dict[str, Any]]:
    """Every problem of the journal's rows for an import into `organisation` by `user`; empty when none."""
    require(user, "people.import", organisation)
    return _capped(_Checker(journal, organisation).check()[1])


# ---------------------------------------------------------------------------------------------------------
# Writing
