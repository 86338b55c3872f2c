"""Individual plans with goals, planned services and reviews."""

from __future__ import annotations

import datetime as dt

from tirek.plans.models import Plan, PlanGoal, PlannedService, PlanReview


class PlanSteps:
    """Individual plans with goals, planned services and reviews (a part of `Generator`)."""

    def moment(self, day: dt.date, minute: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.tz)

    # -- plans --

    def make_plans(self) -> None:

        rng = self.rng
        plans, goals, services, reviews = [], [], [], []
        domains = ("communication", "cognitive", "physical", "social_emotional", "adaptive")
        wordings = {
            "communication": "Сөзбен сұрайды / Просит словами",
            "cognitive": "Заттарды түсі бойынша сұрыптайды / Сортирует предметы по цвету",
            "physical": "Өз бетімен жүреді / Ходит самостоятельно",
            "social_emotional": "Ойынға қосылады / Включается в игру",
            "adaptive": "Қасықпен өзі тамақтанады / Ест ложкой сам",
        }

        def add_months(day: dt.date, months: int) -> dt.date:
            month = day.month - 1 + months
            year, month = day.year + month // 12, month % 12 + 1
            return dt.date(year, month, min(day.day, 28))

        for case in self.cases:
            if case.status in ("referred",):
                continue
            author = case.team[0][0]
            coordinator = case.org.coordinators[0]
            if case.status == "intake":
                if rng.random() < 0.4:
                    plans.append(
                        self._plan(case, 1, "draft", author, coordinator, None, None, None, None, None)
                    )
                continue
            approved = case.opened + dt.timedelta(days=rng.choice((7, 14, 21, 30, 40, 44, 50, 60)))
            end = case.closed or self.today
            if approved > end:
                continue
            number, start, previous = 1, approved, None
            while True:
                review_due = add_months(start, 6)
                pk = self.next_id()
                plans.append(
                    self._plan(
                        case, number, "active", author, coordinator, pk, start, start, review_due, None
                    )
                )
                for order, domain in enumerate(rng.sample(domains, rng.choice((2, 3, 3, 4)))):
                    goals.append(
                        (
                            self.next_id(),
                            pk,
                            domain,
                            wordings[domain],
                            "5 реттің 4-і / 4 раза из 5",
                            add_months(start, 6),
                            order,
                        )
                    )
                for user, code in case.team[:2]:
                    services.append(
                        (
                            self.next_id(),
                            pk,
                            rng.choice(self.profession_services[code]),
                            self.professions[code],
                            user,
                            rng.choice((1, 2, 2, 3)),
                            rng.choice((30, 45, 60)),
                            rng.choice(("centre", "centre", "centre", "home")),
                            start,
                            True,
                            start,
                        )
                    )
                if previous is not None:
                    prev = plans[previous]
                    plans[previous] = (*prev[:3], "superseded", *prev[4:10], pk, start, *prev[12:])
                # Reviews every six months while the plan is in force; most are held on time.
                status, due = "active", review_due
                next_start = add_months(start, 12)
                while due < min(end, next_start) and rng.random() < 0.85:
                    held = due - dt.timedelta(days=rng.randint(0, 20))
                    following = add_months(held, 6)
                    reviews.append((self.next_id(), pk, held, author, "Жоспар бойынша / По плану", following))
                    status, due = "reviewed", following
                row = plans[-1]
                plans[-1] = (*row[:3], status, *row[4:9], due, *row[10:])
                if next_start >= end or rng.random() < 0.4:
                    break
                previous, number, start = len(plans) - 1, number + 1, next_start
        columns = [
            "id",
            "case_id",
            "number",
            "status",
            "author_id",
            "coordinator_id",
            "approved_by_id",
            "approved_on",
            "active_from",
            "review_due_on",
            "superseded_by_id",
            "superseded_on",
            "present_levels",
            "family_concerns",
        ]
        self.sink.write(Plan, columns, plans, expected=len(plans))
        self.sink.write(
            PlanGoal,
            ["id", "plan_id", "domain", "wording", "criterion", "target_date", "order"],
            goals,
            expected=len(goals),
        )
        self.sink.write(
            PlannedService,
            [
                "id",
                "plan_id",
                "service_id",
                "profession_id",
                "provider_id",
                "frequency",
                "minutes",
                "mode",
                "start_date",
                "family_consent",
                "consent_date",
            ],
            services,
            expected=len(services),
        )
        self.sink.write(
            PlanReview,
            ["id", "plan_id", "reviewed_on", "reviewer_id", "summary", "next_review_due_on"],
            reviews,
        )
        self.log(f"    {len(plans):,} plans, {len(goals):,} goals, {len(reviews):,} reviews")

    def _plan(
        self, case, number, status, author, coordinator, pk, approved, active, review_due, superseded_by
    ):
        return (
            pk or self.next_id(),
            case.pk,
            number,
            status,
            author,
            coordinator,
            coordinator if approved else None,
            approved,
            active,
            review_due,
            superseded_by,
            None,
            {"communication": "Жеке сөздер / Отдельные слова"},
            "Сөйлеу дамуы / Развитие речи",
        )

    # -- group activities --

    def open_cases_on(self, org_cases: list, day: dt.date, count: int) -> list:
        rng = self.rng
        chosen: dict = {}
        for _ in range(count * 6):
            if len(chosen) >= count:
                break
            case = rng.choice(org_cases)
            if (
                case.opened <= day
                and (case.closed is None or case.closed >= day)
                and case.status != "referred"
            ):
                chosen[case.pk] = case
        return list(chosen.values())
