"""Emergency access ("break the glass"): a manager opens the record of a person their organisation does not
serve, giving a reason, for a few hours; every such opening is audited and announced to the organisations
that hold the person's record."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmergencyAccessQuerySet(models.QuerySet):
    def active(self) -> EmergencyAccessQuerySet:
        return self.filter(ended_at__isnull=True, expires_at__gt=timezone.now())

    def visible_to(self, user) -> EmergencyAccessQuerySet:
        """The user's own openings, and openings of records their organisation holds (for its managers and
        its data protection officer); every one for administrators."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self.all()
        from tirek.accounts.models import Membership
        from tirek.people.models import PersonAccess

        organisation_id = user.active_organisation_id_checked()
        overseer = Membership.objects.filter(
            user=user, organisation_id=organisation_id, is_active=True
        ).filter(Q(role="manager") | Q(is_data_protection_officer=True))
        held = PersonAccess.objects.filter(organisation_id=organisation_id).values("person_id")
        condition = Q(user=user) | Q(organisation_id=organisation_id)
        if overseer.exists():
            condition |= Q(person_id__in=held)
        return self.filter(condition)


class EmergencyAccess(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="emergency_accesses"
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("ends at"))
    ended_at = models.DateTimeField(_("ended early at"), null=True, blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="emergency_user_expiry")]

    def __str__(self) -> str:
        return f"{self.user} → {self.person_id} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()
