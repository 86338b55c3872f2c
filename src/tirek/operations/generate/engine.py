"""National-scale fictional data for benchmarks and demonstrations (`tirek generate`).

Builds organisations across the regions of the directory, their programmes (with yearly capacity and
target) and staff, then persons with Kazakh and Russian names, valid synthetic IINs and ages that fit their
programmes, families, cases (open and closed with their reasons), consents, plans with goals, services and
reviews, sessions (mostly attended, some cancelled or missed), group activities with their participants,
appeals, material aid, outcomes and referrals between organisations — with the distributions of the seed
articles (programme mix, session frequencies, formats and modes, appeal categories).

Every row the services would write alongside a record is written too: the register's name keys and name
words, PersonAccess for the registering organisation, each case's organisation and each live referral's
receiver, case, appeal and referral numbers with their counters, a session's end time and its case's
organisation. History lines (case events) and audit events are not written: nobody did these acts.

The same generator writes through two sinks: on PostgreSQL each table is streamed with COPY (ids made
here, the indexes and foreign keys of the largest tables rebuilt after loading), elsewhere (SQLite, small
numbers) through `bulk_create` in batches. One seed gives the same data on every run of the same day.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from tirek.accounts.models import User
from tirek.directory.models import Organisation
from tirek.operations.generate.cases import CaseSteps
from tirek.operations.generate.organisations import OrganisationSteps
from tirek.operations.generate.persons import PersonSteps
from tirek.operations.generate.plans import PlanSteps
from tirek.operations.generate.referrals import ReferralSteps
from tirek.operations.generate.scale import Scale
from tirek.operations.generate.sinks import CopySink, OrmSink, Sink
from tirek.operations.generate.support import SupportSteps
from tirek.operations.generate.visits import VisitSteps
from tirek.operations.generate.vocabulary import MARK, USER_PREFIX
from tirek.people.models import Person


class ForeignData(Exception):
    """The database holds data the generator did not make."""


# -- the generator --


def foreign_data() -> dict[str, int]:
    """What the database holds that the generator did not make (empty when nothing)."""

    tables = set(connection.introspection.table_names())
    if Person._meta.db_table not in tables:
        return {}
    found = {
        "organisations": Organisation.objects.exclude(name_en__startswith=MARK).count(),
        "users": User.objects.exclude(username__startswith=USER_PREFIX).count(),
        "persons": Person.objects.exclude(registered_by__name_en__startswith=MARK).count(),
    }
    return {k: v for k, v in found.items() if v}


def generated_persons() -> int:

    return Person.objects.filter(registered_by__name_en__startswith=MARK).count()


class Generator(
    OrganisationSteps, PersonSteps, CaseSteps, ReferralSteps, PlanSteps, VisitSteps, SupportSteps
):
    """One run: the steps (each in its module) share the random source, the sink and what was made."""

    def __init__(self, scale: Scale, *, log: Callable[[str], None] = print) -> None:
        self.scale = scale
        self.log = log
        self.rng = random.Random(scale.seed)  # noqa: S311 (synthetic data)
        self.today = scale.today
        self.first_day = scale.first_day
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()
        self.sink: Sink = CopySink(log) if connection.vendor == "postgresql" else OrmSink(log)
        self.timings: list[tuple[str, float]] = []
        self.iins: set[str] = set()
        self.phones: set[str] = set()
        self.id_base = self.rng.getrandbits(64) << 64
        self.id_next = 0
        self.new_accesses: list[tuple] = []

    # ids: random version-4 looking for persons (as the services make them), time-ordered elsewhere so that
    # the big tables' primary keys load in order.
    def random_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def next_id(self) -> uuid.UUID:
        self.id_next += 1
        return uuid.UUID(int=self.id_base | self.id_next)

    def step(self, label: str, function: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
        self.timings.append((label, elapsed))
        self.log(f"  {label}: {elapsed:.1f} s")
        return result

    def run(self) -> dict[str, int]:
        started = time.perf_counter()
        s = self.scale
        self.log(
            f"Generating {s.persons:,} persons in {s.organisations} organisations over {s.years} years, "
            f"about {s.visits_per_case} sessions a case (seed {s.seed}) into {connection.vendor}."
        )
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            self.step("reference data, organisations, staff", self.make_organisations)
            self.step("persons, families, name words, access", self.make_persons)
            self.step("cases, referrals, consents, counters", self.make_cases)
            self.step("plans, goals, services, reviews", self.make_plans)
            self.step("group activities and participants", self.make_groups)
            self.step("sessions", self.make_visits)
            self.step("appeals, aid, outcomes", self.make_support)
        if connection.vendor == "postgresql":
            self.step("ANALYZE", lambda: connection.cursor().execute("ANALYZE"))
        total = time.perf_counter() - started
        self.timings.append(("total", total))
        counts = dict(self.sink.counts)
        self.log(f"Done in {total:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        return counts


# -- removing what was generated --


# The tables the generator writes, children first (and the tables pointing at them that the application may
# have filled since, such as audit events and history lines).
def _generated_models() -> list:

    names = [
        "services.VisitGoal",
        "services.Visit",
        "services.GroupParticipant",
        "services.GroupActivity",
        "support.Outcome",
        "support.AidDistribution",
        "support.AppealEvent",
        "support.Appeal",
        "support.AppealCounter",
        "referrals.ReferralEvent",
        "referrals.Referral",
        "referrals.ReferralCounter",
        "plans.GoalProgress",
        "plans.PlanReview",
        "plans.PlannedService",
        "plans.PlanGoal",
        "plans.Plan",
        "cases.CaseEvent",
        "cases.Case",
        "cases.CaseCounter",
        "people.Consent",
        "people.FamilyMember",
        "people.Family",
        "people.PersonAccess",
        "people.PersonNameToken",
        "people.Person",
        "audit.AuditEvent",
        "accounts.Membership",
        "accounts.User",
        "directory.Programme",
        "directory.Organisation",
    ]
    return [apps.get_model(name) for name in names]


def wipe(log: Callable[[str], None] = print) -> None:
    """Remove everything generated (only ever called on a database holding nothing else)."""
    if foreign_data():
        raise ForeignData("The database holds data the generator did not make: nothing removed.")
    started = time.perf_counter()
    models_ = _generated_models()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(f'"{m._meta.db_table}"' for m in models_)
            # Checks still deferred in an enclosing transaction would make TRUNCATE refuse: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        else:
            for model in models_:
                for m2m in model._meta.local_many_to_many:
                    m2m.remote_field.through.objects.all()._raw_delete(connection.alias)
                model.objects.all()._raw_delete(connection.alias)
    log(f"Removed the generated data in {time.perf_counter() - started:.1f} s.")


def generate(scale: Scale, *, force: bool = False, replace: bool = False, log=print) -> Generator:
    """Generate `scale` into the default database; refuses one holding other data unless `force`."""
    found = foreign_data()
    if found and not force:
        what = ", ".join(f"{count:,} {name}" for name, count in found.items())
        raise ForeignData(f"The database holds data not made by the generator ({what}): use --force.")
    if generated_persons() or _generated_organisations():
        if not replace:
            raise ForeignData("The database already holds generated data: use --replace to make it again.")
        wipe(log)
    generator = Generator(scale, log=log)
    generator.run()
    return generator


def _generated_organisations() -> int:

    return Organisation.objects.filter(name_en__startswith=MARK).count()
