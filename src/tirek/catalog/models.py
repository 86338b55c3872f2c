"""Reference lists that administrators extend: names in Kazakh, Russian and English, a stable code."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.i18n import MultilingualName


class ReferenceItem(MultilingualName, models.Model):
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_.\-]+$", _("Latin letters, digits, dot, dash and underscore."))
        ],
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]


class ServiceType(ReferenceItem):
    """One of the special social service types of the Social Code (household, medical, psychological …)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return self.name


class Service(ReferenceItem):
    """A concrete service (a speech-therapy session, a legal consultation, a food package) of one type."""

    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("service type"), on_delete=models.PROTECT, related_name="services"
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class Profession(ReferenceItem):
    """A specialist's profession (speech therapist, psychologist, rehabilitation doctor …)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("profession")
        verbose_name_plural = _("professions")

    def __str__(self) -> str:
        return self.name


class Diagnosis(ReferenceItem):
    """An ICD-10 code of the curated list (or of a licensed full reference an organisation imported)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ClosureReason(ReferenceItem):
    """Why a case ended (programme completed, aged out, moved away, family declined …)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("closure reason")
        verbose_name_plural = _("closure reasons")

    def __str__(self) -> str:
        return self.name
