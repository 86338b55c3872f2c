"""Referrals between organisations, with their numbers and counters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tirek.operations.generate.scale import Org
from tirek.operations.generate.vocabulary import weighted
from tirek.referrals.models import Referral, ReferralCounter


class ReferralSteps:
    """Referrals between organisations, with their numbers and counters (a part of `Generator`)."""

    def make_referrals(self) -> None:

        rng = self.rng
        rows, counters = [], defaultdict(int)
        by_kind = defaultdict(list)
        for org in self.orgs:
            for programme in org.programmes:
                by_kind[programme[1]].append((org, programme))
        status_pick = weighted(
            rng, {"accepted": 55, "completed": 10, "declined": 15, "sent": 12, "revoked": 8}
        )
        urgency_pick = weighted(rng, {"routine": 85, "urgent": 12, "emergency": 3})
        existing = list(self.cases)

        def number(org: Org, year: int) -> str:
            counters[(org.pk, year)] += 1
            return f"{org.prefix}-R-{year}-{counters[(org.pk, year)]:05d}"

        for case in existing:
            draw = rng.random()
            if draw < 0.08:  # sent to another organisation of the network
                end = case.closed or self.today
                sent_on = self.day_between(case.opened, end)
                age = (sent_on - case.birth).days / 30.44
                targets = [
                    (o, p)
                    for kind, entries in by_kind.items()
                    for o, p in entries
                    if o.pk != case.org.pk
                    and (p[2] is None or p[2] <= age)
                    and (p[3] is None or age < p[3] - 1)
                    and kind != "foster_parent_school"
                ]
                if not targets:
                    continue
                org, programme = rng.choice(targets)
                status = status_pick()
                if status == "sent" and (self.today - sent_on).days > 30:
                    status = "declined"
                sent_at = self.moment(sent_on, rng.randint(9 * 60, 17 * 60))
                days = rng.choice((0, 1, 2, 3, 5, 7, 10, 14, 21, 30))
                answered_on = min(sent_on + dt.timedelta(days=days), self.today)
                to_case = None
                if status in ("accepted", "completed"):
                    to_case = self.open_case(
                        case.person,
                        case.birth,
                        org,
                        programme,
                        answered_on,
                        source="organisation",
                        received=sent_on,
                    )
                elif status == "sent" and (org.pk, case.person) not in self.accesses:
                    self.accesses.add((org.pk, case.person))
                    self.new_accesses.append((org.pk, case.person, "referral"))
                responded = (
                    self.moment(answered_on, rng.randint(9 * 60, 17 * 60)) if status != "sent" else None
                )
                if responded is not None and responded < sent_at:
                    responded = sent_at + dt.timedelta(minutes=30)
                rows.append(
                    (
                        self.next_id(),
                        number(case.org, sent_on.year),
                        case.org.pk,
                        "",
                        "",
                        org.pk,
                        case.person,
                        case.pk,
                        to_case.pk if to_case else None,
                        programme[0],
                        "Мамандандырылған көмек қажет / Нужна специализированная помощь",
                        urgency_pick(),
                        ["contacts", "health", "plan"],
                        self.consents[case.person][0],
                        status,
                        sent_at,
                        rng.choice(case.org.coordinators),
                        responded if status not in ("sent", "revoked") else None,
                        rng.choice(org.coordinators) if status not in ("sent", "revoked") else None,
                        "Орын жоқ / Нет мест" if status == "declined" else "",
                        (answered_on - sent_on).days if to_case else None,
                        min(responded + dt.timedelta(days=60), self.now) if status == "completed" else None,
                        responded if status == "revoked" else None,
                        "Отбасы бас тартты / Семья отказалась" if status == "revoked" else "",
                    )
                )
            elif draw < 0.16 and case.status != "referred":  # recorded from outside Tirek
                source = rng.choice(("polyclinic", "pmpk", "maternity", "hotline_150", "self"))
                received = case.opened - dt.timedelta(days=rng.choice((0, 1, 3, 7)))
                sent_at = self.moment(received, rng.randint(9 * 60, 17 * 60))
                responded = max(self.moment(case.opened, rng.randint(9 * 60, 17 * 60)), sent_at)
                rows.append(
                    (
                        self.next_id(),
                        number(case.org, received.year),
                        None,
                        source,
                        rng.choice(("№5 емхана", "ПМПК", "Перинаталдық орталық", "150 желісі")),
                        case.org.pk,
                        case.person,
                        None,
                        case.pk,
                        case.programme[0],
                        "Тексеру және қолдау / Обследование и поддержка",
                        "routine",
                        [],
                        None,
                        "accepted",
                        sent_at,
                        rng.choice(case.org.coordinators),
                        responded,
                        rng.choice(case.org.coordinators),
                        "",
                        (case.opened - received).days,
                        None,
                        None,
                        "",
                    )
                )
        columns = [
            "id",
            "number",
            "from_organisation_id",
            "external_source",
            "external_source_name",
            "to_organisation_id",
            "person_id",
            "from_case_id",
            "to_case_id",
            "programme_id",
            "reason",
            "urgency",
            "shared_parts",
            "consent_id",
            "status",
            "sent_at",
            "sent_by_id",
            "responded_at",
            "responded_by_id",
            "decline_reason",
            "days_to_accept",
            "completed_at",
            "revoked_at",
            "revoke_reason",
        ]
        # The cases the accepted referrals opened go in with the others, before the referrals.
        self.write_cases()
        self.sink.write(Referral, columns, rows)
        self.sink.write(
            ReferralCounter,
            ["organisation_id", "year", "last"],
            [(o, y, last) for (o, y), last in sorted(counters.items())],
        )
        self.log(f"    {len(rows):,} referrals")
