"""Record lists written to a file object, row by row at constant memory: used by the export jobs, the direct
downloads and the benchmark (`scripts/bench*`).

These functions check what the user may export (a 403 unless they may export records; only what
`visible_to(user)` lets through) but do not write the audit event: the services that call them do
(`tirek.exports.services`), once the row count is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO

from django.utils.translation import gettext as _

from tirek.exports.cells import append_rows, csv_chunks, new_workbook, write_csv
from tirek.exports.records import RecordSelection, record_selection

Progress = Callable[[int], None] | None


def _rows_written(selection: RecordSelection, progress: Progress, every: int):
    counter = {"rows": 0}

    def counted(done: int) -> None:
        counter["rows"] = done
        if progress is not None:
            progress(done)

    return selection.rows(progress=counted, every=every), counter


def selection_csv(
    selection: RecordSelection, out: IO[bytes], *, progress: Progress = None, every: int = 2000
) -> int:
    rows, counter = _rows_written(selection, progress, every)
    write_csv(rows, out)
    return counter["rows"]


def selection_xlsx(
    selection: RecordSelection, out: IO[bytes], *, progress: Progress = None, every: int = 2000
) -> int:
    rows, counter = _rows_written(selection, progress, every)
    workbook = new_workbook()
    sheet = workbook.create_sheet(_("Records")[:31])
    append_rows(sheet, rows)
    workbook.save(out)
    return counter["rows"]


def selection_csv_stream(selection: RecordSelection) -> Iterator[bytes]:
    """The CSV as chunks of bytes, for a streamed response."""
    for chunk in csv_chunks(selection.rows()):
        yield chunk.encode("utf-8")


def write_records_csv(*, user, what: str, params: dict, out: IO[bytes], progress: Progress = None) -> int:
    """The records of list `what` ("cases", "visits", "appeals") that `user` may export, filtered by
    `params` (the list page's query parameters), as UTF-8 CSV into the binary file `out`; the row count."""
    return selection_csv(record_selection(user=user, what=what, params=params), out, progress=progress)


def write_records_xlsx(*, user, what: str, params: dict, out: IO[bytes], progress: Progress = None) -> int:
    """As `write_records_csv`, as an XLSX workbook (openpyxl's write-only mode)."""
    return selection_xlsx(record_selection(user=user, what=what, params=params), out, progress=progress)
