"""Import of an organisation's existing journal of children and families, from XLSX or CSV.

`parse` reads the file, `validate` checks every row, and `import_persons` writes a file without a single
problem through the register's and the cases' own services inside one transaction, so that any error leaves
nothing behind. A row is matched, never registered twice, by its IIN or by its number in the organisation's
journal (ExternalReference): importing the same journal again adds only what is new.

Spreadsheets are parsed with openpyxl (the ecosystem's standard XLSX reader); formulas are refused, never
evaluated. CSV comes from Excel in UTF-8 (with or without BOM), UTF-16 ("Unicode text"), Windows-1251 or its
Kazakh sibling KZ-1048, separated by commas, semicolons or tabs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.cases.choices import CaseStatus, ReferralSource
from tirek.cases.models import Case
from tirek.cases.services import case_open, eligibility_problem
from tirek.core.errors import NotAllowed, validation_fields
from tirek.core.iin import check_digit, is_valid_number, read_layout
from tirek.core.scoping import require
from tirek.core.writes import create_audited
from tirek.directory.models import Programme, Region
from tirek.people.choices import FamilyRole, IinMissingReason, Sex
from tirek.people.models import ExternalReference, FamilyMember, Person
from tirek.people.services import family_create, family_member_add, person_register

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip: its unpacked XML is bounded too, so that a small file cannot unpack into gigabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PROBLEMS = 1_000
EXTENSIONS = (".xlsx", ".csv")


@dataclass(frozen=True)
class Column:
    """One column of the journal: its key (also accepted as a header) and its header in Kazakh and Russian."""

    key: str
    kk: str
    ru: str
    required: bool = False
    max_length: int | None = None

    def header(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "kk")[:2]
        return {"kk": self.kk, "ru": self.ru}.get(language, self.key)


COLUMNS = (
    Column("external_id", "Журналдағы нөмірі", "Номер в журнале", max_length=64),
    Column("iin", "ЖСН", "ИИН", required=True),
    Column("iin_missing_reason", "ЖСН жоқ болу себебі", "Причина отсутствия ИИН"),
    Column("surname", "Тегі", "Фамилия", required=True, max_length=100),
    Column("given_name", "Аты", "Имя", required=True, max_length=100),
    Column("patronymic", "Әкесінің аты", "Отчество", max_length=100),
    Column("birth_date", "Туған күні", "Дата рождения", required=True),
    Column("sex", "Жынысы", "Пол", required=True),
    Column("region", "Өңір", "Регион"),
    Column("locality", "Елді мекен", "Населённый пункт", max_length=150),
    Column("street", "Көше, үй", "Улица, дом", max_length=200),
    Column("phone", "Телефон", "Телефон"),
    Column("programme", "Бағдарлама", "Программа"),
    Column("opened_on", "Қабылданған күні", "Дата зачисления"),
    Column("referral_source", "Кім жіберді", "Кем направлен"),
    Column("parent_surname", "Ата-анасының тегі", "Фамилия родителя", max_length=100),
    Column("parent_given_name", "Ата-анасының аты", "Имя родителя", max_length=100),
    Column("parent_iin", "Ата-анасының ЖСН", "ИИН родителя"),
    Column("parent_role", "Балаға кім болады", "Кем приходится ребёнку"),
    Column("parent_phone", "Ата-анасының телефоны", "Телефон родителя"),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
_COLUMN_ORDER = {column.key: index for index, column in enumerate(COLUMNS)}
DATE_COLUMNS = frozenset({"birth_date", "opened_on"})
IIN_COLUMNS = frozenset({"iin", "parent_iin"})
PARENT_COLUMNS = ("parent_surname", "parent_given_name", "parent_iin", "parent_role", "parent_phone")
PARENT_ROLES = frozenset(FamilyRole.values) - {FamilyRole.CHILD, FamilyRole.SIBLING}


def _norm(text: Any) -> str:
    """A header or a value as compared: case, spacing, ё and a final full stop do not matter."""
    return " ".join(str(text).split()).casefold().replace("ё", "е").rstrip(".").strip()


HEADER_KEYS = {
    _norm(name): column.key
    for column in COLUMNS
    for name in (column.key, column.key.replace("_", " "), column.kk, column.ru)
}

# Words journals use for coded values, beside the codes and their translated labels.
SEX_WORDS = {
    Sex.MALE: ("m", "м", "муж", "мужской", "ер", "еркек", "ұл", "ұл бала", "мальчик"),
    Sex.FEMALE: ("f", "ж", "жен", "женский", "әйел", "қыз", "қыз бала", "девочка"),
}
ROLE_WORDS = {
    FamilyRole.MOTHER: ("мать", "мама", "ана", "анасы"),
    FamilyRole.FATHER: ("отец", "папа", "әке", "әкесі"),
    FamilyRole.GUARDIAN: ("опекун", "қамқоршы"),
    FamilyRole.TRUSTEE: ("попечитель", "қорғаншы"),
    FamilyRole.FOSTER_PARENT: ("приемный родитель", "патронатный воспитатель", "қабылдаушы ата-ана"),
    FamilyRole.ADOPTIVE_PARENT: ("усыновитель", "удочеритель", "асырап алушы"),
    FamilyRole.GRANDPARENT: ("бабушка", "дедушка", "әже", "ата", "әжесі", "атасы"),
    FamilyRole.OTHER: ("другой", "другое", "басқа"),
}
REFERRAL_WORDS = {
    ReferralSource.MATERNITY: ("роддом", "родильный дом", "перинатальный центр", "перзентхана"),
    ReferralSource.POLYCLINIC: ("поликлиника", "емхана"),
    ReferralSource.PMPK: ("пмпк", "пмпк консультациясы"),
    ReferralSource.HOTLINE_150: ("150", "телефон доверия 150"),
    ReferralSource.HOTLINE_111: ("111", "телефон 111"),
    ReferralSource.SELF: ("самообращение", "семья", "сам", "өзі", "отбасы", "өз бетімен"),
    ReferralSource.ORGANISATION: ("другая организация", "басқа ұйым"),
    ReferralSource.OTHER: ("другое", "басқа"),
}
IIN_MISSING_WORDS = {
    IinMissingReason.NEWBORN: ("новорожденный", "жаңа туған"),
    IinMissingReason.FOREIGN: ("иностранец", "иностранный гражданин", "шетел азаматы"),
    IinMissingReason.UNKNOWN: ("неизвестно", "белгісіз"),
}


def _choice_table(choices: type[TextChoices], words: dict[str, Iterable[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in choices.choices:
        table[_norm(code)] = code
        for language in ("en", "ru", "kk"):
            with translation.override(language):
                table[_norm(label)] = code
    for code, names in words.items():
        table.update({_norm(name): code for name in names})
    return table


# ---------------------------------------------------------------------------------------------------------
# Problems


def _problem(
    row: int | None, column: str, code: str, message: str, value: Any = "", header: str = ""
) -> dict[str, Any]:
    """One line of the report: where (row as numbered in the spreadsheet, column key), what and why."""
    if not header and column in COLUMNS_BY_KEY:
        header = COLUMNS_BY_KEY[column].header()
    return {
        "row": row,
        "column": column,
        "header": header,
        "value": _display(value),
        "code": code,
        "message": str(message),
    }


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)[:200]


def _capped(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    more = ngettext(
        "…and %(count)s more problem. Correct these and import the file again.",
        "…and %(count)s more problems. Correct these and import the file again.",
        rest,
    ) % {"count": rest}
    return [*problems[:MAX_PROBLEMS], _problem(None, "", "too_many_problems", more)]


class FileRefused(Exception):
    """The file cannot be read as a journal at all; `problems` say why."""

    def __init__(self, problems: list[dict[str, Any]]):
        super().__init__(problems)
        self.problems = problems


def _refuse(code: str, message: str, row: int | None = None) -> FileRefused:
    return FileRefused([_problem(row, "", code, message)])


# ---------------------------------------------------------------------------------------------------------
# Reading the file


@dataclass(frozen=True)
class Row:
    """One data row of the journal: its number in the spreadsheet and its values by column key."""

    number: int
    values: dict[str, Any]


@dataclass
class Journal:
    """The rows of a journal file and its headers as written there (by column key)."""

    headers: dict[str, str]
    rows: list[Row]


class _Formula(str):
    """The text of a spreadsheet formula: reported, never evaluated."""


# A text cell that a spreadsheet would run as a formula. "+" and "-" also begin phones and numbers, which are
# data; followed by anything else they begin a formula.
_FORMULA = re.compile(r"^(?:[=@]|[+\-](?![\d\s().\-]*$))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Letters of Windows-1251 that no Kazakh or Russian journal uses: in a Kazakh file they are KZ-1048 letters.
_NOT_KAZAKH_OR_RUSSIAN = re.compile("[ЌЋќћЎўЈҐЄЇґєјЅѕї]")


def parse(file_bytes: bytes, filename: str) -> Journal:
    """Read a journal from XLSX or CSV bytes; raise FileRefused with the problems of a file that cannot be."""
    extension = PurePath(filename or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise _refuse("extension", _("Save the journal as an .xlsx or .csv file and upload that."))
    if not file_bytes:
        raise _refuse("empty", _("The file is empty."))
    if len(file_bytes) > MAX_BYTES:
        raise _refuse(
            "too_large",
            _("The file is larger than %(size)s MB: split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)},
        )
    cells = _xlsx_rows(file_bytes) if extension == ".xlsx" else _csv_rows(file_bytes)
    return _journal(cells)


def _decode(file_bytes: bytes) -> str:
    if file_bytes.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return file_bytes.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return file_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = file_bytes.decode("cp1251")
    except UnicodeDecodeError as error:
        line = file_bytes[: error.start].count(b"\n") + 1
        raise _refuse(
            "encoding",
            _("The file is not text in UTF-8 or Windows-1251: save it from Excel as “CSV UTF-8”."),
            row=line,
        ) from None
    if _NOT_KAZAKH_OR_RUSSIAN.search(text):
        return file_bytes.decode("kz1048")
    return text


def _csv_rows(file_bytes: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(file_bytes)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise _refuse(
            "csv", _("The file is not a well-formed CSV table: %(error)s") % {"error": error}
        ) from None


def _xlsx_rows(file_bytes: bytes) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    not_a_workbook = _refuse("xlsx", _("The file is not an Excel workbook (.xlsx) that can be read."))
    try:
        with zipfile.ZipFile(io.BytesIO(file_bytes)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise _refuse(
                "too_large",
                _("The file is larger than %(size)s MB: split it into smaller files.")
                % {"size": MAX_BYTES // (1024 * 1024)},
            )
        workbook = openpyxl.load_workbook(io.BytesIO(file_bytes), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise not_a_workbook from None
    try:
        if not workbook.worksheets:
            raise not_a_workbook
        sheet = workbook.worksheets[0]
        # Many writers record the used range wrongly; read what is there instead of what the file claims.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for cell in cells:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or isinstance(
                    value, ArrayFormula | DataTableFormula
                ):
                    value = _Formula(getattr(value, "text", value) or "=")
                values.append(value)
            yield number, values
    finally:
        workbook.close()


def _cell(key: str | None, value: Any) -> Any:
    """A cell as the validators see it: stripped text, or a date in a date column; None when blank."""
    if value is None or isinstance(value, _Formula):
        return value
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        # Excel drops the leading zeros of an IIN typed as a number (born in 2000–2009: "00…", "01…").
        return text.zfill(12) if key in IIN_COLUMNS and len(text) < 12 else text
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day if key in DATE_COLUMNS else day.strftime("%d.%m.%Y")
    text = str(value).strip()
    return text or None


def _journal(cells: Iterator[tuple[int, list[Any]]]) -> Journal:
    problems: list[dict[str, Any]] = []
    header_row = next(cells, None)
    if header_row is None or not any(_cell(None, v) for v in header_row[1]):
        raise _refuse("no_header", _("The first row must hold the column names."), row=1)
    header_number, header_cells = header_row
    names = [" ".join(str(raw).split()) if raw is not None else "" for raw in header_cells]
    keys: list[str | None] = []
    headers: dict[str, str] = {}
    for name in names:
        key = HEADER_KEYS.get(_norm(name.rstrip("*"))) if name else None
        if name and key is None:
            problems.append(
                _problem(
                    header_number,
                    name,
                    "unknown_column",
                    _("This column is not known: rename or delete it (the template lists the columns)."),
                    name,
                    header=name,
                )
            )
        elif key in headers:
            problems.append(
                _problem(
                    header_number, key, "duplicate_column", _("This column appears twice."), name, header=name
                )
            )
            key = None
        elif key:
            headers[key] = name
        keys.append(key)
    for column in COLUMNS:
        if column.required and column.key not in headers:
            problems.append(
                _problem(header_number, column.key, "missing_column", _("This column is required."))
            )

    rows: list[Row] = []
    unnamed: set[int] = set()
    for number, raw_cells in cells:
        values: dict[str, Any] = {}
        blank = True
        for index, raw in enumerate(raw_cells):
            value = _cell(keys[index] if index < len(keys) else None, raw)
            if value is None:
                continue
            blank = False
            if index >= len(keys) or not names[index]:
                if index not in unnamed:
                    unnamed.add(index)
                    problems.append(
                        _problem(
                            number,
                            "",
                            "unnamed_column",
                            _("This column has no name in the first row."),
                            value,
                            header=_("column %(number)s") % {"number": index + 1},
                        )
                    )
                continue
            key = keys[index]
            if key is None:  # an unknown or repeated column, reported once in the first row
                continue
            if isinstance(value, _Formula) or (isinstance(value, str) and _FORMULA.match(value)):
                problems.append(
                    _problem(
                        number,
                        key,
                        "formula",
                        _("Formulas are not imported: replace the formula by its value."),
                        value,
                        header=headers[key],
                    )
                )
            elif isinstance(value, str) and _CONTROL.search(value):
                problems.append(
                    _problem(
                        number,
                        key,
                        "control_characters",
                        _("The text holds characters that are not letters: check the file's encoding."),
                        _CONTROL.sub("?", value),
                        header=headers[key],
                    )
                )
            else:
                values[key] = value
        if blank:
            continue
        rows.append(Row(number=number, values=values))
        if len(rows) > MAX_ROWS:
            raise _refuse(
                "too_many_rows",
                _("The file has more than %(count)s rows: split it into smaller files.")
                % {"count": MAX_ROWS},
            )
    if problems:
        raise FileRefused(_capped(problems))
    if not rows:
        raise _refuse("no_rows", _("The file has no rows under the column names."), row=header_number + 1)
    return Journal(headers=headers, rows=rows)


# ---------------------------------------------------------------------------------------------------------
# Checking the rows


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


@dataclass
class ImportResult:
    """What an import did, or the problems that kept it from doing anything."""

    rows: int = 0
    created: int = 0
    matched: int = 0
    cases_opened: int = 0
    parents_created: int = 0
    families_created: int = 0
    dry_run: bool = False
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "matched": self.matched,
            "cases_opened": self.cases_opened,
            "parents_created": self.parents_created,
            "families_created": self.families_created,
            "dry_run": self.dry_run,
        }

    def summary(self) -> str:
        counts = {
            "rows": self.rows,
            "created": self.created,
            "matched": self.matched,
            "cases": self.cases_opened,
            "parents": self.parents_created,
        }
        if self.dry_run:
            text = ngettext(
                "The file has no problems: %(rows)s row can be imported.",
                "The file has no problems: %(rows)s rows can be imported.",
                self.rows,
            )
        else:
            text = ngettext("Imported %(rows)s row.", "Imported %(rows)s rows.", self.rows)
        return " ".join(
            (
                text % counts,
                _(
                    "New persons: %(created)s; already registered: %(matched)s; cases opened: %(cases)s; "
                    "parents registered: %(parents)s."
                )
                % counts,
            )
        )


class _RowFailed(Exception):
    def __init__(self, problems: list[dict[str, Any]]):
        super().__init__(problems)
        self.problems = problems


def _service_problems(plan: _Plan, error: ValidationError, prefix: str = "") -> list[dict[str, Any]]:
    problems = []
    for name, messages in validation_fields(error).items():
        key = f"{prefix}{name}" if f"{prefix}{name}" in COLUMNS_BY_KEY else ""
        if name == "referral_received_on":
            key = "opened_on"
        for message in messages:
            problems.append(
                _problem(plan.row.number, key, "invalid", message, plan.row.values.get(key) if key else "")
            )
    return problems


def import_persons(
    *, actor, organisation, file_bytes: bytes, filename: str, dry_run: bool = False
) -> ImportResult:
    """Import a journal into `organisation`: everything, or nothing and the problems.

    With `dry_run` the import is done as for real and then rolled back: the answer is the same as a real
    import's, and nothing is written. The actor must be acting in `organisation`.
    """
    require(actor, "people.import", organisation)
    if actor.active_organisation_id_checked() != organisation.pk:
        raise NotAllowed("people.import")
    try:
        journal = parse(file_bytes, filename)
    except FileRefused as refused:
        return ImportResult(dry_run=dry_run, problems=refused.problems)
    plans, problems = _Checker(journal, organisation).check()
    result = ImportResult(rows=len(journal.rows), dry_run=dry_run, problems=_capped(problems))
    if problems:
        return result
    try:
        with transaction.atomic():
            _write(plans, actor=actor, organisation=organisation, result=result)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                organisation=organisation,
                object_type="people.import",
                object_repr=PurePath(filename).name,
                note=(
                    f"rows={result.rows} created={result.created} matched={result.matched} "
                    f"cases_opened={result.cases_opened} parents_created={result.parents_created} "
                    f"families_created={result.families_created}"
                ),
            )
            if dry_run:
                transaction.set_rollback(True)
    except _RowFailed as failed:
        return ImportResult(rows=len(journal.rows), dry_run=dry_run, problems=failed.problems)
    except IntegrityError:
        return ImportResult(
            rows=len(journal.rows),
            dry_run=dry_run,
            problems=[
                _problem(
                    None,
                    "",
                    "conflict",
                    _("Someone registered one of these persons meanwhile: import the file again."),
                )
            ],
        )
    return result


def _write(plans: list[_Plan], *, actor, organisation, result: ImportResult) -> None:
    known: dict[str, Person] = {}  # persons of this import by IIN, so later rows find them
    for plan in plans:
        try:
            person, created = _person(plan, actor=actor, organisation=organisation, known=known)
        except ValidationError as error:
            raise _RowFailed(_service_problems(plan, error)) from error
        result.created += created
        result.matched += not created
        try:
            if plan.external_id and not plan.has_reference:
                create_audited(
                    actor=actor,
                    instance=ExternalReference(
                        organisation=organisation, external_id=plan.external_id, person=person
                    ),
                    organisation=organisation,
                    subject_person_id=person.pk,
                )
            if plan.parent is not None:
                _family(
                    plan, person, created, actor=actor, organisation=organisation, known=known, result=result
                )
            if plan.programme is not None and not (
                Case.objects.filter(person=person, programme=plan.programme)
                .exclude(status=CaseStatus.CLOSED)
                .exists()
            ):
                case_open(
                    actor=actor,
                    organisation=organisation,
                    person=person,
                    programme=plan.programme,
                    referral_source=plan.referral_source,
                    opened_on=plan.opened_on,
                )
                result.cases_opened += 1
        except ValidationError as error:
            raise _RowFailed(_service_problems(plan, error)) from error


def _person(plan: _Plan, *, actor, organisation, known: dict[str, Person]) -> tuple[Person, bool]:
    iin = plan.fields["iin"]
    person = plan.person or (known.get(iin) if iin else None)
    if person is not None:
        return person, False
    person = person_register(actor=actor, organisation=organisation, **plan.fields)
    if iin:
        known[iin] = person
    return person, True


def _family(
    plan: _Plan, child: Person, child_created: bool, *, actor, organisation, known, result: ImportResult
) -> None:
    # A child already in a family keeps it: the journal does not rebuild families, and a parent without an
    # IIN could otherwise be registered again on every import of the same file.
    if not child_created and FamilyMember.objects.filter(person=child).exists():
        return
    fields = dict(plan.parent)
    iin = fields["iin"]
    parent = known.get(iin) or (Person.objects.filter(iin=iin).first() if iin else None)
    if parent is None:
        try:
            parent = person_register(actor=actor, organisation=organisation, **fields)
        except ValidationError as error:
            raise _RowFailed(_service_problems(plan, error, prefix="parent_")) from error
        result.parents_created += 1
        if iin:
            known[iin] = parent
    else:
        parent = _current(parent)
    link = (
        FamilyMember.objects.filter(person=parent)
        .exclude(role__in=[FamilyRole.CHILD, FamilyRole.SIBLING])
        .select_related("family")
        .first()
    )
    if link is None:
        address = ", ".join(part for part in (fields["locality"], fields["street"]) if part)
        family = family_create(
            actor=actor,
            organisation=organisation,
            name=parent.surname,
            region=fields["region"],
            address=address,
        )
        result.families_created += 1
        family_member_add(
            actor=actor, family=family, person=parent, role=plan.parent_role, is_legal_representative=True
        )
    else:
        family = link.family
    if not FamilyMember.objects.filter(family=family, person=child).exists():
        family_member_add(actor=actor, family=family, person=child, role=FamilyRole.CHILD)


# ---------------------------------------------------------------------------------------------------------
# The template


def _example_iin(birth: dt.date, century_sex: str) -> str:
    serial = 1
    while True:
        head = f"{birth:%y%m%d}{century_sex}{serial:04d}"
        digit = check_digit(head)
        if digit is not None:
            return f"{head}{digit}"
        serial += 1


def _example(language: str, organisation=None) -> dict[str, Any]:
    child_birth, parent_birth, opened_on = dt.date(2024, 3, 15), dt.date(1994, 5, 20), dt.date(2025, 9, 1)
    kk = language == "kk"
    programme = "Ерте араласу" if kk else "Ранняя помощь"
    if organisation is not None:
        programmes = list(Programme.objects.filter(organisation=organisation, is_active=True))
        fitting = [
            p for p in programmes if not eligibility_problem(Person(birth_date=child_birth), p, opened_on)
        ]
        if fitting or programmes:
            programme = getattr((fitting or programmes)[0], f"name_{language}")
    return {
        "external_id": "1",
        "iin": _example_iin(child_birth, "6"),
        "iin_missing_reason": "",
        "surname": "Омарова",
        "given_name": "Айгерім",
        "patronymic": "Нұрланқызы",
        "birth_date": child_birth,
        "sex": "әйел" if kk else "жен",
        "region": "Алматы қаласы" if kk else "город Алматы",
        "locality": "Алматы",
        "street": "Абай даңғылы, 10" if kk else "проспект Абая, 10",
        "phone": "+77011234567",
        "programme": programme,
        "opened_on": opened_on,
        "referral_source": "емхана" if kk else "поликлиника",
        "parent_surname": "Омарова",
        "parent_given_name": "Сәуле",
        "parent_iin": _example_iin(parent_birth, "4"),
        "parent_role": "анасы" if kk else "мать",
        "parent_phone": "+77017654321",
    }


def import_template(language: str, file_format: str = "xlsx", *, organisation=None) -> bytes:
    """An empty journal to fill in: the column names in `language` (kk or ru) and one example row (naming
    one of `organisation`'s programmes when given)."""
    if language not in ("kk", "ru"):
        raise ValueError("the template is in kk or ru")
    headers = [column.header(language) for column in COLUMNS]
    example = _example(language, organisation)
    if file_format == "csv":
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerow([_display(example[column.key]) for column in COLUMNS])
        # With a BOM Excel opens UTF-8 as UTF-8; the semicolon is its separator in Kazakh and Russian.
        return output.getvalue().encode("utf-8-sig")
    if file_format != "xlsx":
        raise ValueError("the template is xlsx or csv")
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tirek"
    sheet.append(headers)
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=column.required)
        value = example[column.key]
        cell = sheet.cell(row=2, column=index, value=value if value != "" else None)
        # IINs and phones are text: as numbers Excel would drop an IIN's leading zeros.
        cell.number_format = "DD.MM.YYYY" if column.key in DATE_COLUMNS else "@"
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header.value) + 4)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
