"""The journal import page and its template download."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tirek.core.forms import StyledForm
from tirek.core.scoping import require
from tirek.directory.selectors import active_organisation_get
from tirek.people import importing

TEMPLATE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("Journal file"),
        allow_empty_file=True,  # an empty file gets the import's own report, like every other bad file
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("An .xlsx or .csv file with the columns of the template."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)


@login_required
def import_page(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "people.import", organisation)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importing.import_persons(
            actor=request.user,
            organisation=organisation,
            # One byte past the limit is enough for the import to refuse a file that is too large.
            file_bytes=upload.read(importing.MAX_BYTES + 1),
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok and not result.dry_run:
            messages.success(request, result.summary())
            return redirect(request.path)
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "organisation": organisation,
            "result": result,
            "columns": importing.COLUMNS,
            "max_megabytes": importing.MAX_BYTES // (1024 * 1024),
            "max_rows": importing.MAX_ROWS,
        },
    )


@login_required
def import_template(request):
    organisation = active_organisation_get(user=request.user)
    require(request.user, "people.import", organisation)
    active = (get_language() or "kk")[:2]
    language = request.GET.get("language") or (active if active in ("kk", "ru") else "kk")
    file_format = request.GET.get("format") or "xlsx"
    if language not in ("kk", "ru") or file_format not in TEMPLATE_TYPES:
        raise Http404
    response = HttpResponse(
        importing.import_template(language, file_format, organisation=organisation),
        content_type=TEMPLATE_TYPES[file_format],
    )
    response["Content-Disposition"] = f'attachment; filename="tirek-import-{language}.{file_format}"'
    return response
