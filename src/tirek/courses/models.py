"""Courses such as the school for adoptive and foster parents: sessions, participants and attendance."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.scoping import AGGREGATE_ONLY_ROLES, ScopedQuerySet
from tirek.courses.choices import CourseKind, CourseStatus, EnrolmentStatus


class CourseQuerySet(ScopedQuerySet):
    hidden_from = AGGREGATE_ONLY_ROLES
    pass


class Course(models.Model):
    """A course an organisation runs for a group of people over several sessions (e.g. the school for
    adoptive and foster parents); completing it is an outcome for the person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=40, choices=CourseKind.choices)
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    sessions_required = models.PositiveSmallIntegerField(
        _("sessions required for completion"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Leave empty when completion does not depend on attendance."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_courses",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.PLANNED
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

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["organisation", "starts_on"], name="course_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="course_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A course cannot end before it starts.")})


class CourseSessionQuerySet(ScopedQuerySet):
    hidden_from = AGGREGATE_ONLY_ROLES
    organisation_path = "course__organisation"


class CourseSession(models.Model):
    """One meeting of a course, with its topic."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    topic = models.CharField(_("topic"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CourseSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.topic} {self.starts_at:%Y-%m-%d}"


class CourseEnrolmentQuerySet(ScopedQuerySet):
    hidden_from = AGGREGATE_ONLY_ROLES
    organisation_path = "course__organisation"


class CourseEnrolment(models.Model):
    """A person taking part in a course: enrolled, then completed (an outcome) or dropped out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="course_enrolments"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    dropped_on = models.DateField(_("dropped out on"), null=True, blank=True)
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Why the person dropped out, or was let complete without attendance."),
    )
    outcome = models.OneToOneField(
        "support.Outcome",
        verbose_name=_("outcome"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_enrolment",
    )
    sessions = models.ManyToManyField(
        CourseSession, verbose_name=_("sessions attended"), through="CourseAttendance", related_name="present"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CourseEnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("course participant")
        verbose_name_plural = _("course participants")
        ordering = ["person__surname", "person__given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="course_enrolment_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.person_id}"


class CourseAttendance(models.Model):
    """That a participant was present at a session (absence is the lack of a row)."""

    session = models.ForeignKey(
        CourseSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        CourseEnrolment, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="attendance"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="course_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.enrolment_id}"
