"""The journal template users download, with headers in Kazakh or Russian and one example row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from tirek.cases.services import eligibility_problem
from tirek.core.iin import check_digit
from tirek.directory.models import Programme
from tirek.people.importing.columns import (
    COLUMNS,
    DATE_COLUMNS,
    _display,
)
from tirek.people.models import Person


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
