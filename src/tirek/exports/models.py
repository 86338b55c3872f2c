"""An export asked for in the background: what, with which filters, how far it has got, and the file."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import ScopedQuerySet
from tirek.exports.choices import ExportError, ExportFormat, ExportStatus, ExportWhat


class ExportJobQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> ExportJobQuerySet:
        """Only the user's own exports: a file of records is for whoever asked for it, nobody else (not
        even another manager of the organisation, nor the administrator)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(requested_by=user)


def export_path(instance: ExportJob, filename: str) -> str:
    """Stored under the job's id in a folder of MEDIA_ROOT that is never served directly."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"exports/{instance.pk}.{suffix}"


class ExportJob(models.Model):
    """One export written in the background for one user: the filters it was asked with (`params`, as the
    page or the API received them), its progress, and the file once written. The file is removed after
    TIREK_EXPORT_KEEP_DAYS days."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The organisation the user acted in when asking; the export is written as in it."),
    )
    what = models.CharField(_("what"), max_length=20, choices=ExportWhat.choices)
    code = models.CharField(_("indicator"), max_length=60, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.CharField(_("error"), max_length=20, choices=ExportError.choices, blank=True)
    created_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_job_requester_idx")]

    def __str__(self) -> str:
        return f"{self.get_what_display()} {self.code} ({self.format})".replace("  ", " ")

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def in_progress(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
