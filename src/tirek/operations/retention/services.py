"""Retention: when the time the law and the programmes need a person's records has passed, their identifying
data is removed and the facts the national statistics count are kept.

Who is due (`retention_due`). The periods are `settings.TIREK_RETENTION`, years per record type:
- "case" (TIREK_RETENTION_YEARS, 10): a person with at least one case is due when none of their cases is
  open and the last of them closed more than that many years ago (exactly N years ago is not yet due);
- "appeal" (TIREK_RETENTION_APPEAL_YEARS, the same by default): a person without cases but with appeals of
  their own is due when none is open and the last closed more than that many years ago.
Whatever the rule, a person is never due while anything is still going on for them: an open case or appeal, a
residence they have not moved out of, an enrolment in a course that is planned or running. Other records
that ended (a move out of a youth house, a course completed or dropped) hold the clock too: the years count
from the latest end among all of them. Persons already anonymised or merged into another record are not due.
Referrals, aid and outcomes do not keep a person: they belong to the cases and appeals that do.

What anonymising removes (`person_anonymise`), in one transaction:
- the person: surname → "Anonymised", given name → the first 8 characters of the record's id (so that two
  anonymised persons can be told apart in a list), patronymic, IIN (the reason becomes "unknown"), phones,
  locality and street, languages spoken at home, notes and the ИПАР number are cleared; the date of birth
  becomes the first day of its month; the name search words are replaced, so the old name, IIN or phone
  finds nothing any more; the person's journal numbers of imports (ExternalReference) are deleted;
- free text written about them, in every app: case eligibility and closure notes, pause notes, the notes of
  timeline events, document titles and issuers — and the stored scans of the case documents are deleted
  from disk once the transaction commits; assessment notes and text answers; plan descriptions (present
  levels, family concerns, priorities, resources, transition steps), goal wording and criteria (replaced by
  "—"), places of planned services, review summaries and progress notes; session notes and progress notes;
  referral reasons, contacts of an outside referrer, answers and notes; appeal callers, phones, texts,
  forwarding notes and answers; notes of aid, outcomes, course enrolments and residences; consent document
  references and who withdrew a consent; the source of a diagnosis;
- their family, once every member who was served (with a case, an appeal, a residence or an enrolment) is
  anonymised: its name, address and grounds of a difficult situation, the texts of its appeals, and the
  members never served themselves (parents and siblings recorded only in the family) with it.

What stays, so that reports keep their figures: the record and its id, sex, birth year and month,
citizenship, region, gestation, disability status and ИПАР dates, diagnosis codes and dates, family links and
the family's circumstances (low income, many children …), every case, session, assessment score, plan,
referral, appeal, aid, outcome, enrolment and residence with its dates, codes, counts and statuses.

The audit trail is not changed: it is append-only and names the person by id only. Its `object_repr` texts
written before anonymisation may still carry a name; the anonymisation's own events are written after the
change and hold the names of the fields cleared, never their old values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.assessments.choices import AnswerType
from tirek.assessments.models import Assessment, InstrumentItem
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case, CaseDocument, CaseEvent, DeadlinePause
from tirek.core.scoping import require
from tirek.courses.choices import OPEN_COURSE_STATUSES, EnrolmentStatus
from tirek.courses.models import CourseEnrolment
from tirek.directory.models import Organisation
from tirek.people.choices import IinMissingReason
from tirek.people.models import Consent, ExternalReference, Family, FamilyMember, Person, PersonDiagnosis
from tirek.people.services import name_keys_refresh, name_tokens_save
from tirek.plans.models import GoalProgress, Plan, PlanGoal, PlannedService, PlanReview
from tirek.referrals.models import Referral, ReferralEvent
from tirek.residence.models import Residence
from tirek.services.models import Visit, VisitGoal
from tirek.support.choices import CLOSED_STATUSES
from tirek.support.models import AidDistribution, Appeal, AppealEvent, Outcome

# What an anonymised record says instead of a name; stored data, the same in every language.
ANONYMISED = "Anonymised"
# What a required free-text field says once its text is removed.
REMOVED = "—"
# Keys of timeline events (CaseEvent, AppealEvent) whose values are free text typed by a user.
FREE_TEXT_KEYS = frozenset({"note", "reason", "problem", "title", "text", "summary", "comment", "resolution"})
OBJECT_TYPE = "people.retention"


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


# -- who is due --------------------------------------------------------------------------------------------


def _ongoing(today: dt.date):
    """The condition that something is still going on for the person (OuterRef "pk")."""
    person = OuterRef("pk")
    return (
        Exists(Case.objects.filter(person=person).exclude(status=CaseStatus.CLOSED))
        | Exists(Appeal.objects.filter(person=person).exclude(status__in=CLOSED_STATUSES))
        | Exists(
            Residence.objects.filter(person=person).filter(
                Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=today)
            )
        )
        | Exists(
            CourseEnrolment.objects.filter(
                person=person, status=EnrolmentStatus.ENROLLED, course__status__in=OPEN_COURSE_STATUSES
            )
        )
    )


def _ended_since(cutoff: dt.date):
    """The condition that one of the person's records ended on or after `cutoff` (too recent to forget)."""
    person = OuterRef("pk")
    cutoff_moment = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return (
        Exists(Case.objects.filter(person=person, closed_on__gte=cutoff))
        | Exists(
            Appeal.objects.filter(person=person).filter(
                Q(closed_on__gte=cutoff) | Q(closed_on__isnull=True, received_at__gte=cutoff_moment)
            )
        )
        | Exists(Residence.objects.filter(person=person, moved_out_on__gte=cutoff))
        | Exists(
            CourseEnrolment.objects.filter(person=person).filter(
                Q(completed_on__gte=cutoff) | Q(dropped_on__gte=cutoff) | Q(course__ends_on__gte=cutoff)
            )
        )
    )


def _served():
    """The condition that the person was served themselves (OuterRef "pk"), not only recorded in a family."""
    person = OuterRef("pk")
    return (
        Exists(Case.objects.filter(person=person))
        | Exists(Appeal.objects.filter(person=person))
        | Exists(Residence.objects.filter(person=person))
        | Exists(CourseEnrolment.objects.filter(person=person))
    )


def retention_due(*, now: dt.datetime | None = None) -> QuerySet[Person]:
    """The persons whose retention period has run out on `now`'s local day (see the module's docstring)."""
    today = _today(now)
    rules = settings.TIREK_RETENTION
    has_case = Exists(Case.objects.filter(person=OuterRef("pk")))
    has_appeal = Exists(Appeal.objects.filter(person=OuterRef("pk")))
    by_case = Q(has_case) & ~Q(_ended_since(years_before(today, rules["case"])))
    by_appeal = ~Q(has_case) & Q(has_appeal) & ~Q(_ended_since(years_before(today, rules["appeal"])))
    return (
        Person.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
        .exclude(_ongoing(today))
        .filter(by_case | by_appeal)
    )


# -- anonymising one person --------------------------------------------------------------------------------


def _scrub(data: dict) -> dict:
    """A timeline event's data without its free text (a closure's catalogue reason, with its code, stays)."""
    keep_reason = "reason_code" in data
    return {
        key: value
        for key, value in data.items()
        if key not in FREE_TEXT_KEYS or (key == "reason" and keep_reason)
    }


def _scrub_events(events: QuerySet) -> None:
    changed = []
    for event in events.only("pk", "data"):
        data = event.data if isinstance(event.data, dict) else {}
        scrubbed = _scrub(data)
        if scrubbed != data:
            event.data = scrubbed
            changed.append(event)
    events.model.objects.bulk_update(changed, ["data"], batch_size=500)


def _scrub_appeals(appeals: QuerySet) -> None:
    appeals.update(caller="", caller_phone="", text=REMOVED, forward_note="")
    appeals.exclude(resolution="").update(resolution=REMOVED)
    _scrub_events(AppealEvent.objects.filter(appeal__in=appeals))


def _clear_assessments(assessments: QuerySet) -> None:
    assessments.update(notes="")
    text_items = defaultdict(set)
    for instrument_id, code in InstrumentItem.objects.filter(
        answer_type=AnswerType.TEXT, instrument__in=assessments.values("instrument")
    ).values_list("instrument_id", "code"):
        text_items[instrument_id].add(code)
    if not text_items:
        return
    changed = []
    for assessment in assessments.filter(instrument__in=list(text_items)).only("pk", "instrument", "answers"):
        answers = assessment.answers if isinstance(assessment.answers, dict) else {}
        kept = {k: v for k, v in answers.items() if k not in text_items[assessment.instrument_id]}
        if kept != answers:
            assessment.answers = kept
            changed.append(assessment)
    Assessment.objects.bulk_update(changed, ["answers"], batch_size=500)


def _clear_records(person: Person) -> list[str]:
    """Remove the free text about `person` from every app; return the stored files to delete."""
    cases = Case.objects.filter(person=person)
    cases.update(eligibility_override_reason="", closure_note="")
    _scrub_events(CaseEvent.objects.filter(case__in=cases))
    DeadlinePause.objects.filter(case__in=cases).update(note="")
    documents = CaseDocument.objects.filter(case__in=cases)
    stored = [name for name in documents.exclude(file="").values_list("file", flat=True) if name]
    documents.update(title="", issued_by="", file="", content_type="", size=0)

    _clear_assessments(Assessment.objects.filter(case__in=cases))
    plans = Plan.objects.filter(case__in=cases)
    plans.update(
        present_levels={},
        family_concerns="",
        family_priorities="",
        family_resources="",
        transition_steps="",
    )
    PlanGoal.objects.filter(plan__in=plans).update(wording=REMOVED, criterion=REMOVED)
    PlannedService.objects.filter(plan__in=plans).update(location="")
    PlanReview.objects.filter(plan__in=plans).update(summary="")
    GoalProgress.objects.filter(review__plan__in=plans).update(note="")
    visits = Visit.objects.filter(case__in=cases)
    visits.update(note="")
    VisitGoal.objects.filter(visit__in=visits).update(note="")

    referrals = Referral.objects.filter(person=person)
    referrals.update(
        external_source_name="",
        external_source_contact="",
        reason=REMOVED,
        consent_override_reason="",
        decline_reason="",
        completion_note="",
        revoke_reason="",
    )
    ReferralEvent.objects.filter(referral__in=referrals).update(note="")
    _scrub_appeals(Appeal.objects.filter(Q(person=person) | Q(case__person=person)))
    AidDistribution.objects.filter(person=person).update(note="")
    Outcome.objects.filter(person=person).update(note="")
    CourseEnrolment.objects.filter(person=person).update(note="")
    Residence.objects.filter(person=person).update(note="")

    Consent.objects.filter(person=person).update(document_reference="", withdrawn_by="")
    PersonDiagnosis.objects.filter(person=person).update(source="")
    ExternalReference.objects.filter(person=person).delete()
    return stored


PERSON_CLEARED = (
    "surname",
    "given_name",
    "patronymic",
    "iin",
    "birth_date",
    "locality",
    "street",
    "phone",
    "phone_other",
    "home_languages",
    "notes",
    "ipar_number",
)


def _clear_person(person: Person, moment: dt.datetime) -> None:
    person.surname = ANONYMISED
    person.given_name = person.pk.hex[:8]
    person.patronymic = ""
    if person.iin or not person.iin_missing_reason:
        person.iin_missing_reason = IinMissingReason.UNKNOWN
    person.iin = None
    if person.birth_date is not None:
        person.birth_date = person.birth_date.replace(day=1)
    for name in ("locality", "street", "phone", "phone_other", "home_languages", "notes", "ipar_number"):
        setattr(person, name, "")
    person.anonymised_at = moment
    name_keys_refresh(person)
    # Every value written here is a constant or a shortening of a valid one, so there is nothing to validate
    # (and an old record's other fields, invalid by today's rules, must not stop the removal).
    update_fields = [*PERSON_CLEARED, "iin_missing_reason", "name_folded", "name_skeleton", "anonymised_at"]
    if _has_version():
        # A form opened before the anonymisation must not write the old name back.
        person.version = F("version") + 1
        update_fields.append("version")
    person.save(update_fields=[*update_fields, "updated_at"])
    person.refresh_from_db()
    name_tokens_save(person)


def _has_version() -> bool:
    try:
        Person._meta.get_field("version")
    except FieldDoesNotExist:
        return False
    return True


def _anonymise_one(*, actor, person: Person, moment: dt.datetime, note: str) -> list[str]:
    stored = _clear_records(person)
    _clear_person(person, moment)
    audit_record(
        actor=actor,
        action=AuditAction.ANONYMISE,
        obj=person,
        subject_person_id=person.pk,
        changes={"cleared": [None, list(PERSON_CLEARED)]},
        note=note,
    )
    # Records merged into this one hold the same human's old data.
    for duplicate in Person.objects.filter(merged_into=person, anonymised_at__isnull=True):
        stored += _anonymise_one(actor=actor, person=duplicate, moment=moment, note="merged record")
    return stored


def _family_done(family_id) -> bool:
    """Whether every member of the family who was served themselves is anonymised."""
    return not (
        Person.objects.filter(family_links__family_id=family_id, anonymised_at__isnull=True)
        .filter(_served())
        .exists()
    )


def _anonymise_families(*, actor, person: Person, moment: dt.datetime) -> list[str]:
    stored: list[str] = []
    for family in Family.objects.filter(members__person=person).distinct():
        if not _family_done(family.pk):
            continue
        family.name = ANONYMISED
        family.address = ""
        family.difficult_situation_grounds = ""
        family.save(update_fields=["name", "address", "difficult_situation_grounds", "updated_at"])
        _scrub_appeals(Appeal.objects.filter(family=family))
        AidDistribution.objects.filter(family=family).update(note="")
        audit_record(
            actor=actor,
            action=AuditAction.ANONYMISE,
            obj=family,
            changes={"cleared": [None, ["name", "address", "difficult_situation_grounds"]]},
        )
        relatives = (
            Person.objects.filter(family_links__family=family, anonymised_at__isnull=True)
            .exclude(_served())
            .distinct()
        )
        for relative in relatives:
            others = FamilyMember.objects.filter(person=relative).exclude(family=family)
            if all(_family_done(f) for f in others.values_list("family_id", flat=True)):
                stored += _anonymise_one(actor=actor, person=relative, moment=moment, note="family member")
    return stored


def person_anonymise(*, actor, person: Person) -> Person:
    """Remove `person`'s identifying data and the free text about them, keep what the statistics count (see
    the module's docstring). Refused while something is still going on for them; audited."""
    require(actor, "people.retention")
    if person.anonymised_at is not None:
        raise ValidationError(_("This person's record has already been anonymised."))
    today = timezone.localdate()
    if Person.objects.filter(pk=person.pk).filter(_ongoing(today)).exists():
        raise ValidationError(
            _("This person still has an open case, appeal, residence or course: it cannot be anonymised.")
        )
    moment = timezone.now()
    with transaction.atomic():
        stored = _anonymise_one(actor=actor, person=person, moment=moment, note="retention")
        stored += _anonymise_families(actor=actor, person=person, moment=moment)
        storage = CaseDocument._meta.get_field("file").storage
        for name in stored:
            transaction.on_commit(lambda name=name: storage.delete(name))
    return person


# -- the run -----------------------------------------------------------------------------------------------


@dataclass
class OrganisationFigure:
    organisation_id: object
    organisation: str
    persons: int


@dataclass
class RetentionReport:
    """What a retention run found (a dry run) or did: the persons due, in total and by organisation."""

    day: dt.date
    rules: dict[str, int]
    dry_run: bool
    due: int
    organisations: list[OrganisationFigure] = field(default_factory=list)
    anonymised: int = 0


def _by_organisation(due: QuerySet[Person]) -> list[OrganisationFigure]:
    """Persons due per organisation that served them (cases; appeals for persons without cases). A person
    served by two organisations counts in both; the report's total counts them once."""
    counts: dict = defaultdict(int)
    by_case = Case.objects.filter(person__in=due.values("pk")).values("organisation_id")
    for row in by_case.annotate(persons=Count("person", distinct=True)).order_by():
        counts[row["organisation_id"]] += row["persons"]
    without_cases = due.exclude(Exists(Case.objects.filter(person=OuterRef("pk")))).values("pk")
    by_appeal = Appeal.objects.filter(person__in=without_cases).values("organisation_id")
    for row in by_appeal.annotate(persons=Count("person", distinct=True)).order_by():
        counts[row["organisation_id"]] += row["persons"]
    organisations = Organisation.objects.in_bulk(list(counts))
    figures = [
        OrganisationFigure(pk, str(organisations[pk]) if pk in organisations else str(pk), n)
        for pk, n in counts.items()
    ]
    return sorted(figures, key=lambda figure: (-figure.persons, figure.organisation))


def retention_report(*, actor, now: dt.datetime | None = None) -> RetentionReport:
    """The dry run: who would be anonymised today, by organisation; nothing changes (the look is audited)."""
    return retention_run(actor=actor, dry_run=True, now=now)


def retention_run(*, actor, dry_run: bool = True, now: dt.datetime | None = None) -> RetentionReport:
    """Anonymise every person due (`dry_run=False`), each in their own transaction, and record a summary
    audit event; with `dry_run` only count them."""
    require(actor, "people.retention")
    due = retention_due(now=now)
    report = RetentionReport(
        day=_today(now),
        rules=dict(settings.TIREK_RETENTION),
        dry_run=dry_run,
        due=due.count(),
        organisations=_by_organisation(due),
    )
    summary = {
        "due": [None, report.due],
        "organisations": [None, {str(f.organisation_id): f.persons for f in report.organisations}],
    }
    if dry_run:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type=OBJECT_TYPE,
            object_repr="retention dry run",
            changes=summary,
        )
        return report
    anonymised = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Checked again under a lock: a case may have reopened since the list was read.
            person = retention_due(now=now).select_for_update().filter(pk=pk).first()
            if person is None:
                continue
            person_anonymise(actor=actor, person=person)
            anonymised += 1
    report.anonymised = anonymised
    audit_record(
        actor=actor,
        action=AuditAction.ANONYMISE,
        object_type=OBJECT_TYPE,
        object_repr="retention run",
        changes={**summary, "anonymised": [None, anonymised]},
        note=", ".join(f"{name}: {years}" for name, years in report.rules.items()),
    )
    return report
