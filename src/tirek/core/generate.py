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

import datetime as dt
import json
import random
import time
import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate, islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

MARK = "Generated"  # organisations' English names and the ministry start with it
USER_PREFIX = "gen."  # generated users' usernames start with it
ORGANISATION_NAME = f"{MARK} organisation"
MINISTRY_NAME = f"{MARK} ministry"
PERSONS_PER_ORGANISATION = 2_500
BIG_TABLE = 300_000  # on PostgreSQL, tables expected to be larger load without indexes and foreign keys
CHUNK = 20_000


class ForeignData(Exception):
    """The database holds data the generator did not make."""


def _words(text: str) -> list[str]:
    return text.split()


KZ_SURNAMES = _words(
    "Ахметов Омаров Қасымов Сейітов Жақсылықов Тұрсынбаев Әбенов Нұрпейісов Бекмұратов Сәрсенбаев Есенов "
    "Мұқанов Жұмабаев Оспанов Серікбаев Әлімов Төлегенов Байжанов Исаев Дәулетов Ермеков Құдайбергенов "
    "Мамыров Ташенов Ыбыраев Шәкенов Иманғалиев Әуезов Бейсенов Қуанышев Нұрланов Сұлтанов Абдуллаев "
    "Жанұзақов Тоқтаров Бақытжанов Рахимов Сапаров Қожахметов Мырзахметов Әміров Тілеубаев Ысқақов "
    "Болатов Ержанов Маратов Серікқалиев Қалиев Нұрғалиев Ғабдуллин Мұхамедиев Жүсіпов Бейбітов"
)
KZ_MALE = _words(
    "Нұрлан Ерлан Бауыржан Асхат Дәурен Серік Қайрат Ержан Арман Талғат Бақыт Марат Ғалым Жандос Айдос "
    "Мұхаммед Тимур Алдияр Әлихан Айсұлтан Нұрислам Айбар Ерасыл Жансар Әмір Ислам Дамир Нұрсұлтан Бекзат "
    "Алмас Санжар Әділет Ернар Азамат Мейіржан Ақжол Диас Рамазан Жәнібек Қанат"
)
KZ_FEMALE = _words(
    "Айгерім Әлия Дана Гүлнар Сәуле Динара Мадина Әсел Жанар Ақмарал Гүлмира Назым Айнұр Меруерт Аружан "
    "Інжу Айша Томирис Медина Айлин Раяна Аяла Сафия Ақбота Жасмин Іңкәр Жансая Назерке Балауса Камила "
    "Айзере Әйгерім Нұрай Алтынай Ұлжан Гаухар Салтанат Ләззат Жұлдыз Мөлдір"
)
RU_SURNAMES = _words(
    "Иванов Петров Смирнов Кузнецов Попов Соколов Лебедев Новиков Морозов Волков Фёдоров Михайлов Егоров "
    "Павлов Семёнов Голубев Виноградов Богданов Воробьёв Козлов"
)
RU_MALE = {
    "Сергей": "Сергеев",
    "Андрей": "Андреев",
    "Алексей": "Алексеев",
    "Дмитрий": "Дмитриев",
    "Иван": "Иванов",
    "Михаил": "Михайлов",
    "Владимир": "Владимиров",
    "Николай": "Николаев",
    "Пётр": "Петров",
    "Артём": "Артёмов",
    "Максим": "Максимов",
    "Роман": "Романов",
}
RU_FEMALE = _words(
    "Ольга Елена Наталья Татьяна Анна Мария Ирина Светлана Юлия Екатерина Алиса София Ева Полина"
)
PHONE_CODES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")

# Organisation kinds: share of organisations, and their programmes (kind, min and max age in months, kk,
# ru, en). A programme without an age window serves families and adults.
ORGANISATION_KINDS = {
    "early_intervention": (
        25,
        [("early_intervention", 0, 36, "Ерте араласу", "Ранняя помощь", "Early intervention")],
    ),
    "rehabilitation": (
        25,
        [
            ("rehabilitation", 36, 216, "Оңалту", "Реабилитация", "Rehabilitation"),
            ("developmental_support", 36, 84, "Дамуды қолдау", "Поддержка развития", "Developmental support"),
        ],
    ),
    "autism_centre": (
        12,
        [("autism_support", 24, 216, "Аутизмді қолдау", "Поддержка при аутизме", "Autism support")],
    ),
    "inclusion_cabinet": (
        10,
        [("inclusion_support", 36, 216, "Инклюзияны қолдау", "Поддержка инклюзии", "Inclusion support")],
    ),
    "family_support": (
        15,
        [
            (
                "family_strengthening",
                None,
                None,
                "Отбасын нығайту",
                "Укрепление семьи",
                "Family strengthening",
            ),
            (
                "foster_parent_school",
                None,
                None,
                "Асырап алушылар мектебі",
                "Школа приёмных родителей",
                "Foster parents' school",
            ),
        ],
    ),
    "care_leaver_association": (
        8,
        [
            (
                "care_leaver_support",
                192,
                276,
                "Түлектерді қолдау",
                "Поддержка выпускников",
                "Care-leaver support",
            )
        ],
    ),
    "youth_house": (5, [("youth_house", 192, 276, "Жастар үйі", "Дом молодёжи", "Youth house residence")]),
}
KIND_PREFIX = {
    "early_intervention": "ER",
    "rehabilitation": "RC",
    "autism_centre": "AU",
    "inclusion_cabinet": "IN",
    "family_support": "FS",
    "care_leaver_association": "CL",
    "youth_house": "YH",
}
KIND_NAMES = {
    "early_intervention": ("ерте араласу орталығы", "центр ранней помощи", "early-intervention centre"),
    "rehabilitation": ("оңалту орталығы", "реабилитационный центр", "rehabilitation centre"),
    "autism_centre": ("аутизм орталығы", "центр аутизма", "autism centre"),
    "inclusion_cabinet": ("инклюзияны қолдау кабинеті", "кабинет поддержки инклюзии", "inclusion cabinet"),
    "family_support": ("отбасын қолдау орталығы", "центр поддержки семьи", "family-support centre"),
    "care_leaver_association": ("түлектер қауымдастығы", "ассоциация выпускников", "care-leaver association"),
    "youth_house": ("жастар үйі", "дом молодёжи", "youth house"),
}
CHILD_PROGRAMMES = {
    "early_intervention",
    "rehabilitation",
    "developmental_support",
    "autism_support",
    "inclusion_support",
}
YOUTH_PROGRAMMES = {"care_leaver_support", "youth_house"}

# Which professions work in each programme (weights), and the services each profession gives.
PROGRAMME_PROFESSIONS = {
    "early_intervention": {
        "speech_therapist": 3,
        "defectologist": 3,
        "psychologist": 2,
        "rehabilitation_doctor": 2,
        "occupational_therapist": 2,
        "massage_therapist": 2,
        "neurologist": 1,
        "audiologist": 1,
        "paediatrician": 1,
    },
    "rehabilitation": {
        "speech_therapist": 3,
        "defectologist": 3,
        "psychologist": 2,
        "massage_therapist": 2,
        "rehabilitation_doctor": 1,
        "occupational_therapist": 1,
        "teacher": 1,
    },
    "developmental_support": {"speech_therapist": 3, "defectologist": 3, "psychologist": 2, "teacher": 1},
    "autism_support": {
        "psychologist": 3,
        "speech_therapist": 3,
        "defectologist": 3,
        "occupational_therapist": 2,
        "teacher": 1,
    },
    "inclusion_support": {"defectologist": 3, "speech_therapist": 3, "psychologist": 2, "teacher": 2},
    "family_strengthening": {
        "psychologist": 4,
        "social_worker": 3,
        "lawyer": 2,
        "speech_therapist": 1,
        "defectologist": 1,
    },
    "foster_parent_school": {"psychologist": 3, "social_worker": 2, "lawyer": 1},
    "care_leaver_support": {"social_worker": 3, "psychologist": 3, "lawyer": 3, "social_pedagogue": 3},
    "youth_house": {"social_worker": 3, "psychologist": 3, "lawyer": 2, "social_pedagogue": 3},
}
PROFESSION_SERVICES = {
    "speech_therapist": ["speech_therapy_session"] * 6 + ["pedagogical_diagnostics"],
    "defectologist": ["defectology_session"] * 5 + ["school_readiness_session", "pedagogical_diagnostics"],
    "psychologist": ["psychological_consultation"] * 4
    + ["psychological_correction_session"] * 3
    + ["psychological_diagnostics", "family_reunification_support"],
    "rehabilitation_doctor": ["rehabilitation_doctor_consultation", "physiotherapy_session"],
    "neurologist": ["neurologist_consultation"] * 3 + ["eeg"],
    "paediatrician": ["paediatrician_consultation"],
    "occupational_therapist": ["occupational_therapy_session"],
    "massage_therapist": ["massage"],
    "audiologist": ["audiological_screening"],
    "social_worker": ["social_worker_home_visit"] * 2
    + ["benefits_assistance", "housing_assistance", "document_assistance"],
    "social_pedagogue": [
        "employment_counselling",
        "work_skills_training",
        "vocational_training",
        "job_placement_support",
    ],
    "lawyer": ["legal_consultation"] * 3 + ["legal_representation", "document_assistance"],
    "teacher": ["school_readiness_session", "adaptive_sports_session", "cultural_leisure_event"],
}
GROUP_KINDS = {  # kind: (weight, services to choose from, topics)
    "group_class": (4, ["group_class", "adaptive_sports_session"], "Топтық сабақ / Фронтальное занятие"),
    "group_consultation": (3, ["group_consultation"], "Топтық кеңес / Групповая консультация"),
    "seminar": (2, ["parents_training_seminar", "cultural_leisure_event"], "Ата-аналарға семинар / Семинар"),
    "training": (1, ["work_skills_training", "adoptive_parents_school_session"], "Тренинг / Тренинг"),
}
CLOSURE_REASONS = {
    "goals_achieved": 25,
    "completed": 20,
    "transferred": 8,
    "moved": 10,
    "declined": 8,
    "no_contact": 10,
    "not_eligible": 3,
    "other": 4,
    "deceased": 1,
}
EXIT_RATED = {"goals_achieved", "completed", "aged_out", "transferred"}
DESTINATIONS = {
    "early_intervention": {"kindergarten": 5, "special_kindergarten": 2, "pmpk": 2, "other_programme": 1},
    "developmental_support": {"kindergarten": 3, "special_kindergarten": 2, "school": 2, "pmpk": 1},
    "rehabilitation": {"school": 4, "special_school": 2, "kindergarten": 1, "other_programme": 1, "none": 1},
    "autism_support": {"school": 2, "special_school": 2, "special_kindergarten": 1, "none": 1},
    "inclusion_support": {"school": 5, "special_school": 1, "none": 1},
}
REFERRAL_SOURCES = {
    "early_intervention": {"maternity": 4, "polyclinic": 4, "pmpk": 1, "self": 2, "organisation": 1},
    "child": {"polyclinic": 3, "pmpk": 4, "self": 2, "organisation": 1, "other": 1},
    "family": {"hotline_150": 2, "hotline_111": 2, "self": 3, "organisation": 2, "other": 1},
    "youth": {"hotline_150": 3, "self": 4, "organisation": 2, "other": 1},
}
VISIT_STATUSES = {"attended": 84, "cancelled": 9, "no_show": 7}
CANCELLATIONS = {
    "child_ill": 40,
    "family": 20,
    "hospital": 8,
    "transport": 8,
    "specialist_absent": 10,
    "centre_closed": 4,
    "other": 10,
}
MODES = {"centre": 72, "home": 11, "phone": 6, "messenger": 5, "video": 6}
MINUTES = {30: 3, 45: 4, 60: 2, 90: 1}
APPEAL_CATEGORIES = {  # seed 003: 1,289 appeals, 689 about housing, about a third employment, grants, aid
    "housing": 53,
    "employment": 14,
    "education_grant": 8,
    "financial_aid": 8,
    "legal_help": 5,
    "psychological_help": 4,
    "documents": 3,
    "benefits": 3,
    "other": 2,
}
APPEAL_CHANNELS = {
    "walk_in": 30,
    "helpline_150": 20,
    "phone": 20,
    "online": 15,
    "letter": 5,
    "outreach": 5,
    "helpline_111": 5,
}
APPEAL_TEXTS = {
    "housing": "Баспана кезегі туралы / Об очереди на жильё",
    "employment": "Жұмысқа орналасу / Трудоустройство",
    "education_grant": "Оқу гранты / Грант на обучение",
    "financial_aid": "Қаржылай көмек / Материальная помощь",
    "legal_help": "Заңгерлік көмек / Юридическая помощь",
    "psychological_help": "Психологиялық көмек / Психологическая помощь",
    "documents": "Құжаттарды қалпына келтіру / Восстановление документов",
    "benefits": "Жәрдемақы / Пособие",
    "other": "Басқа мәселе / Другой вопрос",
}
APPEAL_OUTCOMES = {
    "housing": "flat_allocated",
    "employment": "job_found",
    "education_grant": "education_grant",
    "financial_aid": "financial_aid",
    "benefits": "benefit_granted",
}
DEADLINE_DAYS = {
    "housing": 30,
    "employment": 30,
    "education_grant": 30,
    "financial_aid": 15,
    "legal_help": 10,
    "psychological_help": 3,
    "documents": 15,
    "benefits": 15,
    "other": 15,
}
FUNDERS = ("Samruk-Kazyna Trust", "«Ана махаббаты» қоры", "Kaspi Foundation", "Жергілікті әкімдік")


def weighted(rng: random.Random, table: dict) -> Callable[[], Any]:
    """A picker of `table`'s keys with its weights, fast for millions of draws."""
    keys = list(table)
    cumulative = list(accumulate(table[k] for k in keys))
    total = cumulative[-1]
    rand = rng.random

    def pick():
        return keys[bisect_right(cumulative, rand() * total)]

    return pick


# -- the scale and what was made --


@dataclass
class Scale:
    persons: int
    organisations: int | None = None
    seed: int = 2026
    years: int = 3
    visits_per_case: int = 100
    today: dt.date | None = None

    def __post_init__(self) -> None:
        if self.organisations is None:
            self.organisations = max(2, round(self.persons / PERSONS_PER_ORGANISATION))
        self.today = self.today or timezone.localdate()
        self.first_day = self.today - dt.timedelta(days=round(365.25 * self.years))


@dataclass
class Org:
    pk: uuid.UUID
    index: int
    kind: str
    prefix: str
    region_id: int
    programmes: list  # [(pk, kind, min_months, max_months)]
    manager: uuid.UUID | None = None
    coordinators: list = field(default_factory=list)
    specialists: list = field(default_factory=list)  # [(user pk, profession code)]
    by_profession: dict = field(default_factory=lambda: defaultdict(list))
    weight: float = 1.0


@dataclass
class CaseRow:
    pk: uuid.UUID
    org: Org
    programme: tuple
    person: uuid.UUID
    birth: dt.date
    opened: dt.date
    closed: dt.date | None
    status: str
    team: list  # [(user pk, profession code)]


# -- sinks --


class Sink:
    """Where the rows go: `write(model, columns, rows)` with columns as attnames (e.g. "case_id")."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, model, columns: list[str], rows: Iterable[tuple], expected: int = 0) -> int:
        raise NotImplementedError

    def finish(self) -> None:
        pass


class OrmSink(Sink):
    """bulk_create in batches (SQLite and other engines: small numbers)."""

    def write(self, model, columns, rows, expected=0) -> int:
        made = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, 2_000)):
            model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in batch])
            made += len(batch)
        self.counts[model._meta.label] += made
        return made


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if kind is bool:
        return "t" if value else "f"
    if kind is list or kind is dict:
        return _copy_text(json.dumps(value, ensure_ascii=False))
    if kind is dt.datetime or kind is dt.date:
        return value.isoformat()
    return str(value)


class CopySink(Sink):
    """PostgreSQL COPY: every row a line of text; the indexes and foreign keys of a big table are dropped
    before and rebuilt after it is loaded (faster than keeping them up to date row by row)."""

    def write(self, model, columns, rows, expected=0) -> int:
        now = timezone.now()
        fields = [
            f
            for f in model._meta.concrete_fields
            if not (f.primary_key and isinstance(f, models.fields.AutoFieldMixin)) or f.attname in columns
        ]
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        missing = [f for f in fields if f.attname not in columns]
        extra = []
        for f in missing:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                extra.append(now)
            else:
                extra.append(f.get_default())
        names = [by_attname[c].column for c in columns] + [f.column for f in missing]
        suffix = "".join("\t" + _copy_text(v) for v in extra)
        table = model._meta.db_table
        sql = f'COPY "{table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) FROM STDIN'
        big = expected >= BIG_TABLE
        made = 0
        started = time.perf_counter()
        with connection.cursor() as cursor:
            raw = cursor.cursor
            saved = self._drop_indexes(raw, table) if big else None
            convert = _copy_text
            with raw.copy(sql) as copy:
                iterator = iter(rows)
                while batch := list(islice(iterator, CHUNK)):
                    copy.write("".join("\t".join([convert(v) for v in row]) + suffix + "\n" for row in batch))
                    made += len(batch)
                    if big and made % (CHUNK * 25) == 0:
                        elapsed = time.perf_counter() - started
                        self.log(f"    {table}: {made:,} rows in {elapsed:.0f} s")
            if saved is not None:
                self._restore_indexes(raw, table, saved)
        self.counts[model._meta.label] += made
        return made

    def _drop_indexes(self, raw, table: str) -> tuple[list, list]:
        # Check the rows loaded so far now: a table with pending deferred checks cannot be altered.
        raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        raw.execute("SET CONSTRAINTS ALL DEFERRED")
        raw.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign = raw.fetchall()
        raw.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)",
            [table, table],
        )
        indexes = raw.fetchall()
        for name, _definition in foreign:
            raw.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            raw.execute(f'DROP INDEX "{name}"')
        return foreign, indexes

    def _restore_indexes(self, raw, table: str, saved: tuple[list, list]) -> None:
        foreign, indexes = saved
        started = time.perf_counter()
        raw.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            raw.execute(definition)
        for name, definition in foreign:
            raw.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        self.log(
            f"    {table}: {len(indexes)} indexes and {len(foreign)} foreign keys rebuilt in "
            f"{time.perf_counter() - started:.0f} s"
        )


# -- the generator --


def foreign_data() -> dict[str, int]:
    """What the database holds that the generator did not make (empty when nothing)."""
    from tirek.accounts.models import User
    from tirek.directory.models import Organisation
    from tirek.people.models import Person

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
    from tirek.people.models import Person

    return Person.objects.filter(registered_by__name_en__startswith=MARK).count()


class Generator:
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

    # -- organisations and staff --

    def make_organisations(self) -> None:
        from tirek.accounts.models import Membership, User
        from tirek.catalog.models import ClosureReason, Profession, Service
        from tirek.directory.models import Organisation, Programme, Region

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

    # -- persons --

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
        from tirek.people.demo.planning import synthetic_iin

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
        from tirek.core.names import folded, skeleton
        from tirek.people.models import Family, FamilyMember, Person, PersonAccess, PersonNameToken

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

    # -- cases --

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
        from tirek.cases.models import Case, CaseCounter
        from tirek.people.models import Consent, PersonAccess

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

    # -- referrals --

    def make_referrals(self) -> None:
        from tirek.referrals.models import Referral, ReferralCounter

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

    def moment(self, day: dt.date, minute: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.tz)

    # -- plans --

    def make_plans(self) -> None:
        from tirek.plans.models import Plan, PlanGoal, PlannedService, PlanReview

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

    def make_groups(self) -> None:
        from tirek.services.models import GroupActivity, GroupParticipant

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
        from tirek.services.models import Visit

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

    # -- appeals, aid, outcomes --

    def make_support(self) -> None:
        from tirek.support.models import AidDistribution, Appeal, AppealCounter, Outcome

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


# -- removing what was generated --


# The tables the generator writes, children first (and the tables pointing at them that the application may
# have filled since, such as audit events and history lines).
def _generated_models() -> list:
    from django.apps import apps

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
    from tirek.directory.models import Organisation

    return Organisation.objects.filter(name_en__startswith=MARK).count()
