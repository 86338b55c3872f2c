from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from tirek.audit.choices import AuditAction
from tirek.people.models import PersonAccess


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


# What others did with an organisation's records that its data protection officer reads although the event
# belongs to the actor's organisation: opening a record in an emergency, and reading or exporting it without
# a ground of one's own (an administrator, a manager under emergency access).
_OVERSEEN_ACTIONS = (AuditAction.BREAK_GLASS, AuditAction.VIEW, AuditAction.EXPORT)


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditEventQuerySet:
        """Administrators read the whole trail; an organisation's data protection officer reads the events of
        the organisation they act in (the one recorded on the event), and the emergency accesses to, reads
        and exports of the persons it holds by anyone whose organisation holds no ground of its own for that
        person (an administrator, a manager of another organisation in an emergency); nobody else reads any.

        Reads by organisations that hold a ground (a case, a referral it received) stay theirs: showing them
        would tell one organisation where else a child is served."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self.all()
        if user.is_data_protection_officer():
            organisation_id = user.active_organisation_id_checked()
            held = PersonAccess.objects.filter(organisation_id=organisation_id).values("person_id")
            actor_holds = PersonAccess.objects.filter(
                person_id=OuterRef("subject_person_id"), organisation_id=OuterRef("organisation_id")
            )
            overseen = (
                Q(action__in=_OVERSEEN_ACTIONS, subject_person_id__in=held)
                & ~Q(organisation_id=organisation_id)
                & (Q(action=AuditAction.BREAK_GLASS) | ~Exists(actor_holds))
            )
            return self.filter(Q(organisation_id=organisation_id) | overseen)
        return self.none()

    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    """One security-relevant act: who did what to which record, when and from where. Never changed."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    # A plain reference, not a foreign key: the trail outlives merges and anonymisation of the person.
    subject_person_id = models.UUIDField(_("subject person"), null=True, blank=True, db_index=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_time"),
            # One user's events of one kind in a recent period: the IIN look-ups of the last hour.
            models.Index(fields=["actor", "action", "created_at"], name="audit_actor_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        # Integrity guard, not business logic: an audit event is written once and never rewritten.
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    @property
    def refusal_count(self) -> int:
        """How many refusals the event stands for: its own and the repeats of its minute (RefusalTally); 1 for
        any other event."""
        try:
            return self.refusal_tally.count
        except RefusalTally.DoesNotExist:
            return 1


class RefusalTally(models.Model):
    """The refusals of one actor for one kind of record (or one page) within a minute: the first is an audit
    event (`event`), each repeat only adds one to `count`.

    A table beside the trail, because the trail is append-only (on PostgreSQL a trigger refuses UPDATE): an
    event cannot count its own repeats, and one event per refusal would let a scanner flood the trail (8,280
    probes, 8,280 rows). Here the first refusal of a window writes the event and this row, the repeats within
    the minute after it increment this row only. The number may change; the event it belongs to never does.
    """

    event = models.OneToOneField(
        AuditEvent, verbose_name=_("audit event"), on_delete=models.PROTECT, related_name="refusal_tally"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("object type"), max_length=100)
    started_at = models.DateTimeField(_("first refusal"))
    last_at = models.DateTimeField(_("last refusal"))
    count = models.PositiveIntegerField(_("refusals"), default=1)

    class Meta:
        verbose_name = _("refusal count")
        verbose_name_plural = _("refusal counts")
        indexes = [models.Index(fields=["actor", "kind", "-started_at"], name="refusal_actor_kind_time")]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.kind} ×{self.count}"
