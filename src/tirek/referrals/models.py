"""Referrals between organisations and from outside the system."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import ScopedQuerySet
from tirek.referrals.choices import (
    EXTERNAL_SOURCE_CHOICES,
    ReferralEventKind,
    ReferralStatus,
    SharedPart,
    Urgency,
)


class ReferralQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        """Referrals the user's organisation sent or received (administrators: all, to read)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.roles() & self.national_roles:
            return self.all()
        organisation_id = user.active_organisation_id_checked()
        if organisation_id is None:
            return self.none()
        return self.filter(Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id))


class Referral(models.Model):
    """One referral of a person to an organisation: sent by another organisation in Tirek (with the consent
    that covers it), or come from outside (a polyclinic, PMPK, a helpline) and recorded by the receiver."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("referral number"), max_length=30)
    from_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    external_source = models.CharField(
        _("source outside Tirek"), max_length=20, choices=EXTERNAL_SOURCE_CHOICES, blank=True
    )
    external_source_name = models.CharField(
        _("who referred"), max_length=200, blank=True, help_text=_("e.g. Polyclinic No 5, PMPK of Almaty")
    )
    external_source_contact = models.CharField(_("their contact"), max_length=200, blank=True)
    to_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="referrals"
    )
    from_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("from case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    programme = models.ForeignKey(
        "directory.Programme",
        verbose_name=_("programme wanted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services wanted"), blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    shared_parts = models.JSONField(_("parts of the case shared"), default=list, blank=True)
    consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    consent_override_reason = models.CharField(
        _("why it was sent without a consent"), max_length=500, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    days_to_accept = models.PositiveIntegerField(
        _("days from sending to accepting"), null=True, blank=True, editable=False
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completion_note = models.TextField(_("completion note"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.TextField(_("why it was revoked"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-number"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "sent_at"], name="referral_inbox"),
            models.Index(fields=["from_organisation", "status", "sent_at"], name="referral_outbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_organisation__isnull=False) | ~Q(external_source=""),
                name="referral_has_a_sender",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_external(self) -> bool:
        return self.from_organisation_id is None

    @property
    def is_live(self) -> bool:
        return self.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED)

    @property
    def sender_label(self) -> str:
        """Who referred: the organisation, or the outside source and its name."""
        if self.from_organisation_id:
            return str(self.from_organisation)
        source = self.get_external_source_display()
        return f"{source} · {self.external_source_name}" if self.external_source_name else source

    @property
    def days_waiting(self) -> int:
        """Days since it was sent (what an inbox shows for a referral still without an answer)."""
        return max(0, (timezone.localdate() - timezone.localdate(self.sent_at)).days)

    def shared_part_labels(self) -> list[str]:
        return [SharedPart(part).label for part in self.shared_parts if part in SharedPart.values]

    def clean(self) -> None:
        errors = {}
        if self.from_organisation_id is None and not self.external_source:
            errors["external_source"] = _("Say where the referral comes from.")
        if self.from_organisation_id is not None and self.external_source:
            self.external_source = ""
        if self.from_organisation_id and self.from_organisation_id == self.to_organisation_id:
            errors["to_organisation"] = _("A referral goes to another organisation, not your own.")
        unknown = set(self.shared_parts or []) - set(SharedPart.values)
        if not isinstance(self.shared_parts, list) or unknown:
            errors["shared_parts"] = _("Choose the shared parts from the list.")
        if (
            self.programme_id
            and self.to_organisation_id
            and self.programme.organisation_id != self.to_organisation_id
        ):
            errors["programme"] = _("Choose a programme of the organisation the referral goes to.")
        if errors:
            raise ValidationError(errors)


class ReferralCounter(models.Model):
    """The last referral number an organisation gave in a year (numbers run prefix-R-year-sequence)."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="referral_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.last}"


class ReferralEvent(models.Model):
    """One step of a referral's history, seen by both organisations: who did what, when, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=ReferralEventKind.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral} {self.kind}"
