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

from tirek.people.importing.checking import validate
from tirek.people.importing.columns import COLUMNS, COLUMNS_BY_KEY, MAX_BYTES, MAX_ROWS
from tirek.people.importing.reading import FileRefused, Journal, parse
from tirek.people.importing.template import import_template
from tirek.people.importing.writing import ImportResult, import_persons

__all__ = [
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "MAX_BYTES",
    "MAX_ROWS",
    "FileRefused",
    "ImportResult",
    "Journal",
    "import_persons",
    "import_template",
    "parse",
    "validate",
]
