"""Exports: indicators (XLSX, CSV, PDF) and record lists (XLSX, CSV), answered at once or written in the
background as an `ExportJob`; every export leaves an audit event EXPORT saying what was exported, with which
filters and how many rows (never a name: the filters hold codes, dates and ids of staff or reference data).

Settings: TIREK_EXPORT_SYNC_ROWS (2000): a record list longer than this is written in the background;
TIREK_EXPORT_KEEP_DAYS (7): files older than this are removed (after every job, when `tirek worker` starts,
and by `tirek exports-prune`); TIREK_EXPORT_PROGRESS_ROWS (2000): how often a job reports its progress.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.audit.writes import create_audited
from tirek.core.errors import NotAllowed
from tirek.exports.choices import (
    RECORD_FORMATS,
    RECORD_KINDS,
    ExportError,
    ExportFormat,
    ExportStatus,
    ExportWhat,
)
from tirek.exports.indicators import (
    indicator_csv,
    indicator_params,
    indicator_pdf,
    indicator_table,
    indicator_xlsx,
    pdf_language,
)
from tirek.exports.models import ExportJob
from tirek.exports.records import record_params, record_selection
from tirek.exports.writers import selection_csv, selection_csv_stream, selection_xlsx

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.PDF: "application/pdf",
}


def sync_rows() -> int:
    return getattr(settings, "TIREK_EXPORT_SYNC_ROWS", 2000)


def keep_days() -> int:
    return getattr(settings, "TIREK_EXPORT_KEEP_DAYS", 7)


def progress_rows() -> int:
    return getattr(settings, "TIREK_EXPORT_PROGRESS_ROWS", 2000)


@dataclass
class ExportFile:
    """An export answered at once: the file's name, type and content (bytes, or chunks to stream)."""

    filename: str
    content_type: str
    content: bytes | Iterator[bytes]
    rows: int


def _audit_export(
    *, actor, organisation, what: str, code: str, format: str, filters: dict, rows: int, job=None
):
    note = {"what": what, "format": format, "filters": filters, "rows": rows}
    if code:
        note["code"] = code
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=job,
        organisation=organisation,
        object_type="" if job is not None else f"exports.{what}",
        object_repr=code or what,
        note=json.dumps(note, sort_keys=True, ensure_ascii=False, default=str),
    )


def _check_format(what: str, format: str) -> None:
    allowed = RECORD_FORMATS if what in RECORD_KINDS else ExportFormat.values
    if format not in allowed:
        raise ValidationError({"format": [_("This cannot be exported to this format.")]})


def _records_filename(what: str, format: str) -> str:
    return f"{what}-{timezone.localdate():%Y%m%d}.{format}"


# -- answered at once ----------------------------------------------------------------------------------------


def indicator_export(*, actor, code: str, format: str, params, language: str | None = None) -> ExportFile:
    """Indicator `code` with the page's filters as a file, at once (an indicator has a few rows): exactly what
    the indicator page shows `actor`. A PDF is in `language` (Kazakh or Russian; the active language when it
    is one of them)."""
    _check_format(ExportWhat.INDICATOR, format)
    params = indicator_params(params)
    language = pdf_language(language) if format == ExportFormat.PDF else translation.get_language()
    with translation.override(language):
        table = indicator_table(user=actor, code=code, params=params)
        if format == ExportFormat.PDF:
            content = indicator_pdf(table, language=language)
        elif format == ExportFormat.XLSX:
            content = indicator_xlsx(table)
        else:
            content = indicator_csv(table)
    with transaction.atomic():
        _audit_export(
            actor=actor,
            organisation=actor.active_organisation_id_checked(),
            what=ExportWhat.INDICATOR,
            code=table.indicator.code,
            format=format,
            filters=table.result["filters"],
            rows=table.row_count,
        )
    return ExportFile(table.filename(format), CONTENT_TYPES[format], content, table.row_count)


def records_export(*, actor, what: str, format: str, params) -> ExportFile | ExportJob:
    """A record list (cases, sessions, appeals) with its page's filters: the file at once when it has at most
    TIREK_EXPORT_SYNC_ROWS rows (a CSV streamed), else an ExportJob written in the background."""
    if what not in RECORD_KINDS:
        raise ValidationError({"what": [_("There is no such list to export.")]})
    _check_format(what, format)
    params = record_params(what, params)
    selection = record_selection(user=actor, what=what, params=params)
    rows = selection.count()
    if rows > sync_rows():
        return export_request(actor=actor, what=what, format=format, params=params)
    with transaction.atomic():
        _audit_export(
            actor=actor,
            organisation=actor.active_organisation_id_checked(),
            what=what,
            code="",
            format=format,
            filters=selection.filters,
            rows=rows,
        )
    if format == ExportFormat.CSV:
        content: bytes | Iterator[bytes] = selection_csv_stream(selection)
    else:
        out = io.BytesIO()
        selection_xlsx(selection, out)
        content = out.getvalue()
    return ExportFile(_records_filename(what, format), CONTENT_TYPES[format], content, rows)


# -- in the background ---------------------------------------------------------------------------------------


def export_request(
    *, actor, what: str, format: str, params, code: str = "", language: str | None = None
) -> ExportJob:
    """Ask for an export written in the background: the filters are checked now (a 403, a 404 or field
    errors at once, not later in the job), then the job is queued. Answers the job as it stands after
    queueing (already done when tasks run immediately)."""
    from tirek.reports import selectors as report_selectors
    from tirek.reports.forms import IndicatorFilterForm

    if what not in ExportWhat.values:
        raise ValidationError({"what": [_("There is no such list to export.")]})
    _check_format(what, format)
    rows_total = 0
    if what == ExportWhat.INDICATOR:
        indicator = report_selectors.indicator_get(user=actor, code=code)
        reach = report_selectors.report_reach(user=actor)
        params = indicator_params(params)
        form = IndicatorFilterForm(params, user=actor, indicator=indicator, exact=reach.exact)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        language = pdf_language(language) if format == ExportFormat.PDF else translation.get_language()
    else:
        code = ""
        params = record_params(what, params)
        rows_total = record_selection(user=actor, what=what, params=params).count()
        language = translation.get_language()
    job = ExportJob(
        requested_by=actor,
        organisation_id=actor.active_organisation_id_checked(),
        what=what,
        code=code,
        format=format,
        params=params,
        language=language or settings.LANGUAGE_CODE,
        rows_total=rows_total,
    )
    create_audited(actor=actor, instance=job, organisation=job.organisation_id, exclude=["file"])
    # The database backend stores the task in the current transaction: a worker sees it once it commits.
    export_job_run.enqueue(str(job.pk))
    return ExportJob.objects.get(pk=job.pk)


def _fail(job: ExportJob, error: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=error, finished_at=timezone.now()
    )


def _acting_user(job: ExportJob):
    """The requester, acting in the organisation they asked from (a 403 when no longer a member)."""
    user = job.requested_by
    if not user.is_active or (job.organisation_id and not user.roles(job.organisation_id)):
        raise NotAllowed("exports")
    user.active_organisation_id = job.organisation_id
    return user


def _write(job: ExportJob, user, out) -> tuple[int, dict[str, Any], str]:
    """Write the job's file into `out`: its row count, the filters applied and the file name."""
    if job.what == ExportWhat.INDICATOR:
        table = indicator_table(user=user, code=job.code, params=job.params)
        if job.format == ExportFormat.PDF:
            out.write(indicator_pdf(table, language=job.language))
        elif job.format == ExportFormat.XLSX:
            out.write(indicator_xlsx(table))
        else:
            out.write(indicator_csv(table))
        ExportJob.objects.filter(pk=job.pk).update(rows_total=table.row_count)
        return table.row_count, table.result["filters"], table.filename(job.format)
    selection = record_selection(user=user, what=job.what, params=job.params)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=selection.count())

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    writer = selection_csv if job.format == ExportFormat.CSV else selection_xlsx
    rows = writer(selection, out, progress=progress, every=progress_rows())
    return rows, selection.filters, _records_filename(job.what, job.format)


@task()
def export_job_run(job_id: str) -> None:
    """The background task that writes an export's file (run by `tirek worker`)."""
    export_job_write(job_id=job_id)


def export_job_write(*, job_id) -> None:
    """Write a queued job's file (the background task), as its requester in the organisation they asked
    from; then remove the files that have been kept long enough."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status != ExportStatus.QUEUED:
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, started_at=timezone.now())
    try:
        user = _acting_user(job)
        with translation.override(job.language), tempfile.TemporaryFile() as out:
            rows, filters, filename = _write(job, user, out)
            out.seek(0)
            job.file.save(filename, File(out), save=False)
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.DONE,
                file=job.file.name,
                filename=filename,
                rows_done=rows,
                finished_at=timezone.now(),
            )
            _audit_export(
                actor=user,
                organisation=job.organisation_id,
                what=job.what,
                code=job.code,
                format=job.format,
                filters=filters,
                rows=rows,
                job=job,
            )
    except NotAllowed:
        _fail(job, ExportError.NOT_ALLOWED)
    except (ValidationError, Http404):
        _fail(job, ExportError.INVALID)
    except Exception:
        logger.exception("Export %s could not be written", job.pk)
        _fail(job, ExportError.FAILED)
    finally:
        export_files_prune()


def export_files_prune(*, now: dt.datetime | None = None) -> int:
    """Remove the exports (their files and their rows) finished more than TIREK_EXPORT_KEEP_DAYS days ago;
    how many were removed. The audit trail keeps the record of each export."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days())
    removed = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).only("id", "file"):
        if job.file:
            job.file.storage.delete(job.file.name)
        job.delete()
        removed += 1
    return removed


def export_job_download(*, actor, job: ExportJob):
    """The finished job's file, opened (a 404 while it is not written); the download is audited."""
    if job.status != ExportStatus.DONE or not job.file or not job.file.storage.exists(job.file.name):
        raise Http404
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=job,
        organisation=job.organisation_id,
        note=json.dumps({"what": job.what, "format": job.format, "rows": job.rows_done, "download": True}),
    )
    return job.file.open("rb")
