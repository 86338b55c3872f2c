"""Reading a journal file (XLSX or CSV) into rows, refusing files that cannot be trusted."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from tirek.people.importing.columns import (
    COLUMNS,
    DATE_COLUMNS,
    EXTENSIONS,
    HEADER_KEYS,
    IIN_COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    _capped,
    _norm,
    _problem,
)


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
# The first bytes of files that are not text: PDF, zip (an .xlsx), an old Excel .xls, PNG, JPEG.
_BINARY_SIGNATURES = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff")


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
    if "\x00" in text or file_bytes.startswith(_BINARY_SIGNATURES):
        # No text holds NUL; a workbook, a PDF or a picture renamed .csv does.
        raise _refuse(
            "not_text",
            _("The file is not a text (CSV) table: save the journal from Excel as “CSV UTF-8” or as .xlsx."),
        )
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
            if "[Content_Types].xml" not in archive.namelist():
                raise not_a_workbook  # a zip, but not an Office Open XML document
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
