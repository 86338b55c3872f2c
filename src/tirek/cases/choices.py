from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    REFERRED = "referred", pgettext_lazy("case status", "Referred")
    INTAKE = "intake", pgettext_lazy("case status", "Intake")
    ACTIVE = "active", pgettext_lazy("case status", "Active")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")


# Which status may follow which; closing is possible from any open status.
STATUS_FLOW = {
    CaseStatus.REFERRED: {CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.CLOSED},
    CaseStatus.INTAKE: {CaseStatus.ACTIVE, CaseStatus.CLOSED},
    CaseStatus.ACTIVE: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
}


class ReferralSource(models.TextChoices):
    MATERNITY = "maternity", _("Maternity or perinatal centre")
    POLYCLINIC = "polyclinic", _("Polyclinic")
    PMPK = "pmpk", _("PMPK")
    HOTLINE_150 = "hotline_150", _("Helpline 150")
    HOTLINE_111 = "hotline_111", _("Helpline 111")
    SELF = "self", _("Self or family")
    ORGANISATION = "organisation", _("Another organisation")
    OTHER = "other", _("Other")


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STATUS_CHANGED = "status_changed", _("Status changed")
    TEAM_CHANGED = "team_changed", _("Team changed")
    COORDINATOR_CHANGED = "coordinator_changed", _("Coordinator changed")
    ELIGIBILITY_OVERRIDDEN = "eligibility_overridden", _("Eligibility overridden")
    UPDATED = "updated", _("Case details changed")
    ASSESSED = "assessed", _("Assessment recorded")
    PLAN_CREATED = "plan_created", _("Plan drafted")
    PLAN_APPROVED = "plan_approved", _("Plan approved")
    PLAN_ACTIVATED = "plan_activated", _("Plan in force")
    PLAN_REVIEWED = "plan_reviewed", _("Plan reviewed")
    PLAN_SUPERSEDED = "plan_superseded", _("Plan superseded")
    VISIT_PLANNED = "visit_planned", _("Session planned")
    VISIT_LOGGED = "visit_logged", _("Session logged")
    VISIT_CANCELLED = "visit_cancelled", _("Session cancelled")
    GROUP_ATTENDED = "group_attended", _("Group activity attended")
    DEADLINE_PAUSED = "deadline_paused", _("Deadline clock paused")
    DEADLINE_RESUMED = "deadline_resumed", _("Deadline clock resumed")
    TRANSITION = "transition", _("Transition step")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")


# The statuses a case can be set to without closing it (closing needs a reason).
OPEN_STATUS_CHOICES = [
    (s.value, s.label) for s in (CaseStatus.REFERRED, CaseStatus.INTAKE, CaseStatus.ACTIVE)
]
