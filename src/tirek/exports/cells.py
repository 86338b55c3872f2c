"""Cell values made safe for a spreadsheet, and the two table formats (CSV and XLSX) written row by row.

A text that begins with = + - @ (or a tab or a carriage return) is read by Excel and LibreOffice as a formula:
a name typed as "=HYPERLINK(…)" would run when the file is opened (CSV injection, OWASP). Such a text gets a
leading apostrophe in CSV, which the spreadsheet shows as text; in XLSX the cell is written as a string, which
is never evaluated. Numbers stay numbers: only texts are touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written first so that Excel reads the file as UTF-8 (Cyrillic and the Kazakh letters) rather than ANSI.
BOM = "\ufeff"
# Rows of CSV written at once: fewer, larger writes without holding more than a few hundred rows in memory.
CSV_BATCH_ROWS = 500


def _plain(value: Any) -> Any:
    """Dates as ISO text in CSV; a moment in the local time zone."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    return value


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: numbers as they are, texts starting like a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return value
    value = _plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_chunks(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    """The CSV text of `rows` (the header first), a few hundred rows per chunk: for a streamed response or a
    file, at constant memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    pending = 0
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
        pending += 1
        if pending >= CSV_BATCH_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if buffer.tell():
        yield buffer.getvalue()


def write_csv(rows: Iterable[Iterable[Any]], out: IO[bytes]) -> None:
    """`rows` as UTF-8 CSV (with the byte-order mark) into the binary file `out`."""
    for chunk in csv_chunks(rows):
        out.write(chunk.encode("utf-8"))


def xlsx_value(sheet, value: Any) -> Any:
    """A value for an XLSX cell: numbers, dates and times as such; texts as strings, never formulas (a
    plain value where that is enough, since it is written faster than a cell object)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, int | float | Decimal | bool):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith("="):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # openpyxl would otherwise store it as a formula
        return cell
    return text


def new_workbook():
    """A workbook in openpyxl's write-only mode: rows go to disk as they are appended (constant memory)."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def append_rows(sheet, rows: Iterable[Iterable[Any]], *, header: bool = True) -> None:
    """Append `rows` to a write-only sheet (the first in bold when `header`)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

    iterator = iter(rows)
    if header:
        first = next(iterator, None)
        if first is not None:
            cells = []
            for value in first:
                value = xlsx_value(sheet, value)
                cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
                cell.font = Font(bold=True)
                cells.append(cell)
            sheet.append(cells)
    for row in iterator:
        sheet.append([xlsx_value(sheet, v) for v in row])
