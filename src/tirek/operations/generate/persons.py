"""Persons with Kazakh and Russian names, valid synthetic IINs, families, name words and access."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tirek.core.names import folded, skeleton
from tirek.operations.demo.people.planning import synthetic_iin
from tirek.operations.generate.scale import Org
from tirek.operations.generate.vocabulary import (
    CHILD_PROGRAMMES,
    KZ_FEMALE,
    KZ_MALE,
    KZ_SURNAMES,
    PHONE_CODES,
    RU_FEMALE,
    RU_MALE,
    RU_SURNAMES,
    YOUTH_PROGRAMMES,
)
from tirek.people.models import Family, FamilyMember, Person, PersonAccess, PersonNameToken


class PersonSteps:
    """Persons with Kazakh and Russian names, valid synthetic IINs, families, name words and access.

    A part of `Generator`."""

    def names(self, sex: str, *, kazakh: bool, surname_base: str | None = None) -> tuple[str, str, str, str]:
        rng = self.rng
        if kazakh:
            base = surname_base or rng.choice(KZ_SURNAMES)
            surname = base + ("" if sex == "male" else "а")
            given = rng.choice(KZ_MALE if sex == "male" else KZ_FEMALE)
            patronymic = rng.choice(KZ_MALE) + ("ұлы" if sex == "male" else "қызы")
        else:
            base = surname_base or rng.choice(RU_SURNAMES)
            surname = base + ("" if sex == "male" else "а")
            given = rng.choice(list(RU_MALE) if sex == "male" else RU_FEMALE)
            patronymic = RU_MALE[rng.choice(list(RU_MALE))] + ("ич" if sex == "male" else "на")
        return sex, surname, given, patronymic

    def iin(self, birth: dt.date, sex: str) -> str:
        """A valid IIN (the demo's synthesis) from a random serial, never one already made."""

        serial = self.rng.randrange(10_000)
        while True:
            number, serial = synthetic_iin(birth, sex, serial)
            if number not in self.iins:
                self.iins.add(number)
                return number
            serial += 1

    def phone(self) -> str:
        while True:
            number = f"+7{self.rng.choice(PHONE_CODES)}{self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def make_persons(self) -> None:
        """Units of persons per organisation: a child (with a parent, often), a family, a young care leaver
        or an adult; the client of a unit may get a case (decided in make_cases)."""

        rng = self.rng
        persons, tokens, accesses, families, members = [], [], [], [], []
        self.clients: list[tuple] = []  # (person pk, birth, org, programme, reference day, family pk)
        self.family_of: dict = {}
        self.representative: dict = {}
        self.persons_by_org: dict = defaultdict(list)
        self.families_by_org: dict = defaultdict(list)
        total = self.scale.persons
        regions = {r.pk: r for r in self.regions}

        def add_person(org: Org, sex: str, birth: dt.date, kazakh: bool, surname_base=None, adult=False):
            _sex, surname, given, patronymic = self.names(sex, kazakh=kazakh, surname_base=surname_base)
            newborn = (self.today - birth).days < 60
            no_iin = rng.random() < (0.6 if newborn else 0.04)
            full = f"{surname} {given} {patronymic}"
            key = skeleton(full)
            pk = self.random_id()
            persons.append(
                (
                    pk,
                    None if no_iin else self.iin(birth, sex),
                    ("newborn" if newborn else rng.choice(("foreign", "unknown"))) if no_iin else "",
                    surname,
                    given,
                    patronymic,
                    birth,
                    sex,
                    org.region_id,
                    regions[org.region_id].name_kk.split()[0],
                    self.phone() if adult and rng.random() < 0.9 else "",
                    ("child" if not adult and rng.random() < 0.3 else "") if not adult else "",
                    folded(full),
                    key,
                    org.pk,
                    "kk, ru" if kazakh else "ru",
                )
            )
            tokens.extend((pk, t) for t in {token[:60] for token in key.split()})
            accesses.append((org.pk, pk, "registered"))
            self.persons_by_org[org.pk].append(pk)
            return pk, surname

        def months_ago(day: dt.date, months: float) -> dt.date:
            return day - dt.timedelta(days=round(months * 30.44))

        made = 0
        orgs = self.orgs
        quotas = [max(1, round(total * o.share)) for o in orgs]
        quotas[-1] = max(1, total - sum(quotas[:-1]))
        for org, quota in zip(orgs, quotas, strict=True):
            target = min(quota, total - made)
            start = made
            while made - start < target:
                programme = rng.choice(org.programmes)
                _ppk, pkind, low, high = programme
                # More work lately than years ago: the network grows.
                back = (self.today - self.first_day).days * rng.random() ** 1.4
                reference = self.today - dt.timedelta(days=int(back))
                kazakh = rng.random() < 0.8
                sex = rng.choice(("male", "female"))
                room = target - (made - start)
                if pkind in CHILD_PROGRAMMES or pkind == "family_strengthening":
                    if pkind == "family_strengthening":
                        age = rng.uniform(12, 204)
                    else:
                        age = rng.uniform(low, max(low + 1, high - 2))
                    birth = min(months_ago(reference, age), self.today - dt.timedelta(days=7))
                    child, surname = add_person(org, sex, birth, kazakh)
                    made += 1
                    family = None
                    with_parent = pkind == "family_strengthening" or rng.random() < 0.55
                    if with_parent and room > 1:
                        role = "mother" if rng.random() < 0.8 else "father"
                        parent_birth = months_ago(birth, rng.uniform(20 * 12, 38 * 12))
                        base = surname[:-1] if sex == "female" else surname
                        parent, _ = add_person(
                            org, "female" if role == "mother" else "male", parent_birth, kazakh, base, True
                        )
                        made += 1
                        family = self.next_id()
                        families.append(
                            (
                                family,
                                base,
                                org.region_id,
                                rng.random() < 0.35,
                                rng.random() < 0.25,
                                rng.random() < 0.2,
                                org.pk,
                            )
                        )
                        members.append((family, child, "child", False))
                        members.append((family, parent, role, True))
                        self.representative[family] = parent
                        self.family_of[child] = family
                        self.family_of[parent] = family
                        self.families_by_org[org.pk].append(family)
                        if pkind == "family_strengthening" and rng.random() < 0.5 and room > 2:
                            sibling_birth = months_ago(reference, rng.uniform(6, 200))
                            sibling_birth = min(sibling_birth, self.today - dt.timedelta(days=7))
                            sibling, _ = add_person(
                                org, rng.choice(("male", "female")), sibling_birth, kazakh, base
                            )
                            made += 1
                            members.append((family, sibling, "child", False))
                            self.family_of[sibling] = family
                    self.clients.append((child, birth, org, programme, reference, family))
                elif pkind in YOUTH_PROGRAMMES:
                    birth = months_ago(reference, rng.uniform(low, high - 3))
                    person, _ = add_person(org, sex, birth, kazakh, adult=True)
                    made += 1
                    self.clients.append((person, birth, org, programme, reference, None))
                else:  # foster parents' school: adults
                    birth = months_ago(reference, rng.uniform(25 * 12, 50 * 12))
                    person, _ = add_person(org, sex, birth, kazakh, adult=True)
                    made += 1
                    self.clients.append((person, birth, org, programme, reference, None))
        person_columns = [
            "id",
            "iin",
            "iin_missing_reason",
            "surname",
            "given_name",
            "patronymic",
            "birth_date",
            "sex",
            "region_id",
            "locality",
            "phone",
            "disability_status",
            "name_folded",
            "name_skeleton",
            "registered_by_id",
            "home_languages",
        ]
        self.sink.write(Person, person_columns, persons, expected=len(persons))
        self.log(f"    {len(persons):,} persons")
        self.sink.write(PersonNameToken, ["person_id", "token"], tokens, expected=len(tokens))
        self.sink.write(
            Family,
            ["id", "name", "region_id", "low_income", "many_children", "single_parent", "registered_by_id"],
            families,
        )
        self.sink.write(FamilyMember, ["family_id", "person_id", "role", "is_legal_representative"], members)
        self.accesses = {(o, p) for o, p, _r in accesses}
        self.sink.write(
            PersonAccess, ["organisation_id", "person_id", "reason"], accesses, expected=len(accesses)
        )
        self.person_count = len(persons)
