"""Reading exports: a user sees their own export jobs only (another user's is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from tirek.core.scoping import can, get_visible_or_404
from tirek.exports.models import ExportJob
from tirek.exports.records import EXPORT_CAPABILITY


def export_job_list(*, user) -> QuerySet[ExportJob]:
    return ExportJob.objects.visible_to(user).order_by("-created_at")


def export_job_get(*, user, pk) -> ExportJob:
    return get_visible_or_404(ExportJob.objects.all(), user, pk=pk)


def can_export_records(user) -> bool:
    return can(user, EXPORT_CAPABILITY)
