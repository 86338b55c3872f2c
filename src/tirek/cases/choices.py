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
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL_RECEIVED = "referral_received", _("Opened from a referral")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
    REFERRAL_REVOKED = "referral_revoked", _("Referral revoked")
    OUTCOME_RECORDED = "outcome_recorded", _("Outcome recorded")
    APPEAL_LINKED = "appeal_linked", _("Appeal linked")
    DOCUMENT_ADDED = "document_added", _("Document added")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")


# The statuses a case can be set to without closing it (closing needs a reason).
OPEN_STATUS_CHOICES = [
    (s.value, s.label) for s in (CaseStatus.REFERRED, CaseStatus.INTAKE, CaseStatus.ACTIVE)
]


class ClosureDestination(models.TextChoices):
    """Where the child goes when the case ends."""

    KINDERGARTEN = "kindergarten", _("Kindergarten")
    SPECIAL_KINDERGARTEN = "special_kindergarten", _("Special (correctional) kindergarten")
    SCHOOL = "school", _("School")
    SPECIAL_SCHOOL = "special_school", _("Special school")
    PMPK = "pmpk", _("PMPK")
    OTHER_PROGRAMME = "other_programme", _("Another organisation's programme")
    NONE = "none", pgettext_lazy("destination", "None")


# Closure reasons (catalog codes) after which the child was served to the end, so the exit ratings of the
# three child-outcome areas must be recorded to compare with the entry ratings.
EXIT_RATINGS_REQUIRED_FOR = frozenset({"goals_achieved", "completed", "aged_out", "transferred"})


class OutcomeRating(models.IntegerChoices):
    """The seven points of the child-outcomes summary scale (as in the US early-childhood outcomes)."""

    NOT_YET = 1, _("1 — no immediate foundational skills yet")
    EMERGING = 2, _("2 — occasional immediate foundational skills")
    NEARLY = 3, _("3 — immediate foundational skills most of the time")
    OCCASIONAL = 4, _("4 — occasional age-expected skills")
    SOMEWHAT = 5, _("5 — a mix of age-expected and not age-expected skills")
    MOSTLY = 6, _("6 — age-expected, with some concern")
    COMPLETELY = 7, _("7 — age-expected in all or almost all everyday situations")


class OutcomeArea(models.TextChoices):
    """The three child-outcome areas rated at entry and at exit."""

    SOCIAL = "social", _("Social relationships")
    KNOWLEDGE = "knowledge", _("Knowledge and skills, communication included")
    NEEDS = "needs", _("Meeting own needs")


class DeadlineClock(models.TextChoices):
    FIRST_PLAN = "first_plan", _("First plan")
    PLAN_REVIEW = "plan_review", _("Plan review")
    ASSESSMENT = "assessment", _("Assessment")
    TRANSITION = "transition", _("Transition conference")
    EXIT = "exit", _("Exit age")


class DeadlineState(models.TextChoices):
    UPCOMING = "upcoming", _("Not started yet")
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")


class PauseReason(models.TextChoices):
    """The documented family reasons that stop the first-plan clock."""

    FAMILY_UNAVAILABLE = "family_unavailable", _("Family unavailable")
    CONSENT_PENDING = "consent_pending", _("Consent pending despite attempts")
    OTHER = "other", _("Other family reason")


class TransitionStep(models.TextChoices):
    STEPS_AGREED = "steps_agreed", _("Transition steps agreed with the family")
    CONFERENCE_HELD = "conference_held", _("Transition conference held")
    DESTINATION_CONTACTED = "destination_contacted", _("Receiving service contacted")


class DocumentKind(models.TextChoices):
    """The papers a case collects. Identity documents are not among them: collecting copies of ID cards is
    banned (domain-kz §9), so Tirek offers no place to keep them."""

    REFERRAL_LETTER = "referral_letter", _("Referral letter")
    PMPK_CONCLUSION = "pmpk_conclusion", _("PMPK conclusion")
    MEDICAL_REPORT = "medical_report", _("Medical report or discharge summary")
    DISABILITY_DECISION = "disability_decision", _("Disability decision or ИПР")
    SIGNED_CONSENT = "signed_consent", _("Signed consent")
    SIGNED_PLAN = "signed_plan", _("Signed individual plan")
    ASSESSMENT_REPORT = "assessment_report", _("Assessment report")
    EDUCATION_LETTER = "education_letter", _("Letter from a kindergarten or school")
    GUARDIANSHIP_DECISION = "guardianship_decision", _("Guardianship or court decision")
    OTHER = "other", _("Other document")
