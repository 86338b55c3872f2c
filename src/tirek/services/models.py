"""Sessions with a case (Visit) and group activities (seminars, trainings, group consultations, classes)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import ScopedQuerySet
from tirek.services.choices import (
    NOT_HELD_STATUSES,
    CancellationReason,
    GroupActivityKind,
    GroupActivityStatus,
    Participant,
    VisitFormat,
    VisitMode,
    VisitStatus,
)

MINUTES_VALIDATORS = [MinValueValidator(5), MaxValueValidator(600)]


class VisitQuerySet(ScopedQuerySet):
    def delivered(self) -> VisitQuerySet:
        """Sessions that took place. A cancelled or no-show session never counts as delivered."""
        return self.filter(status=VisitStatus.ATTENDED)


class Visit(models.Model):
    """One session of a specialist with a case: an appointment (planned), or as it went (attended,
    cancelled, no-show). A group activity writes one row per participant, with its attendance."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="visits",
        help_text=_("The case's organisation."),
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="visits"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=MINUTES_VALIDATORS)
    # Derived from starts_at and minutes by the services; stored so that overlaps are one indexed query.
    ends_at = models.DateTimeField(_("ends at"), editable=False)
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="visits"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    profession = models.ForeignKey(
        "catalog.Profession",
        verbose_name=_("profession"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    format = models.CharField(
        _("format"), max_length=20, choices=VisitFormat.choices, default=VisitFormat.INDIVIDUAL
    )
    mode = models.CharField(_("mode"), max_length=20, choices=VisitMode.choices, default=VisitMode.CENTRE)
    participants = models.JSONField(_("participants"), default=list, blank=True)
    cancellation_reason = models.CharField(
        _("reason it did not take place"), max_length=30, choices=CancellationReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    group_activity = models.ForeignKey(
        "GroupActivity",
        verbose_name=_("group activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["organisation", "starts_at"], name="visit_org_start"),
            models.Index(fields=["organisation", "status", "starts_at"], name="visit_org_status_start"),
            models.Index(fields=["specialist", "starts_at"], name="visit_specialist_start"),
            models.Index(fields=["case", "starts_at"], name="visit_case_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["group_activity", "case"],
                condition=Q(group_activity__isnull=False),
                name="visit_one_per_group_participant",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="visit_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_delivered(self) -> bool:
        return self.status == VisitStatus.ATTENDED

    def clean(self) -> None:
        errors = {}
        participants = self.participants
        if not isinstance(participants, list) or any(p not in Participant.values for p in participants):
            errors["participants"] = _("Choose the participants from the list.")
        elif len(set(participants)) != len(participants):
            errors["participants"] = _("Name each participant once.")
        if self.status in NOT_HELD_STATUSES and not self.cancellation_reason:
            errors["cancellation_reason"] = _("Say why the session did not take place.")
        if self.status not in NOT_HELD_STATUSES and self.cancellation_reason:
            errors["cancellation_reason"] = _("Only a cancelled or missed session has a reason.")
        if errors:
            raise ValidationError(errors)

    def participant_labels(self) -> list[str]:
        return [str(Participant(p).label) for p in self.participants if p in Participant.values]


class VisitGoal(models.Model):
    """A goal of the case's plan that a session worked on, with a note on the progress made."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("session"), on_delete=models.CASCADE, related_name="goals"
    )
    plan_goal = models.ForeignKey(
        "plans.PlanGoal", verbose_name=_("goal"), on_delete=models.PROTECT, related_name="visit_notes"
    )
    note = models.TextField(_("progress note"), blank=True)

    class Meta:
        verbose_name = _("goal worked on")
        verbose_name_plural = _("goals worked on")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "plan_goal"], name="visit_goal_once_per_visit")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} → {self.plan_goal_id}"


class GroupActivityQuerySet(ScopedQuerySet):
    pass


class GroupActivity(models.Model):
    """One seminar, training, group consultation or group class of an organisation, with its participants."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="group_activities",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=GroupActivityKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=GroupActivityStatus.choices, default=GroupActivityStatus.PLANNED
    )
    topic = models.CharField(_("topic"), max_length=300)
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="group_activities",
    )
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=MINUTES_VALIDATORS)
    ends_at = models.DateTimeField(_("ends at"), editable=False)
    mode = models.CharField(_("mode"), max_length=20, choices=VisitMode.choices, default=VisitMode.CENTRE)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), related_name="facilitated_group_activities"
    )
    cases = models.ManyToManyField(
        "cases.Case",
        verbose_name=_("participants"),
        through="GroupParticipant",
        related_name="group_activities",
    )
    others_count = models.PositiveIntegerField(
        _("other participants"),
        default=0,
        validators=[MaxValueValidator(10000)],
        help_text=_("Participants without a case in the organisation (e.g. parents from outside)."),
    )
    partnership = models.ForeignKey(
        "directory.Partnership",
        verbose_name=_("under the memorandum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_activities",
        help_text=_("A joint event held under a memorandum the organisation signed."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GroupActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        ordering = ["-starts_at", "id"]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="group_activity_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="group_activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.starts_at:%Y-%m-%d}"


class GroupParticipant(models.Model):
    """A case taking part in a group activity, and whether they attended (None until it is recorded)."""

    activity = models.ForeignKey(
        GroupActivity, verbose_name=_("group activity"), on_delete=models.CASCADE, related_name="participants"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="group_participations"
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("group participant")
        verbose_name_plural = _("group participants")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "case"], name="group_participant_once_per_activity")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.case_id}"
