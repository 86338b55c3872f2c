"""Writing the planned households through the services, as each organisation's staff would."""

from __future__ import annotations

import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from tirek.accounts.choices import Role
from tirek.accounts.models import Membership, User
from tirek.accounts.services import staff_add, user_switch_organisation
from tirek.audit.writes import create_audited
from tirek.cases.choices import EXIT_RATINGS_REQUIRED_FOR, CaseStatus, ClosureDestination
from tirek.cases.models import Case
from tirek.cases.services import case_change_status, case_close, case_open
from tirek.catalog.models import ClosureReason, Diagnosis
from tirek.directory.models import Organisation, Programme
from tirek.directory.services import organisation_update
from tirek.operations.demo.organisations import DEMO_PASSWORD
from tirek.operations.demo.people.planning import (
    CasePlan,
    Household,
    Planner,
    synthetic_iin,
)
from tirek.operations.demo.people.vocabulary import (
    CASE_PREFIXES,
    CLOSURES,
    COORDINATORS,
    KNOWN_MANAGERS,
    NEW_MANAGERS,
    REF_PREFIX,
    TEAMS,
)
from tirek.people.choices import ConsentPurpose
from tirek.people.models import Consent, ExternalReference, Family, FamilyMember, Person, PersonDiagnosis
from tirek.people.services import (
    consent_record,
    family_create,
    family_member_add,
    person_diagnosis_add,
    person_register,
)


def _managers(organisations: dict[str, Organisation], users: dict[str, User], admin: User) -> dict[str, User]:

    managers = {key: users[username] for key, username in KNOWN_MANAGERS.items() if username in users}
    for key, (username, last, first, patronymic) in NEW_MANAGERS.items():
        organisation = organisations[key]
        membership = Membership.objects.filter(user__username=username, organisation=organisation).first()
        if membership is None:
            membership = staff_add(
                actor=admin,
                organisation=organisation,
                username=username,
                role=Role.MANAGER,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                send_invitation=False,
            )
        user = membership.user
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        managers[key] = user
    return managers


def _acting(user: User, organisation: Organisation) -> User:
    """`user`, acting in `organisation` (switched there through the service if they act elsewhere)."""
    user.forget_roles()
    if user.active_organisation_id_checked() != organisation.pk:
        user_switch_organisation(user=user, organisation_id=organisation.pk)
        user.forget_roles()
    return user


def _write(household: Household, ctx: dict, created: Counter) -> list[tuple[CasePlan, Person]]:
    """Register a household's persons, family and consents; returns its cases, to be opened in date order."""
    organisations, actors = ctx["organisations"], ctx["actors"]
    organisation = organisations[household.org]
    actor = _acting(actors[household.org], organisation)
    saved: dict[int, Person] = {}
    for plan in household.persons:
        iin = plan.iin
        while iin and Person.objects.filter(iin=iin).exists():  # someone outside the demo holds it
            iin = synthetic_iin(plan.birth_date, plan.sex, int(iin[7:11]) + 1)[0]
        person = person_register(
            actor=actor,
            organisation=organisation,
            iin=iin,
            iin_missing_reason=plan.iin_missing_reason if not iin else "",
            surname=plan.surname,
            given_name=plan.given_name,
            patronymic=plan.patronymic,
            birth_date=plan.birth_date,
            sex=plan.sex,
            citizenship=plan.citizenship,
            region=organisation.region,
            locality=household.locality,
            street=household.street,
            phone=plan.phone,
            home_languages=plan.home_languages,
            disability_status=plan.disability_status,
        )
        create_audited(
            actor=actor,
            instance=ExternalReference(organisation=organisation, external_id=plan.ref, person=person),
            organisation=organisation,
            subject_person_id=person.pk,
        )
        saved[id(plan)] = person
        created["persons"] += 1
        for code, on, source in plan.diagnoses:
            person_diagnosis_add(
                actor=actor, person=person, diagnosis=ctx["diagnoses"][code], diagnosed_on=on, source=source
            )
            created["diagnoses"] += 1
    if household.family is not None:
        family = family_create(
            actor=actor, organisation=organisation, region=organisation.region, **household.family
        )
        created["families"] += 1
        for plan, role, representative in household.members:
            family_member_add(
                actor=actor,
                family=family,
                person=saved[id(plan)],
                role=role,
                is_legal_representative=representative,
            )
    for number, (plan, given_by, purposes, given_on) in enumerate(household.consents, 1):
        consent_record(
            actor=actor,
            organisation=organisation,
            person=saved[id(plan)],
            given_by=saved[id(given_by)],
            purposes=purposes,
            given_on=given_on,
            share_with_referral_targets=ConsentPurpose.SHARING in purposes,
            document_reference=f"№ {plan.ref[len(REF_PREFIX) :]}/{number} {given_on:%d.%m.%Y}",
        )
        created["consents"] += 1
    return [(plan, saved[id(plan.person)]) for plan in household.cases]


def _write_case(plan: CasePlan, person: Person, ctx: dict) -> Case:
    organisation = ctx["organisations"][plan.org]
    actor = _acting(ctx["actors"][plan.org], organisation)
    users = ctx["users"]
    coordinator = users.get(COORDINATORS.get(plan.org, ""), actor) if plan.with_coordinator else None
    team = [users[u] for u in TEAMS.get(plan.org, ()) if u in users] if plan.with_team else []
    case = case_open(
        actor=actor,
        organisation=organisation,
        person=person,
        programme=ctx["programmes"][(plan.org, plan.kind)],
        referral_source=plan.source,
        opened_on=plan.opened_on,
        referral_received_on=plan.received_on,
        status=plan.status,
        coordinator=coordinator,
        team=team,
        override_reason=plan.override,
    )
    if plan.activate:
        case = case_change_status(actor=actor, case=case, status=CaseStatus.ACTIVE)
    if plan.closure is not None:
        code, closed_on = plan.closure
        served_to_the_end = code in EXIT_RATINGS_REQUIRED_FOR
        case = case_close(
            actor=actor,
            case=case,
            reason=ctx["reasons"][code],
            destination=DEMO_DESTINATIONS.get(code, ClosureDestination.NONE),
            closed_on=closed_on,
            note=CLOSURES[code],
            **({"exit_social": 5, "exit_knowledge": 4, "exit_needs": 5} if served_to_the_end else {}),
        )
    return case


# Where the demo's closed cases went, by closure reason.
DEMO_DESTINATIONS = {
    "completed": ClosureDestination.KINDERGARTEN,
    "aged_out": ClosureDestination.SPECIAL_KINDERGARTEN,
    "transferred": ClosureDestination.OTHER_PROGRAMME,
}


def _case_prefixes(organisations: dict[str, Organisation], admin: User) -> None:
    for key, prefix in CASE_PREFIXES.items():
        organisation = organisations[key]
        if not organisation.case_prefix:
            organisation_update(actor=admin, organisation=organisation, case_prefix=prefix)


def demo_counts() -> dict:
    """What the demo persons amount to now (whoever created them)."""
    ids = ExternalReference.objects.filter(external_id__startswith=REF_PREFIX).values("person_id")
    cases = Case.objects.filter(person_id__in=ids)
    by_status = Counter(cases.values_list("status", flat=True))
    return {
        "persons": Person.objects.filter(pk__in=ids).count(),
        "without_iin": Person.objects.filter(pk__in=ids, iin__isnull=True).count(),
        "families": Family.objects.filter(members__person_id__in=ids).distinct().count(),
        "family_members": FamilyMember.objects.filter(person_id__in=ids).count(),
        "consents": Consent.objects.filter(person_id__in=ids).count(),
        "diagnoses": PersonDiagnosis.objects.filter(person_id__in=ids).count(),
        "cases": sum(by_status.values()),
        **{f"cases_{status}": by_status.get(status, 0) for status in CaseStatus.values},
    }


def load_demo_people(
    *, organisations: dict[str, Organisation], users: dict[str, User] | None = None, seed: int = 2026
) -> dict:
    """Register the demo persons, families, consents, cases and diagnoses; returns the counts.

    `organisations` are the demo organisations by their key in the demo command; `users` the demo users by
    username (read from the database when not given). Returns the totals (`demo_counts`) and, under
    `created`, what this run added.
    """
    if users is None:
        users = {u.username: u for u in User.objects.filter(is_active=True)}
    admin = users["admin"]
    admin.forget_roles()
    today = timezone.localdate()
    with transaction.atomic():
        _case_prefixes(organisations, admin)
        actors = _managers(organisations, users, admin)
        users = {**users, **{u.username: u for u in actors.values()}}
        programmes = {
            (key, p.kind): p
            for key, organisation in organisations.items()
            for p in Programme.objects.filter(organisation=organisation, is_active=True)
        }
        regions = {key: organisation.region.kato for key, organisation in organisations.items()}
        rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        households = Planner(rng, today, programmes, regions).plan()
        ctx = {
            "organisations": organisations,
            "actors": actors,
            "users": users,
            "programmes": programmes,
            "diagnoses": {d.code: d for d in Diagnosis.objects.all()},
            "reasons": {r.code: r for r in ClosureReason.objects.all()},
        }
        known = set(
            ExternalReference.objects.filter(external_id__startswith=REF_PREFIX).values_list(
                "organisation_id", "external_id"
            )
        )
        created: Counter = Counter()
        cases: list[tuple[CasePlan, Person]] = []
        for household in households:
            if (organisations[household.org].pk, household.persons[0].ref) in known:
                continue
            cases += _write(household, ctx, created)
            created["households"] += 1
        # In the order they were opened, so that case numbers run with the dates.
        for plan, person in sorted(cases, key=lambda item: item[0].opened_on):
            _write_case(plan, person, ctx)
            created["cases"] += 1
    return {
        **demo_counts(),
        "created": dict(created),
        "new_managers": [username for username, *_names in NEW_MANAGERS.values()],
    }
