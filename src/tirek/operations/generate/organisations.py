"""Organisations across the regions, their programmes and staff."""

from __future__ import annotations

import uuid
from collections import defaultdict

from tirek.accounts.models import Membership, User
from tirek.catalog.models import ClosureReason, Profession, Service
from tirek.directory.models import Organisation, Programme, Region
from tirek.operations.generate.scale import Org
from tirek.operations.generate.vocabulary import (
    CHILD_PROGRAMMES,
    KIND_NAMES,
    KIND_PREFIX,
    MINISTRY_NAME,
    ORGANISATION_KINDS,
    ORGANISATION_NAME,
    PROFESSION_SERVICES,
    PROGRAMME_PROFESSIONS,
    USER_PREFIX,
    weighted,
)


class OrganisationSteps:
    """Organisations across the regions, their programmes and staff (a part of `Generator`)."""

    def make_organisations(self) -> None:

        rng = self.rng
        regions = list(Region.objects.filter(valid_to__isnull=True).order_by("kato"))
        if not regions:
            raise RuntimeError("No regions: run `tirek migrate` first.")
        self.regions = regions
        self.services = {s.code: s for s in Service.objects.select_related("service_type")}
        self.professions = {p.code: p.pk for p in Profession.objects.all()}
        self.reasons = {r.code: r.pk for r in ClosureReason.objects.all()}
        known = {code for code, services in PROFESSION_SERVICES.items() if code in self.professions}
        self.profession_services = {
            code: [self.services[s].pk for s in services if s in self.services]
            for code, services in PROFESSION_SERVICES.items()
            if code in known
        }
        self.profession_services = {k: v for k, v in self.profession_services.items() if v}
        kind_pick = weighted(rng, {k: v[0] for k, v in ORGANISATION_KINDS.items()})
        count = self.scale.organisations
        # Every kind at least once when there is room for it, then by the mix.
        kinds = list(ORGANISATION_KINDS)[: min(count, len(ORGANISATION_KINDS))]
        kinds += [kind_pick() for _ in range(count - len(kinds))]
        # The three cities hold more organisations: they come round twice as often.
        region_cycle = regions + [r for r in regions if r.kato in ("710000000", "750000000", "790000000")]
        ministry = Organisation(
            id=self.next_id(),
            name_kk="Министрлік (генерацияланған)",
            name_ru="Министерство (сгенерировано)",
            name_en=MINISTRY_NAME,
            kind="state_body",
            region=next((r for r in regions if r.kato == "710000000"), regions[0]),
            case_prefix="GMIN",
        )
        organisations, programmes, self.orgs = [ministry], [], []
        for index, kind in enumerate(kinds, start=1):
            region = region_cycle[(index - 1) % len(region_cycle)]
            kk, ru, en = KIND_NAMES[kind]
            org = Organisation(
                id=self.next_id(),
                name_kk=f"№{index} {kk} ({region.name_kk})",
                name_ru=f"{ru} №{index} ({region.name_ru})",
                name_en=f"{ORGANISATION_NAME} {index:03d}: {en}",
                kind=kind,
                region=region,
                case_prefix=f"{KIND_PREFIX[kind]}{index:03d}",
                capacity=rng.choice((80, 120, 150, 200, 300)),
                address=f"{region.name_kk}, {rng.randint(1, 200)}",
            )
            organisations.append(org)
            weight = rng.uniform(0.6, 1.4) * (1.5 if region.kato.startswith(("71", "75", "79")) else 1.0)
            entry = Org(org.pk, index, kind, org.case_prefix, region.pk, [], weight=weight)
            for pkind, low, high, pkk, pru, pen in ORGANISATION_KINDS[kind][1]:
                programme = Programme(
                    id=self.next_id(),
                    organisation_id=org.pk,
                    name_kk=pkk,
                    name_ru=pru,
                    name_en=pen,
                    kind=pkind,
                    min_age_months=low,
                    max_age_months=high,
                    yearly_capacity=None,
                    yearly_target=None,
                    transition_from_months=27 if pkind == "early_intervention" else None,
                    conference_by_months=33 if pkind == "early_intervention" else None,
                    assessment_every_months=6 if pkind in CHILD_PROGRAMMES else None,
                )
                programmes.append(programme)
                entry.programmes.append((programme.pk, pkind, low, high))
            self.orgs.append(entry)
        total_weight = sum(o.weight for o in self.orgs)
        for o in self.orgs:
            o.share = o.weight / total_weight
        Organisation.objects.bulk_create(organisations)
        self.ministry = ministry
        # Capacity and target a year: about what the organisation's share of persons serves in a year.
        yearly = self.scale.persons * 0.4 / max(1, self.scale.years)
        for programme in programmes:
            org = next(o for o in self.orgs if o.pk == programme.organisation_id)
            served = max(5, round(yearly * org.share / len(org.programmes)))
            programme.yearly_capacity = max(10, round(served * rng.uniform(1.0, 1.3), -1))
            programme.yearly_target = max(5, round(served * rng.uniform(0.8, 1.1), -1))
        Programme.objects.bulk_create(programmes)

        users, memberships = [], []

        def user(username: str, organisation_id, role: str, profession: str | None = None) -> uuid.UUID:
            sex = rng.choice(("male", "female"))
            _sex, surname, given, patronymic = self.names(sex, kazakh=rng.random() < 0.8)
            pk = self.next_id()
            users.append(
                User(
                    id=pk,
                    username=username,
                    password="!generated",  # noqa: S106 (unusable: nobody signs in as generated staff)
                    first_name=given,
                    last_name=surname,
                    patronymic=patronymic,
                    active_organisation_id=organisation_id,
                    date_joined=self.now,
                )
            )
            memberships.append(
                Membership(
                    id=self.next_id(),
                    user_id=pk,
                    organisation_id=organisation_id,
                    role=role,
                    profession_id=self.professions.get(profession) if profession else None,
                )
            )
            return pk

        expected_cases = self.scale.persons * 0.42
        for org in self.orgs:
            base = f"{USER_PREFIX}{org.index:03d}"
            org.manager = user(f"{base}.manager", org.pk, "manager", "psychologist")
            cases = expected_cases * org.share
            for n in range(1, 2 + int(cases // 1500)):
                org.coordinators.append(
                    user(f"{base}.coordinator{n}", org.pk, "coordinator", "social_worker")
                )
            user(f"{base}.intake", org.pk, "intake")
            weights: dict[str, int] = defaultdict(int)
            for _pk, pkind, _low, _high in org.programmes:
                for code, w in PROGRAMME_PROFESSIONS[pkind].items():
                    if code in self.profession_services:
                        weights[code] += w
            pick = weighted(rng, dict(weights))
            wanted = max(3, round(cases / 55))
            professions = sorted(weights, key=lambda c: -weights[c])[:wanted]
            professions += [pick() for _ in range(wanted - len(professions))]
            for n, code in enumerate(professions, start=1):
                pk = user(f"{base}.specialist{n:02d}", org.pk, "specialist", code)
                org.specialists.append((pk, code))
                org.by_profession[code].append(pk)
        for n in (1, 2):
            user(f"{USER_PREFIX}analyst{n}", ministry.pk, "analyst")
        user(f"{USER_PREFIX}administrator", ministry.pk, "administrator")
        User.objects.bulk_create(users, batch_size=1000)
        Membership.objects.bulk_create(memberships, batch_size=1000)
        self.log(f"    {len(self.orgs)} organisations, {len(programmes)} programmes, {len(users):,} staff")
