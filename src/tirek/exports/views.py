"""The export pages: an indicator's file, a record list's file (or a job for a long one), and "My exports"
with the progress of the jobs and their downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.audit.forms import AuditFilterForm
from tirek.audit.selectors import FILTERS as AUDIT_FILTERS
from tirek.core.errors import validation_fields
from tirek.core.scoping import require
from tirek.exports import audit_trail, selectors, services
from tirek.exports.choices import ExportFormat, ExportWhat
from tirek.exports.models import ExportJob


def _invalid(request, error: ValidationError) -> HttpResponse:
    """A 400 page naming what was wrong with the filters, field by field."""
    return render(request, "exports/invalid.html", {"fields": validation_fields(error)}, status=400)


def file_response(export: services.ExportFile) -> HttpResponse:
    """An export as an attachment, the page's and the API's alike (streamed when it is a CSV)."""
    if isinstance(export.content, bytes):
        response = HttpResponse(export.content, content_type=export.content_type)
    else:
        response = StreamingHttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def indicator_export(request, code: str):
    """GET with the indicator page's query string and `format` (xlsx, csv, pdf) and, for a PDF, `language`."""
    try:
        export = services.indicator_export(
            actor=request.user,
            code=code,
            format=request.GET.get("format", ExportFormat.XLSX),
            params=request.GET,
            language=request.GET.get("language"),
        )
    except ValidationError as error:
        return _invalid(request, error)
    return file_response(export)


@login_required
@require_POST
def records_export(request, what: str):
    """POST `format` (xlsx or csv) to the list's address with the list page's query string (or the filters in
    the form): the file at once, or, for a long list, a job followed on "My exports"."""
    params = {**request.GET.dict(), **request.POST.dict()}
    try:
        result = services.records_export(
            actor=request.user, what=what, format=request.POST.get("format", ""), params=params
        )
    except ValidationError as error:
        return _invalid(request, error)
    if isinstance(result, ExportJob):
        messages.info(
            request, _("The list is long: it is being written, and can be downloaded here when ready.")
        )
        return redirect("exports:job_list")
    return file_response(result)


@login_required
def job_list(request):
    jobs = list(selectors.export_job_list(user=request.user)[:50])
    context = {
        "jobs": jobs,
        "polling": any(job.in_progress for job in jobs),
        "can_export_records": selectors.can_export_records(request.user),
        "formats": [(f.value, f.label) for f in (ExportFormat.XLSX, ExportFormat.CSV)],
        "visits": ExportWhat.VISITS,
        "keep_days": services.keep_days(),
    }
    template = "exports/_jobs.html" if request.htmx else "exports/job_list.html"
    return render(request, template, context)


@login_required
def job_download(request, pk):
    job = selectors.export_job_get(user=request.user, pk=pk)
    handle = services.export_job_download(actor=request.user, job=job)
    response = FileResponse(handle, as_attachment=True, filename=job.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def audit_trail_export(request):
    """POST `format` (csv or xlsx) with the audit page's filters in the query string: the file, or back to
    the page with what was wrong."""
    require(request.user, "audit.view")
    query = urlencode([(name, request.GET[name]) for name in AUDIT_FILTERS if request.GET.get(name)])
    back = reverse("audit:event_list")
    if query:
        back = f"{back}?{query}"
    filters = AuditFilterForm(request.GET, user=request.user)
    try:
        if not filters.is_valid():
            raise ValidationError(filters.errors.as_data())
        export = audit_trail.audit_trail_export(
            actor=request.user, format=request.POST.get("format", ""), criteria=filters.criteria()
        )
    except ValidationError as error:
        for field_messages in validation_fields(error).values():
            for message in field_messages:
                messages.error(request, message)
        return redirect(back)
    return file_response(export)
