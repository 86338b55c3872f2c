"""Pre-computed figures: the rows of an indicator for one place and one period, kept so that the dashboards
read a handful of rows instead of counting millions of records on every view."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotScope(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    REGION = "region", _("Region")
    COUNTRY = "country", _("Country")


class IndicatorSnapshot(models.Model):
    """One indicator's rows for one place (an organisation, a region or the whole country) and one period,
    split by one dimension or not, as the catalogue computed them at `computed_at`.

    The rows are the exact counts: small counts are hidden when a reader who must not see them reads the
    snapshot (`tirek.reports.scope`), never in what is stored, so one snapshot serves a manager and an
    analyst alike. `place` names the place in the unique key ("" for the country, the organisation's id,
    the region's KATO code): a NULL organisation or region would never collide in a SQL unique key, and the
    upsert of a region's or the country's figures would then add rows instead of replacing them."""

    code = models.CharField(_("indicator"), max_length=64)
    scope = models.CharField(_("scope"), max_length=20, choices=SnapshotScope.choices)
    place = models.CharField(_("place"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    period_start = models.DateField(_("first day of the period"))
    period_end = models.DateField(_("last day of the period"))
    by = models.CharField(_("split by"), max_length=40, blank=True)
    rows = models.JSONField(_("rows"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "scope", "place", "period_start", "period_end", "by"],
                name="snapshot_unique_figure",
            )
        ]
        indexes = [
            models.Index(fields=["scope", "place", "period_start"], name="snapshot_place_period"),
        ]

    def __str__(self) -> str:
        return f"{self.code}/{self.by or '-'} {self.scope}:{self.place} {self.period_start}–{self.period_end}"
