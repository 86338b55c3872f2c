"""Cases, open and closed with their reasons, their teams, consents and counters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tirek.cases.models import Case, CaseCounter
from tirek.operations.generate.scale import CaseRow, Org
from tirek.operations.generate.vocabulary import (
    CHILD_PROGRAMMES,
    CLOSURE_REASONS,
    DESTINATIONS,
    EXIT_RATED,
    PROGRAMME_PROFESSIONS,
    REFERRAL_SOURCES,
    YOUTH_PROGRAMMES,
    weighted,
)
from tirek.people.models import Consent, PersonAccess


class CaseSteps:
    """Cases, open and closed with their reasons, their teams, consents, counters (a part of `Generator`)."""

    def make_cases(self) -> None:
        rng = self.rng
        self.cases: list[CaseRow] = []
        self.case_rows: list[tuple] = []
        self.team_rows: list[tuple] = []
        self.counters: dict[tuple, int] = defaultdict(int)
        self.consents: dict = {}
        # About 40 % of persons have a case: the share of clients that get one.
        share = min(1.0, 0.4 * self.person_count / max(1, len(self.clients)))
        for person, birth, org, programme, reference, _family in self.clients:
            if rng.random() >= share:
                continue
            self.open_case(person, birth, org, programme, reference, source=None)
        self.log(f"    {len(self.cases):,} cases before referrals")
        self.make_referrals()

    def pick_team(self, org: Org, pkind: str) -> list[tuple]:
        rng = self.rng
        weights = {c: w for c, w in PROGRAMME_PROFESSIONS[pkind].items() if org.by_profession.get(c)}
        if not weights:
            return [rng.choice(org.specialists)]
        pick = weighted(rng, weights)
        team: dict = {}
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            code = pick()
            pk = rng.choice(org.by_profession[code])
            team[pk] = code
        return list(team.items())

    def open_case(
        self,
        person,
        birth,
        org: Org,
        programme,
        opened: dt.date,
        *,
        source: str | None,
        received: dt.date | None = None,
        status: str | None = None,
    ) -> CaseRow:
        rng = self.rng
        ppk, pkind, _low, high = programme
        reason = None
        # How long the work lasts: months, with a long tail; a programme with an age limit ends there.
        months = rng.choice((3, 6, 9, 12, 18, 24, 24, 30, 36, 48))
        end = opened + dt.timedelta(days=round(months * 30.44 * rng.uniform(0.7, 1.3)))
        if high is not None:
            aged_out = birth + dt.timedelta(days=round(high * 30.44))
            if aged_out < end:
                end, reason = aged_out, "aged_out"
        if end < opened:
            end = opened + dt.timedelta(days=30)
        closed = end if end < self.today and status is None else None
        if closed is not None:
            status = "closed"
            reason = reason or weighted(rng, CLOSURE_REASONS)()
        elif status is None:
            age = (self.today - opened).days
            status = "active" if age > 45 or rng.random() < 0.6 else rng.choice(("intake", "referred"))
        if pkind == "early_intervention":
            kind_sources = "early_intervention"
        elif pkind in CHILD_PROGRAMMES:
            kind_sources = "child"
        elif pkind in YOUTH_PROGRAMMES:
            kind_sources = "youth"
        else:
            kind_sources = "family"
        source = source or weighted(rng, REFERRAL_SOURCES[kind_sources])()
        received = received or opened - dt.timedelta(days=rng.choice((0, 0, 1, 3, 7, 14)))
        self.counters[(org.pk, opened.year)] += 1
        number = f"{org.prefix}-{opened.year}-{self.counters[(org.pk, opened.year)]:05d}"
        pk = self.next_id()
        team = self.pick_team(org, pkind)
        child = pkind in CHILD_PROGRAMMES
        entry = [None, None, None, None]
        exit_ = [None, None, None, None]
        if child and rng.random() < 0.8:
            entry = [opened, rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5)]
        destination = ""
        if status == "closed":
            destination = weighted(rng, DESTINATIONS.get(pkind, {"none": 3, "other_programme": 1}))()
            if reason in EXIT_RATED or (child and rng.random() < 0.3):
                exit_ = [closed, rng.randint(3, 7), rng.randint(3, 7), rng.randint(3, 7)]
        coordinator = rng.choice(org.coordinators)
        self.case_rows.append(
            (
                pk,
                org.pk,
                ppk,
                person,
                number,
                status,
                opened,
                source,
                received,
                coordinator,
                closed,
                self.reasons.get(reason) if status == "closed" else None,
                destination,
                *entry,
                *exit_,
            )
        )
        self.team_rows.extend((pk, user) for user, _code in team)
        case = CaseRow(pk, org, programme, person, birth, opened, closed, status, team)
        self.cases.append(case)
        if (org.pk, person) not in self.accesses:
            self.accesses.add((org.pk, person))
            self.new_accesses.append((org.pk, person, "case"))
        if person not in self.consents:
            self.consents[person] = (self.next_id(), person, received, org.pk, coordinator)
        return case

    def write_cases(self) -> None:

        columns = [
            "id",
            "organisation_id",
            "programme_id",
            "person_id",
            "number",
            "status",
            "opened_on",
            "referral_source",
            "referral_received_on",
            "coordinator_id",
            "closed_on",
            "closure_reason_id",
            "closure_destination",
            "entry_rated_on",
            "entry_social",
            "entry_knowledge",
            "entry_needs",
            "exit_rated_on",
            "exit_social",
            "exit_knowledge",
            "exit_needs",
        ]
        self.sink.write(Case, columns, self.case_rows, expected=len(self.case_rows))
        self.sink.write(
            Case.team.through, ["case_id", "user_id"], self.team_rows, expected=len(self.team_rows)
        )
        self.sink.write(
            CaseCounter,
            ["organisation_id", "year", "last"],
            [(o, y, last) for (o, y), last in sorted(self.counters.items())],
        )
        self.sink.write(PersonAccess, ["organisation_id", "person_id", "reason"], self.new_accesses)
        self.new_accesses = []
        # A consent to services (and to sharing with the organisations a referral goes to) for every person
        # with a case: an active case needs one. A child's is given by the legal representative.
        rows = []
        for pk, person, given, organisation, recorder in self.consents.values():
            family = self.family_of.get(person)
            giver = self.representative.get(family, person) if family else person
            rows.append(
                (
                    pk,
                    person,
                    giver,
                    ["services", "data_processing", "sharing"],
                    True,
                    given,
                    f"№{self.rng.randint(1, 999)}",
                    organisation,
                    recorder,
                )
            )
        self.sink.write(
            Consent,
            [
                "id",
                "person_id",
                "given_by_id",
                "purposes",
                "share_with_referral_targets",
                "given_on",
                "document_reference",
                "recorded_by_id",
                "recorded_by_user_id",
            ],
            rows,
        )
        self.case_count = len(self.case_rows)
        self.log(f"    {len(self.case_rows):,} cases")
        self.case_rows = []
