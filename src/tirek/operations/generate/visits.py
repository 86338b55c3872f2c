"""Group activities with their participants, and sessions (mostly attended, some cancelled or missed)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from tirek.operations.generate.vocabulary import (
    CANCELLATIONS,
    CHILD_PROGRAMMES,
    GROUP_KINDS,
    MINUTES,
    MODES,
    VISIT_STATUSES,
    weighted,
)
from tirek.services.models import GroupActivity, GroupParticipant, Visit


class VisitSteps:
    """Group activities with their participants, and sessions (mostly attended, some cancelled or missed).

    A part of `Generator`."""

    def make_groups(self) -> None:

        rng = self.rng
        target = round(len(self.cases) * self.scale.visits_per_case * 0.1)
        self.group_visits: list[tuple] = []
        by_org = defaultdict(list)
        for case in self.cases:
            by_org[case.org.pk].append(case)
        activities, participants, facilitators = [], [], []
        kind_pick = weighted(rng, {k: v[0] for k, v in GROUP_KINDS.items()})
        made = 0
        total_cases = max(1, len(self.cases))
        for org in self.orgs:
            org_cases = by_org.get(org.pk)
            if not org_cases:
                continue
            wanted = round(target * len(org_cases) / total_cases)
            produced = 0
            while produced < wanted:
                kind = kind_pick()
                choices = [self.services[s].pk for s in GROUP_KINDS[kind][1] if s in self.services]
                if not choices:
                    break
                day = self.workday(self.day_between(self.first_day, self.today + dt.timedelta(days=14)))
                cases = self.open_cases_on(org_cases, day, rng.randint(3, 10))
                if not cases:
                    produced += 1
                    continue
                minutes = rng.choice((45, 60, 90, 120))
                starts = self.moment(day, rng.choice((10, 11, 14, 15, 16)) * 60)
                ends = starts + dt.timedelta(minutes=minutes)
                future = starts > self.now
                status = "planned" if future else ("cancelled" if rng.random() < 0.03 else "held")
                pk = self.next_id()
                lead, _code = rng.choice(org.specialists)
                profession = self.professions.get(_code)
                service = rng.choice(choices)
                mode = "centre" if rng.random() < 0.85 else "video"
                activities.append(
                    (
                        pk,
                        org.pk,
                        kind,
                        status,
                        GROUP_KINDS[kind][2],
                        service,
                        starts,
                        minutes,
                        ends,
                        mode,
                        rng.randint(0, 5) if kind == "seminar" else 0,
                        org.coordinators[0],
                    )
                )
                facilitators.append((pk, lead))
                for case in cases:
                    attended = None if status != "held" else rng.random() < 0.85
                    participants.append((pk, case.pk, attended))
                    if status == "held":
                        self.group_visits.append(
                            (case, starts, minutes, ends, service, lead, profession, mode, pk, attended)
                        )
                produced += len(cases)
                made += 1
        self.sink.write(
            GroupActivity,
            [
                "id",
                "organisation_id",
                "kind",
                "status",
                "topic",
                "service_id",
                "starts_at",
                "minutes",
                "ends_at",
                "mode",
                "others_count",
                "created_by_id",
            ],
            activities,
        )
        self.sink.write(GroupActivity.facilitators.through, ["groupactivity_id", "user_id"], facilitators)
        self.sink.write(
            GroupParticipant, ["activity_id", "case_id", "attended"], participants, expected=len(participants)
        )
        self.log(f"    {made:,} group activities, {len(participants):,} participants")

    # -- sessions --

    @staticmethod
    def workday(day: dt.date) -> dt.date:
        weekday = day.weekday()
        return (
            day - dt.timedelta(days=1)
            if weekday == 5
            else day + dt.timedelta(days=1)
            if weekday == 6
            else day
        )

    def make_visits(self) -> None:

        cases = [c for c in self.cases if c.status != "referred"]
        spans = [max(7, ((c.closed or self.today) - c.opened).days) for c in cases]
        individual = len(self.cases) * self.scale.visits_per_case - len(self.group_visits)
        per_day = individual / max(1, sum(spans))
        expected = individual + len(self.group_visits)
        self.log(f"    about {expected:,} sessions to write")
        columns = [
            "id",
            "organisation_id",
            "case_id",
            "status",
            "starts_at",
            "minutes",
            "ends_at",
            "service_id",
            "specialist_id",
            "profession_id",
            "format",
            "mode",
            "participants",
            "cancellation_reason",
            "group_activity_id",
            "created_by_id",
        ]
        self.sink.write(Visit, columns, self._visit_rows(cases, spans, per_day), expected=expected)

    def _visit_rows(self, cases, spans, per_day) -> Iterator[tuple]:
        rng = self.rng
        rand, randint, choice = rng.random, rng.randint, rng.choice
        status_pick = weighted(rng, VISIT_STATUSES)
        reason_pick = weighted(rng, CANCELLATIONS)
        mode_pick = weighted(rng, MODES)
        minutes_pick = weighted(rng, MINUTES)
        now = self.now
        tz = self.tz
        professions = self.professions
        services = self.profession_services
        one_minute = dt.timedelta(minutes=1)
        child_participants = (["child", "mother"], ["child", "mother"], ["child"], ["child", "father"])
        adult_participants = ([], [], ["other"])
        for case, span in zip(cases, spans, strict=True):
            expected = span * per_day * rng.uniform(0.6, 1.4)
            count = int(expected) + (rand() < expected - int(expected))
            if count == 0:
                continue
            org = case.org.pk
            team = case.team
            kinds = child_participants if case.programme[1] in CHILD_PROGRAMMES else adult_participants
            first = case.opened
            end = case.closed or (self.today + dt.timedelta(days=14))
            days = max(0, (end - first).days)
            for _ in range(count):
                user, code = choice(team)
                day = first + dt.timedelta(days=randint(0, days))
                weekday = day.weekday()
                if weekday >= 5:
                    day -= dt.timedelta(days=weekday - 4)
                    if day < first:
                        day = first
                minute = choice((9, 9, 10, 10, 11, 11, 12, 14, 14, 15, 15, 16, 17)) * 60 + choice((0, 0, 30))
                starts = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)
                minutes = minutes_pick()
                if starts > now:
                    status, reason = "planned", ""
                else:
                    status = status_pick()
                    reason = (
                        ""
                        if status == "attended"
                        else ("no_notice" if status == "no_show" else reason_pick())
                    )
                yield (
                    self.next_id(),
                    org,
                    case.pk,
                    status,
                    starts,
                    minutes,
                    starts + minutes * one_minute,
                    choice(services[code]),
                    user,
                    professions[code],
                    "individual",
                    mode_pick(),
                    choice(kinds),
                    reason,
                    None,
                    user,
                )
        for (
            case,
            starts,
            minutes,
            ends,
            service,
            lead,
            profession,
            mode,
            activity,
            attended,
        ) in self.group_visits:
            yield (
                self.next_id(),
                case.org.pk,
                case.pk,
                "attended" if attended else "no_show",
                starts,
                minutes,
                ends,
                service,
                lead,
                profession,
                "group",
                mode,
                [],
                "" if attended else "no_notice",
                activity,
                lead,
            )
