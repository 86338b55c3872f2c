"""Planning the demo households: who they are, which programmes they attend, with what history."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field

from tirek.cases.choices import CaseStatus, ReferralSource
from tirek.cases.services import eligibility_problem
from tirek.core.iin import check_digit
from tirek.operations.demo.people.vocabulary import (
    CHILD_SOURCES,
    DIAGNOSES,
    DISABLING,
    FAMILY_SOURCES,
    FOREIGN,
    GROUNDS,
    INVARIABLE_SURNAMES,
    KZ_BOYS,
    KZ_FEMALE,
    KZ_GIRLS,
    KZ_MALE,
    KZ_SURNAMES,
    KZ_YOUNG_MEN,
    KZ_YOUNG_WOMEN,
    LEAVER_SOURCES,
    OVERRIDE_REASON,
    PHONE_CODES,
    PLACES,
    REF_PREFIX,
    RU_BOYS,
    RU_FEMALE,
    RU_GIRLS,
    RU_MALE,
    RU_SURNAMES,
    SERVICES_AND_DATA,
    SOURCES,
)
from tirek.people.choices import ConsentPurpose, FamilyRole, IinMissingReason
from tirek.people.models import Person


def synthetic_iin(birth: dt.date, sex: str, serial: int) -> tuple[str, int]:
    """A valid IIN for a birth date and sex, and the serial used (bumped past numbers that cannot exist)."""
    century = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + (0 if sex == "male" else 1)
    while True:
        prefix = f"{birth:%y%m%d}{century}{serial % 10000:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            return f"{prefix}{digit}", serial
        serial += 1


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(eq=False)
class PersonPlan:
    ref: str
    surname: str
    given_name: str
    patronymic: str
    sex: str
    birth_date: dt.date
    iin: str | None = None
    iin_missing_reason: str = ""
    citizenship: str = "KZ"
    phone: str = ""
    home_languages: str = ""
    disability_status: str = ""
    diagnoses: list[tuple[str, dt.date, str]] = field(default_factory=list)


@dataclass(eq=False)
class CasePlan:
    org: str
    kind: str
    person: PersonPlan
    opened_on: dt.date
    received_on: dt.date
    source: str
    status: str  # how it is opened: intake or active
    activate: bool = False  # opened at intake, then made active
    closure: tuple[str, dt.date] | None = None
    override: str = ""
    with_coordinator: bool = True
    with_team: bool = False


@dataclass(eq=False)
class Household:
    org: str
    persons: list[PersonPlan] = field(default_factory=list)
    family: dict | None = None
    members: list[tuple[PersonPlan, str, bool]] = field(default_factory=list)
    consents: list[tuple[PersonPlan, PersonPlan, list[str], dt.date]] = field(default_factory=list)
    cases: list[CasePlan] = field(default_factory=list)
    locality: str = ""
    street: str = ""


class Planner:
    """Draws the demo households; pure (no writes), so the same seed and day give the same plan."""

    def __init__(self, rng: random.Random, today: dt.date, programmes: dict, regions: dict[str, str]):
        self.rng, self.today, self.programmes, self.regions = rng, today, programmes, regions
        self.refs = 0
        self.serial = 100
        self.iins: set[str] = set()
        self.phones: set[str] = set()

    # -- persons ---------------------------------------------------------------------------------------
    def phone(self) -> str:
        while True:
            number = f"+7{self.rng.choice(PHONE_CODES)}{self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(self, household: Household, surname, given, patronymic, sex, birth, **extra) -> PersonPlan:
        self.refs += 1
        plan = PersonPlan(f"{REF_PREFIX}{self.refs:04d}", surname, given, patronymic, sex, birth, **extra)
        if not plan.iin_missing_reason:
            while True:
                plan.iin, self.serial = synthetic_iin(birth, sex, self.serial + 1)
                if plan.iin not in self.iins:
                    self.iins.add(plan.iin)
                    break
        household.persons.append(plan)
        return plan

    @staticmethod
    def surname(base: str, sex: str) -> str:
        return base if sex == "male" or base in INVARIABLE_SURNAMES else base + "а"

    def birth(self, low_months: int, high_months: int) -> dt.date:
        """A birth date for an age of low…high months today (both included)."""
        low, high = int(low_months * 30.44) + 1, int((high_months + 1) * 30.44) - 1
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def place(self, household: Household) -> None:
        kato = self.regions[household.org]
        locality, streets = PLACES.get(kato, PLACES["750000000"])
        household.locality = locality
        household.street = f"{self.rng.choice(streets.split(';'))}, {self.rng.randint(1, 180)}"

    # -- cases -----------------------------------------------------------------------------------------
    def schedule(self, household, person, org, kind, outcome, source, consent_by=None, override=False):
        """Opening (and closing) dates for a case of `person` that fit its programme, then the case."""
        rng, today = self.rng, self.today
        programme = self.programmes[(org, kind)]
        probe = Person(birth_date=person.birth_date)
        for _attempt in range(400):
            if outcome == "aged_out":
                closed_on = add_months(person.birth_date, programme.max_age_months)
                opened_on = closed_on - dt.timedelta(days=rng.randint(90, 400))
            else:
                earliest = max(person.birth_date + dt.timedelta(days=1), today - dt.timedelta(days=540))
                opened_on = earliest + dt.timedelta(days=rng.randint(0, max(0, (today - earliest).days)))
                span = (today - opened_on).days
                closed_on = opened_on + dt.timedelta(days=rng.randint(min(14, span), span))
            problem = eligibility_problem(probe, programme, opened_on)
            if (
                opened_on <= person.birth_date
                or opened_on < today - dt.timedelta(days=547)
                or closed_on > today
                or bool(problem) != override
            ):
                continue
            if (
                outcome in ("active", "intake")
                and not override
                and eligibility_problem(probe, programme, today)
            ):
                continue
            break
        else:
            return None
        received_on = max(person.birth_date, opened_on - dt.timedelta(days=rng.randint(0, 21)))
        if consent_by is not None:
            given_on = received_on + dt.timedelta(days=rng.randint(0, (opened_on - received_on).days))
            if consent_by is person:  # an adult consents for themselves, from their 18th birthday
                given_on = min(opened_on, max(given_on, add_months(person.birth_date, 12 * 18)))
            purposes = list(SERVICES_AND_DATA)
            if rng.random() < 0.3:
                purposes.append(ConsentPurpose.SHARING)
            for index, (consenting, by, old_purposes, old_on) in enumerate(household.consents):
                if consenting is person:  # one consent per person, early enough for each of their cases
                    household.consents[index] = (consenting, by, old_purposes, min(old_on, given_on))
                    break
            else:
                household.consents.append((person, consent_by, purposes, given_on))
        closing = outcome not in ("active", "intake")
        active_at_open = consent_by is not None and (outcome == "active" or (closing and rng.random() < 0.5))
        case = CasePlan(
            org=org,
            kind=kind,
            person=person,
            opened_on=opened_on,
            received_on=received_on,
            source=source,
            status=CaseStatus.ACTIVE if active_at_open and rng.random() < 0.6 else CaseStatus.INTAKE,
            override=OVERRIDE_REASON if override else "",
            with_coordinator=rng.random() < 0.8,
            with_team=rng.random() < 0.5,
        )
        case.activate = active_at_open and case.status == CaseStatus.INTAKE
        if closing:
            case.closure = (outcome, closed_on)
        household.cases.append(case)
        return case

    def diagnose(self, person: PersonPlan, org: str, kind: str, before: dt.date) -> None:
        codes = DIAGNOSES.get((org, kind))
        if not codes or self.rng.random() > 0.65:
            return
        code = self.rng.choice(codes)
        if code.startswith("F84") and (before - person.birth_date).days < 540:
            code = "R62.0"
        span = max(0, (before - person.birth_date).days)
        on = person.birth_date + dt.timedelta(days=self.rng.randint(min(span, 20), span))
        person.diagnoses.append((code, on, self.rng.choice(SOURCES)))
        if code in DISABLING and self.rng.random() < 0.6:
            person.disability_status = "child"

    # -- households ------------------------------------------------------------------------------------
    def parents(self, household: Household, *, russian: bool, foreign, father_p: float, guardian_p: float):
        """Mother, father or guardian of a household; returns (father's given name, surname base, reps)."""
        rng = self.rng
        extra = {"iin_missing_reason": IinMissingReason.FOREIGN, "citizenship": foreign[0]} if foreign else {}
        languages = foreign[1] if foreign else ("орыс" if russian else rng.choice(["қазақ", "қазақ, орыс"]))
        father_name = rng.choice(list(RU_MALE)) if russian else rng.choice(KZ_MALE)
        base = rng.choice(RU_SURNAMES if russian else KZ_SURNAMES)
        reps: list[tuple[PersonPlan, str]] = []
        if rng.random() < guardian_p:
            grandmother = self.person(
                household,
                self.surname(base, "female"),
                rng.choice(RU_FEMALE if russian else KZ_FEMALE),
                rng.choice(["Ивановна", "Петровна"]) if russian else f"{rng.choice(KZ_MALE)}қызы",
                "female",
                self.birth(12 * 50, 12 * 66),
                phone=self.phone(),
                home_languages=languages,
                **extra,
            )
            return father_name, base, [(grandmother, FamilyRole.GUARDIAN)]
        mother_birth = self.birth(12 * 21, 12 * 42)
        mother = self.person(
            household,
            self.surname(rng.choice(RU_SURNAMES if russian else KZ_SURNAMES), "female")
            if rng.random() < 0.35
            else self.surname(base, "female"),
            rng.choice(RU_FEMALE if russian else KZ_FEMALE),
            rng.choice(list(RU_MALE.values()))[1] if russian else f"{rng.choice(KZ_MALE)}қызы",
            "female",
            mother_birth,
            phone=self.phone(),
            home_languages=languages,
            **extra,
        )
        reps.append((mother, FamilyRole.MOTHER))
        if rng.random() < father_p:
            father_extra = dict(extra)
            if not foreign and rng.random() < 0.15:
                father_extra["iin_missing_reason"] = IinMissingReason.UNKNOWN
            father = self.person(
                household,
                base,
                father_name,
                rng.choice(list(RU_MALE.values()))[0] if russian else f"{rng.choice(KZ_MALE)}ұлы",
                "male",
                min(self.today, mother_birth - dt.timedelta(days=rng.randint(-400, 2500))),
                phone=self.phone() if rng.random() < 0.7 else "",
                home_languages=languages,
                **father_extra,
            )
            reps.append((father, FamilyRole.FATHER))
        return father_name, base, reps

    def child(self, household, father_name, base, russian, foreign, low, high) -> PersonPlan:
        rng = self.rng
        sex = rng.choice(["male", "female"])
        names = (
            (RU_BOYS if sex == "male" else RU_GIRLS) if russian else (KZ_BOYS if sex == "male" else KZ_GIRLS)
        )
        taken = {p.given_name for p in household.persons}
        given = rng.choice([name for name in names if name not in taken] or names)
        if russian:
            patronymic = RU_MALE[father_name][0 if sex == "male" else 1]
        else:
            patronymic = father_name + ("ұлы" if sex == "male" else "қызы")
        birth = self.birth(low, high)
        extra = {}
        if foreign:
            extra = {"iin_missing_reason": IinMissingReason.FOREIGN, "citizenship": foreign[0]}
        elif (self.today - birth).days < 60:
            extra = {"iin_missing_reason": IinMissingReason.NEWBORN}
        return self.person(household, self.surname(base, sex), given, patronymic, sex, birth, **extra)

    def family(self, household, base, reps, children, *, difficult_p: float, low_income_p: float) -> None:
        rng = self.rng
        roles = {role for _p, role in reps}
        difficult = rng.random() < difficult_p
        household.family = {
            "name": reps[-1][0].surname if FamilyRole.FATHER in roles else reps[0][0].surname,
            "address": f"{household.locality}, {household.street}",
            "low_income": rng.random() < low_income_p,
            "many_children": len(children) >= 4,
            "single_parent": roles == {FamilyRole.MOTHER},
            "difficult_situation": difficult,
            "difficult_situation_grounds": rng.choice(GROUNDS) if difficult else "",
        }
        household.members = [(p, role, True) for p, role in reps] + [
            (c, FamilyRole.CHILD, False) for c in children
        ]

    def child_household(
        self, org: str, kind: str, low: int, high: int, *, transfer: bool = False
    ) -> Household:
        rng = self.rng
        household = Household(org)
        self.place(household)
        russian = rng.random() < 0.2
        foreign = rng.choice(FOREIGN) if not russian and rng.random() < 0.1 else None
        father_name, base, reps = self.parents(
            household, russian=russian, foreign=foreign, father_p=0.72, guardian_p=0.06
        )
        outcome = rng.choices(["active", "intake", "closed"], weights=[58, 28, 14])[0]
        if transfer:
            outcome = "transferred"
        elif outcome == "closed":
            outcome = rng.choice(["completed", "moved", "declined", "no_contact", "aged_out"])
        override = outcome in ("active", "intake") and kind == "early_intervention" and rng.random() < 0.05
        if override:  # just past the upper age: kept on by the manager's decision
            low, high = 36, 37
        elif outcome == "aged_out":
            low, high = high + 1, high + 8
        child = self.child(household, father_name, base, russian, foreign, low, high)
        children = [child]
        for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2])):
            children.append(self.child(household, father_name, base, russian, foreign, high + 6, 200))
        self.family(household, base, reps, children, difficult_p=0.1, low_income_p=0.25)
        consents = outcome not in ("declined",) and (outcome == "active" or rng.random() < 0.7)
        case = self.schedule(
            household,
            child,
            org,
            kind,
            outcome,
            rng.choice(CHILD_SOURCES),
            consent_by=reps[0][0] if consents else None,
            override=override,
        )
        if case is None:  # no dates fit (should not happen): keep the household without a case
            return household
        self.diagnose(child, org, kind, case.opened_on)
        if transfer:
            assert case.closure is not None
            follow = CasePlan(
                org="rc2",
                kind="rehabilitation",
                person=child,
                opened_on=case.closure[1],
                received_on=case.closure[1],
                source=ReferralSource.ORGANISATION,
                status=CaseStatus.ACTIVE if consents else CaseStatus.INTAKE,
                with_team=True,
            )
            household.cases.append(follow)
        return household

    def sos_household(self, org: str) -> Household:
        rng = self.rng
        household = Household(org)
        self.place(household)
        russian = rng.random() < 0.3
        father_name, base, reps = self.parents(
            household, russian=russian, foreign=None, father_p=0.45, guardian_p=0.1
        )
        children = [
            self.child(household, father_name, base, russian, None, 0, 200)
            for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5]))
        ]
        self.family(household, base, reps, children, difficult_p=0.6, low_income_p=0.7)
        for child in children[: rng.choice([1, 1, 2])]:
            outcome = rng.choices(["active", "intake", "completed", "no_contact"], weights=[60, 25, 10, 5])[0]
            consents = outcome != "intake" or rng.random() < 0.5
            self.schedule(
                household,
                child,
                org,
                "family_strengthening",
                outcome,
                rng.choice(FAMILY_SOURCES),
                consent_by=reps[0][0] if consents else None,
            )
        return household

    def adult_household(self, org: str, kinds: list[str], low: int, high: int, *, baby: bool = False):
        """A care leaver (or a foster-parent candidate) with cases in `kinds` of `org` and its parent body."""
        rng = self.rng
        household = Household(org)
        self.place(household)
        sex = rng.choice(["male", "female"]) if not baby else "female"
        russian = rng.random() < 0.15
        if russian:
            given = rng.choice(list(RU_MALE) if sex == "male" else RU_FEMALE)
            patronymic = rng.choice(list(RU_MALE.values()))[0 if sex == "male" else 1]
            base = rng.choice(RU_SURNAMES)
        else:
            given = rng.choice(KZ_YOUNG_MEN if sex == "male" else KZ_YOUNG_WOMEN)
            if high > 400:
                given = rng.choice(KZ_MALE if sex == "male" else KZ_FEMALE)
            patronymic = f"{rng.choice(KZ_MALE)}{'ұлы' if sex == 'male' else 'қызы'}"
            base = rng.choice(KZ_SURNAMES)
        extra = {"iin_missing_reason": IinMissingReason.UNKNOWN} if rng.random() < 0.1 else {}
        adult = self.person(
            household,
            self.surname(base, sex),
            given,
            patronymic,
            sex,
            self.birth(low, high),
            phone=self.phone(),
            home_languages="орыс" if russian else rng.choice(["қазақ", "қазақ, орыс"]),
            **extra,
        )
        if baby:
            child = self.child(household, rng.choice(KZ_MALE), base, False, None, 2, 20)
            self.family(
                household, base, [(adult, FamilyRole.MOTHER)], [child], difficult_p=0.5, low_income_p=0.8
            )
        sources = LEAVER_SOURCES if org != "sos_almaty" else [ReferralSource.SELF, ReferralSource.OTHER]
        for kind_org, kind in kinds:
            outcome = rng.choices(
                ["active", "intake", "completed", "moved", "no_contact"], weights=[62, 22, 8, 4, 4]
            )[0]
            consents = outcome != "intake" or rng.random() < 0.5
            self.schedule(
                household,
                adult,
                kind_org,
                kind,
                outcome,
                rng.choice(sources),
                consent_by=adult if consents else None,
            )
        return household

    def plan(self) -> list[Household]:
        rng = self.rng
        households = []
        households += [self.child_household("kenes", "early_intervention", 0, 35) for _ in range(20)]
        households += [self.child_household("kenes", "developmental_support", 36, 83) for _ in range(10)]
        households += [self.child_household("kamkorlyk", "early_intervention", 3, 35) for _ in range(21)]
        households += [
            self.child_household("kamkorlyk", "early_intervention", 8, 30, transfer=True) for _ in range(3)
        ]
        households += [self.child_household("rc2", "rehabilitation", 6, 150) for _ in range(5)]
        households += [self.child_household("amazing_kids", "autism_support", 30, 120) for _ in range(4)]
        for org, count in (("sos_almaty", 6), ("sos_astana", 5), ("sos_temirtau", 4)):
            households += [self.sos_household(org) for _ in range(count)]
        households += [
            self.adult_household("sos_almaty", [("sos_almaty", "foster_parent_school")], 12 * 27, 12 * 48)
            for _ in range(7)
        ]
        for number in range(28):
            if rng.random() < 0.7:
                kinds = [("graduates", "care_leaver_support")]
                if rng.random() < 0.3:
                    kinds.append(("youth_house", "youth_house"))
                org, low, high = "graduates", 12 * 18 + 1, 12 * 28 + 10
            else:
                kinds = [("youth_house", "youth_house")]
                if rng.random() < 0.4:
                    kinds.append(("graduates", "care_leaver_support"))
                org, low, high = "youth_house", 12 * 18 + 1, 12 * 23
            households.append(self.adult_household(org, kinds, low, high, baby=number % 9 == 4))
        return households


# -- writing ------------------------------------------------------------------------------------------------
