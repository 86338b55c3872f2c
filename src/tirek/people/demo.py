"""Demo persons for `tirek demo`: about 300 fictional children, parents, care leavers and families.

Everything is written through the services, acted by a manager of each organisation, so the demo data has
the audit trail, case numbers, timelines and checks (IIN, eligibility, consent) of data entered by hand.
The plan is drawn from `random.Random(seed)` with dates counted back from today. Every person gets an
external reference DEMO-0001… in the organisation that registered them; a household whose first person
already has its reference is skipped, so running the demo again adds nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tirek.accounts.choices import Role
from tirek.accounts.models import Membership, User
from tirek.accounts.services import staff_add, user_switch_organisation
from tirek.cases.choices import CaseStatus, ReferralSource
from tirek.cases.models import Case
from tirek.cases.services import case_change_status, case_close, case_open, eligibility_problem
from tirek.catalog.models import ClosureReason, Diagnosis
from tirek.core.iin import check_digit
from tirek.core.writes import create_audited
from tirek.directory.models import Organisation, Programme
from tirek.directory.services import organisation_update
from tirek.people.choices import ConsentPurpose, FamilyRole, IinMissingReason
from tirek.people.models import Consent, ExternalReference, Family, FamilyMember, Person, PersonDiagnosis
from tirek.people.services import (
    consent_record,
    family_create,
    family_member_add,
    person_diagnosis_add,
    person_register,
)


def _words(text: str) -> list[str]:
    return text.split()


REF_PREFIX = "DEMO-"
CASE_PREFIXES = {
    "kenes": "KEN",
    "kamkorlyk": "KAM",
    "rc2": "RC2",
    "amazing_kids": "AMK",
    "sos_almaty": "SOSA",
    "sos_astana": "SOSN",
    "sos_temirtau": "SOST",
    "graduates": "GRAD",
    "youth_house": "YH",
}
# Organisations the demo itself has a manager for; the others get `<key>.manager` (username, names).
KNOWN_MANAGERS = {"kenes": "manager", "kamkorlyk": "shymkent"}
NEW_MANAGERS = {
    "rc2": ("rc2.manager", "Жұмабаев", "Ғалым", "Серікұлы"),
    "amazing_kids": ("amazing.kids.manager", "Оспанова", "Мадина", "Қайратқызы"),
    "sos_almaty": ("sos.almaty.manager", "Ким", "Елена", "Викторовна"),
    "sos_astana": ("sos.astana.manager", "Мұқанова", "Жанар", "Болатқызы"),
    "sos_temirtau": ("sos.temirtau.manager", "Лебедева", "Ольга", "Николаевна"),
    "graduates": ("graduates.manager", "Сәрсенбаев", "Дәурен", "Асқарұлы"),
    "youth_house": ("youth.house.manager", "Төлегенова", "Әсел", "Маратқызы"),
}
# Case coordinator and team members by organisation (usernames; the organisation's manager otherwise).
COORDINATORS = {"kenes": "coordinator", "kamkorlyk": "shymkent"}
TEAMS = {"kenes": ("specialist",), "rc2": ("shymkent",)}

KZ_MALE = _words(
    "Нұрлан Ерлан Бауыржан Асхат Дәурен Серік Қайрат Ержан Арман Талғат Бақыт Марат Ғалым Жандос Айдос"
)
KZ_FEMALE = _words(
    "Айгерім Әлия Дана Гүлнар Сәуле Динара Мадина Әсел Жанар Ақмарал Гүлмира Назым Айнұр Меруерт"
)
KZ_BOYS = _words("Мұхаммед Тимур Алдияр Әлихан Айсұлтан Нұрислам Айбар Ерасыл Жансар Әмір Ислам Дамир")
KZ_GIRLS = _words(
    "Аружан Інжу Айша Томирис Медина Айлин Раяна Аяла Сафия Дана Әлия Айгерім Ақбота Жасмин Іңкәр"
)
KZ_YOUNG_MEN = _words("Нұрсұлтан Дамир Бекзат Алмас Санжар Ерасыл Нұрлан Ерлан Тимур Бауыржан Әділет")
KZ_YOUNG_WOMEN = _words("Аружан Жансая Назерке Балауса Камила Ақбота Айзере Дана Әлия Інжу Меруерт")
KZ_SURNAMES = _words(
    "Ахметов Омаров Қасымов Сейітов Жақсылықов Тұрсынбаев Әбенов Нұрпейісов Бекмұратов Сәрсенбаев Есенов "
    "Мұқанов Жұмабаев Оспанов Серікбаев Әлімов Төлегенов Байжанов Исаев Дәулетов Ермеков Құдайбергенов "
    "Мамыров Ташенов Ыбыраев Шәкенов Иманғалиев Әуезов Бейсенов Қуанышев"
)
# Russian given names with the patronymics they give (son, daughter).
RU_MALE = {
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Алексей": ("Алексеевич", "Алексеевна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Иван": ("Иванович", "Ивановна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Николай": ("Николаевич", "Николаевна"),
    "Пётр": ("Петрович", "Петровна"),
}
RU_FEMALE = _words("Ольга Елена Наталья Татьяна Анна Мария Ирина Светлана Юлия Екатерина")
RU_BOYS = _words("Артём Матвей Тимофей Максим Даниил Кирилл Иван Михаил")
RU_GIRLS = _words("Алиса София Ева Милана Варвара Полина Анна Вероника")
RU_SURNAMES = _words(
    "Иванов Петров Смирнов Кузнецов Попов Соколов Лебедев Новиков Морозов Волков Ким Пак Шевченко"
)
INVARIABLE_SURNAMES = {"Ким", "Пак", "Шевченко"}
FOREIGN = [("UZ", "өзбек, орыс"), ("KG", "қырғыз, орыс")]
PHONE_CODES = ("700", "701", "702", "705", "707", "708", "771", "775", "776", "777", "778")

PLACES = {
    "750000000": ("Алматы", "Абай даңғылы;Төле би көшесі;Жандосов көшесі;Райымбек даңғылы;Шаляпин көшесі"),
    "790000000": ("Шымкент", "Тәуке хан даңғылы;Байтұрсынов көшесі;Республика даңғылы;Қонаев даңғылы"),
    "710000000": ("Астана", "Мәңгілік Ел даңғылы;Қабанбай батыр даңғылы;Сарыарқа даңғылы;Кенесары көшесі"),
    "350000000": ("Теміртау", "Республика даңғылы;Металлургтер даңғылы;Мир бульвары;Байсейітова көшесі"),
}
GROUNDS = [
    "Ата-анасы жұмыссыз, тұрақты табысы жоқ, жалдамалы пәтерде тұрады.",
    "Асыраушысынан айырылған отбасы.",
    "Баланың ауыр сырқатына байланысты анасы жұмыс істей алмайды.",
    "Семья проживает в аварийном жилье, родители без постоянной работы.",
    "Мать воспитывает детей одна, задолженность по коммунальным платежам.",
    "Отбасында мүгедектігі бар екі бала бар.",
]
# Diagnoses that fit each child programme, with the sources that made them.
DIAGNOSES = {
    ("kenes", "early_intervention"): ["P07.3", "G80.1", "Q90", "H90.3", "R62.0", "P91.6"],
    ("kenes", "developmental_support"): ["F80.1", "F84.0", "G80.1", "Q90", "F83"],
    ("kamkorlyk", "early_intervention"): ["P07.3", "G80.1", "Q90", "H90.3", "P91.6", "G71.0", "Q03", "P21"],
    ("rc2", "rehabilitation"): ["G80.1", "G80.2", "Q90", "G40", "F83"],
    ("amazing_kids", "autism_support"): ["F84.0", "F84.0", "F84.1", "F80.1"],
}
DISABLING = {"G80.1", "G80.2", "Q90", "G71.0", "Q03", "H90.3"}
SOURCES = ["ПМПК қорытындысы", "Емхана невропатологы", "Перинаталдық орталық", "Аудиологиялық скрининг"]
CHILD_SOURCES = [
    ReferralSource.MATERNITY,
    ReferralSource.POLYCLINIC,
    ReferralSource.POLYCLINIC,
    ReferralSource.PMPK,
    ReferralSource.SELF,
    ReferralSource.HOTLINE_150,
]
FAMILY_SOURCES = [
    ReferralSource.HOTLINE_111,
    ReferralSource.SELF,
    ReferralSource.ORGANISATION,
    ReferralSource.OTHER,
]
LEAVER_SOURCES = [ReferralSource.ORGANISATION, ReferralSource.SELF, ReferralSource.HOTLINE_150]
CLOSURES = {
    "completed": "Бағдарлама бойынша жұмыс аяқталды.",
    "moved": "Отбасы басқа қалаға көшті.",
    "declined": "Отбасы қызметтерден бас тартты.",
    "no_contact": "Үш рет хабарласуға тырысылды, байланыс жоқ.",
    "aged_out": "Бала бағдарламаның жас шегіне жетті, балабақшаға барады.",
    "transferred": "№2 оңалту орталығының балаларды оңалту бағдарламасына ауыстырылды.",
}
OVERRIDE_REASON = "Балабақшаға ауысу кезеңі: басшының шешімімен 3 айға ұзартылды."
SERVICES_AND_DATA = [ConsentPurpose.SERVICES, ConsentPurpose.DATA_PROCESSING]


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


def _managers(organisations: dict[str, Organisation], users: dict[str, User], admin: User) -> dict[str, User]:
    from tirek.core.management.commands.demo import DEMO_PASSWORD

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
        case = case_close(
            actor=actor, case=case, reason=ctx["reasons"][code], closed_on=closed_on, note=CLOSURES[code]
        )
    return case


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
