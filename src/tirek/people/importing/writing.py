"""Writing a checked journal through the register's and the cases' services, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.audit.writes import create_audited
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.cases.services import case_open
from tirek.core.errors import NotAllowed, validation_fields
from tirek.core.scoping import require
from tirek.people.choices import FamilyRole
from tirek.people.importing.checking import (
    _Checker,
    _current,
    _Plan,
)
from tirek.people.importing.columns import (
    COLUMNS_BY_KEY,
    _capped,
    _problem,
)
from tirek.people.importing.reading import (
    FileRefused,
    parse,
)
from tirek.people.models import ExternalReference, FamilyMember, Person
from tirek.people.services import family_create, family_member_add, person_register


@dataclass
class ImportResult:
    """What an import did, or the problems that kept it from doing anything."""

    rows: int = 0
    created: int = 0
    matched: int = 0
    cases_opened: int = 0
    parents_created: int = 0
    families_created: int = 0
    dry_run: bool = False
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "matched": self.matched,
            "cases_opened": self.cases_opened,
            "parents_created": self.parents_created,
            "families_created": self.families_created,
            "dry_run": self.dry_run,
        }

    def summary(self) -> str:
        counts = {
            "rows": self.rows,
            "created": self.created,
            "matched": self.matched,
            "cases": self.cases_opened,
            "parents": self.parents_created,
        }
        if self.dry_run:
            text = ngettext(
                "The file has no problems: %(rows)s row can be imported.",
                "The file has no problems: %(rows)s rows can be imported.",
                self.rows,
            )
        else:
            text = ngettext("Imported %(rows)s row.", "Imported %(rows)s rows.", self.rows)
        return " ".join(
            (
                text % counts,
                _(
                    "New persons: %(created)s; already registered: %(matched)s; cases opened: %(cases)s; "
                    "parents registered: %(parents)s."
                )
                % counts,
            )
        )


class _RowFailed(Exception):
    def __init__(self, problems: list[dict[str, Any]]):
        super().__init__(problems)
        self.problems = problems


def _service_problems(plan: _Plan, error: ValidationError, prefix: str = "") -> list[dict[str, Any]]:
    problems = []
    for name, messages in validation_fields(error).items():
        key = f"{prefix}{name}" if f"{prefix}{name}" in COLUMNS_BY_KEY else ""
        if name == "referral_received_on":
            key = "opened_on"
        for message in messages:
            problems.append(
                _problem(plan.row.number, key, "invalid", message, plan.row.values.get(key) if key else "")
            )
    return problems


def import_persons(
    *, actor, organisation, file_bytes: bytes, filename: str, dry_run: bool = False
) -> ImportResult:
    """Import a journal into `organisation`: everything, or nothing and the problems.

    With `dry_run` the import is done as for real and then rolled back: the answer is the same as a real
    import's, and nothing is written. The actor must be acting in `organisation`.
    """
    require(actor, "people.import", organisation)
    if actor.active_organisation_id_checked() != organisation.pk:
        raise NotAllowed("people.import")
    try:
        journal = parse(file_bytes, filename)
    except FileRefused as refused:
        return ImportResult(dry_run=dry_run, problems=refused.problems)
    plans, problems = _Checker(journal, organisation).check()
    result = ImportResult(rows=len(journal.rows), dry_run=dry_run, problems=_capped(problems))
    if problems:
        return result
    try:
        with transaction.atomic():
            _write(plans, actor=actor, organisation=organisation, result=result)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                organisation=organisation,
                object_type="people.import",
                object_repr=PurePath(filename).name,
                note=(
                    f"rows={result.rows} created={result.created} matched={result.matched} "
                    f"cases_opened={result.cases_opened} parents_created={result.parents_created} "
                    f"families_created={result.families_created}"
                ),
            )
            if dry_run:
                transaction.set_rollback(True)
    except _RowFailed as failed:
        return ImportResult(rows=len(journal.rows), dry_run=dry_run, problems=failed.problems)
    except IntegrityError:
        return ImportResult(
            rows=len(journal.rows),
            dry_run=dry_run,
            problems=[
                _problem(
                    None,
                    "",
                    "conflict",
                    _("Someone registered one of these persons meanwhile: import the file again."),
                )
            ],
        )
    return result


def _write(plans: list[_Plan], *, actor, organisation, result: ImportResult) -> None:
    known: dict[str, Person] = {}  # persons of this import by IIN, so later rows find them
    for plan in plans:
        try:
            person, created = _person(plan, actor=actor, organisation=organisation, known=known)
        except ValidationError as error:
            raise _RowFailed(_service_problems(plan, error)) from error
        result.created += created
        result.matched += not created
        try:
            if plan.external_id and not plan.has_reference:
                create_audited(
                    actor=actor,
                    instance=ExternalReference(
                        organisation=organisation, external_id=plan.external_id, person=person
                    ),
                    organisation=organisation,
                    subject_person_id=person.pk,
                )
            if plan.parent is not None:
                _family(
                    plan, person, created, actor=actor, organisation=organisation, known=known, result=result
                )
            if plan.programme is not None and not (
                Case.objects.filter(person=person, programme=plan.programme)
                .exclude(status=CaseStatus.CLOSED)
                .exists()
            ):
                case_open(
                    actor=actor,
                    organisation=organisation,
                    person=person,
                    programme=plan.programme,
                    referral_source=plan.referral_source,
                    opened_on=plan.opened_on,
                )
                result.cases_opened += 1
        except ValidationError as error:
            raise _RowFailed(_service_problems(plan, error)) from error


def _person(plan: _Plan, *, actor, organisation, known: dict[str, Person]) -> tuple[Person, bool]:
    iin = plan.fields["iin"]
    person = plan.person or (known.get(iin) if iin else None)
    if person is not None:
        return person, False
    person = person_register(actor=actor, organisation=organisation, **plan.fields)
    if iin:
        known[iin] = person
    return person, True


def _family(
    plan: _Plan, child: Person, child_created: bool, *, actor, organisation, known, result: ImportResult
) -> None:
    # A child already in a family keeps it: the journal does not rebuild families, and a parent without an
    # IIN could otherwise be registered again on every import of the same file.
    if not child_created and FamilyMember.objects.filter(person=child).exists():
        return
    fields = dict(plan.parent)
    iin = fields["iin"]
    parent = known.get(iin) or (Person.objects.filter(iin=iin).first() if iin else None)
    if parent is None:
        try:
            parent = person_register(actor=actor, organisation=organisation, **fields)
        except ValidationError as error:
            raise _RowFailed(_service_problems(plan, error, prefix="parent_")) from error
        result.parents_created += 1
        if iin:
            known[iin] = parent
    else:
        parent = _current(parent)
    link = (
        FamilyMember.objects.filter(person=parent)
        .exclude(role__in=[FamilyRole.CHILD, FamilyRole.SIBLING])
        .select_related("family")
        .first()
    )
    if link is None:
        address = ", ".join(part for part in (fields["locality"], fields["street"]) if part)
        family = family_create(
            actor=actor,
            organisation=organisation,
            name=parent.surname,
            region=fields["region"],
            address=address,
        )
        result.families_created += 1
        family_member_add(
            actor=actor, family=family, person=parent, role=plan.parent_role, is_legal_representative=True
        )
    else:
        family = link.family
    if not FamilyMember.objects.filter(family=family, person=child).exists():
        family_member_add(actor=actor, family=family, person=child, role=FamilyRole.CHILD)


# ---------------------------------------------------------------------------------------------------------
# The template
