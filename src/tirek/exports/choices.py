"""The choices of exports: what is exported, to which format, and how far a background export has got."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExportWhat(models.TextChoices):
    """What an export holds: one indicator's figures, or a list of records."""

    INDICATOR = "indicator", pgettext_lazy("export of", "Indicator")
    CASES = "cases", pgettext_lazy("export of", "Cases")
    VISITS = "visits", pgettext_lazy("export of", "Sessions")
    APPEALS = "appeals", pgettext_lazy("export of", "Appeals")


# Record lists hold personal data; an indicator holds counts only.
RECORD_KINDS = frozenset({ExportWhat.CASES, ExportWhat.VISITS, ExportWhat.APPEALS})


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX (Excel)"
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"


# Record lists are tables for a spreadsheet; a PDF of thousands of rows helps nobody.
RECORD_FORMATS = (ExportFormat.XLSX, ExportFormat.CSV)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export status", "Waiting")
    RUNNING = "running", pgettext_lazy("export status", "Being written")
    DONE = "done", pgettext_lazy("export status", "Ready")
    FAILED = "failed", pgettext_lazy("export status", "Failed")


class ExportError(models.TextChoices):
    """Why a background export failed, told to the user in their language."""

    NOT_ALLOWED = "not_allowed", _("You may no longer export these records.")
    INVALID = "invalid", _("The filters of this export are no longer valid.")
    FAILED = "failed", _("The file could not be written. Try again, or ask the administrator.")
