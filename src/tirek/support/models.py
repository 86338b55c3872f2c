"""Social support: appeals, material aid and outcomes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import ScopedQuerySet
from tirek.support.choices import OutcomeKind


class OutcomeQuerySet(ScopedQuerySet):
    pass


class Outcome(models.Model):
    """A dated change in a person's life that an organisation helped bring about (a flat, a job, a return
    to the birth family, a course completed …), recorded from a case, an appeal or a course."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(_("outcome"), max_length=40, choices=OutcomeKind.choices)
    happened_on = models.DateField(_("date"))
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "kind", "happened_on"], name="outcome_org_kind_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on:%d.%m.%Y}"
