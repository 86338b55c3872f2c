"""Appeals, material aid and outcomes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from tirek.operations.generate.scale import Org
from tirek.operations.generate.vocabulary import (
    APPEAL_CATEGORIES,
    APPEAL_CHANNELS,
    APPEAL_OUTCOMES,
    APPEAL_TEXTS,
    CHILD_PROGRAMMES,
    DEADLINE_DAYS,
    FUNDERS,
    YOUTH_PROGRAMMES,
    weighted,
)
from tirek.support.models import AidDistribution, Appeal, AppealCounter, Outcome


class SupportSteps:
    """Appeals, material aid and outcomes (a part of `Generator`)."""

    def make_support(self) -> None:

        rng = self.rng
        appeals, counters, aid, outcomes = [], defaultdict(int), [], []
        category_pick = weighted(rng, APPEAL_CATEGORIES)
        channel_pick = weighted(rng, APPEAL_CHANNELS)
        status_pick = weighted(
            rng,
            {
                "resolved": 62,
                "rejected": 5,
                "withdrawn": 5,
                "in_progress": 12,
                "registered": 10,
                "forwarded": 6,
            },
        )
        result_pick = weighted(rng, {"satisfied": 50, "partly_satisfied": 25, "explained": 25})
        rate = {"care_leaver_association": 0.6, "youth_house": 0.5, "family_support": 0.25}
        for org in self.orgs:
            persons = self.persons_by_org.get(org.pk, [])
            if not persons:
                continue
            count = round(len(persons) * rate.get(org.kind, 0.03))
            workers = (
                org.by_profession.get("social_worker")
                or org.by_profession.get("lawyer")
                or [pk for pk, _c in org.specialists]
            )
            for _ in range(count):
                day = self.day_between(self.first_day, self.today)
                received = self.moment(day, rng.randint(9 * 60, 18 * 60))
                if received > self.now:
                    received = self.now - dt.timedelta(minutes=5)
                    day = timezone.localdate(received)
                category = category_pick()
                anonymous = rng.random() < 0.15
                person = None if anonymous else rng.choice(persons)
                status = status_pick()
                age = (self.today - day).days
                if age < 3:
                    status = "registered"
                elif age > 90 and status in ("registered", "in_progress") and rng.random() < 0.8:
                    status = "resolved"
                due = day + dt.timedelta(days=DEADLINE_DAYS[category])
                closed = None
                if status in ("resolved", "rejected", "withdrawn"):
                    closed = min(
                        day + dt.timedelta(days=rng.randint(1, round(DEADLINE_DAYS[category] * 1.3))),
                        self.today,
                    )
                counters[(org.pk, day.year)] += 1
                pk = self.next_id()
                forwarded = None
                if status == "forwarded":
                    forwarded = rng.choice(self.orgs).pk
                    if forwarded == org.pk:
                        status, forwarded = "in_progress", None
                result = result_pick() if status == "resolved" else ""
                appeals.append(
                    (
                        pk,
                        org.pk,
                        f"A-{day.year}-{counters[(org.pk, day.year)]:05d}",
                        person,
                        "Анонимді / Аноним" if anonymous else "",
                        self.phone() if anonymous and rng.random() < 0.5 else "",
                        self.family_of.get(person) if person else None,
                        category,
                        channel_pick(),
                        received,
                        APPEAL_TEXTS[category],
                        rng.choice(workers),
                        due,
                        status,
                        forwarded,
                        "Жауап берілді / Дан ответ" if status in ("resolved", "rejected") else "",
                        result,
                        closed,
                        org.coordinators[0],
                    )
                )
                kind = APPEAL_OUTCOMES.get(category)
                if person and kind and result == "satisfied" and closed:
                    outcomes.append(
                        (self.next_id(), org.pk, person, kind, closed, None, pk, org.coordinators[0])
                    )
            # Material aid: food and hygiene packages to families, cash and clothing to young persons.
            families = self.families_by_org.get(org.pk, [])
            if org.kind == "family_support":
                for family in families:
                    for _ in range(rng.choice((0, 1, 1, 2, 3))):
                        kind = rng.choice(
                            ("food_package", "food_package", "hygiene_kit", "clothing", "school_kit")
                        )
                        aid.append(self._aid(org, family, None, kind))
            elif org.kind in ("care_leaver_association", "youth_house"):
                for person in persons:
                    if rng.random() < 0.3:
                        aid.append(
                            self._aid(org, None, person, rng.choice(("cash", "clothing", "hygiene_kit")))
                        )
            elif families and rng.random() < 0.5:
                for family in rng.sample(families, max(1, len(families) // 20)):
                    aid.append(self._aid(org, family, None, "food_package"))
        # Outcomes of cases: the next place of a child, a family reunited or a foster placement.
        for case in self.cases:
            if case.status != "closed":
                continue
            pkind = case.programme[1]
            kind = None
            if pkind in CHILD_PROGRAMMES and rng.random() < 0.3:
                kind = (
                    "moved_to_kindergarten"
                    if (case.closed - case.birth).days < 6 * 365
                    else "moved_to_school"
                )
            elif pkind == "family_strengthening" and rng.random() < 0.15:
                kind = rng.choice(
                    ("returned_to_birth_family", "placed_foster", "placed_guardian", "placed_adoptive")
                )
            elif pkind == "foster_parent_school" and rng.random() < 0.5:
                kind = "course_completed"
            elif pkind in YOUTH_PROGRAMMES and rng.random() < 0.2:
                kind = rng.choice(("job_found", "rent_support", "education_grant"))
            if kind:
                outcomes.append(
                    (
                        self.next_id(),
                        case.org.pk,
                        case.person,
                        kind,
                        case.closed,
                        case.pk,
                        None,
                        case.org.coordinators[0],
                    )
                )
        self.sink.write(
            Appeal,
            [
                "id",
                "organisation_id",
                "number",
                "person_id",
                "caller",
                "caller_phone",
                "family_id",
                "category",
                "channel",
                "received_at",
                "text",
                "assignee_id",
                "due_on",
                "status",
                "forwarded_to_id",
                "resolution",
                "result",
                "closed_on",
                "created_by_id",
            ],
            appeals,
        )
        self.sink.write(
            AppealCounter,
            ["organisation_id", "year", "last"],
            [(o, y, last) for (o, y), last in sorted(counters.items())],
        )
        self.sink.write(
            AidDistribution,
            [
                "id",
                "organisation_id",
                "family_id",
                "person_id",
                "kind",
                "quantity",
                "value",
                "distributed_on",
                "funding_partner_name",
                "created_by_id",
            ],
            aid,
        )
        self.sink.write(
            Outcome,
            [
                "id",
                "organisation_id",
                "person_id",
                "kind",
                "happened_on",
                "case_id",
                "appeal_id",
                "created_by_id",
            ],
            outcomes,
        )
        self.log(f"    {len(appeals):,} appeals, {len(aid):,} aid distributions, {len(outcomes):,} outcomes")

    def _aid(self, org: Org, family, person, kind: str) -> tuple:
        rng = self.rng
        quantity = 1 if kind == "cash" else rng.choice((1, 1, 2, 3))
        value = Decimal(rng.choice((5000, 8000, 12000, 15000, 25000, 50000))) * quantity
        return (
            self.next_id(),
            org.pk,
            family,
            person,
            kind,
            quantity,
            value,
            self.day_between(self.first_day, self.today),
            rng.choice(FUNDERS),
            org.coordinators[0],
        )
