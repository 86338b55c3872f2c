"""The generator's vocabulary: names, the mix of organisations and programmes, and the distributions of
the seed articles (professions and their services, session statuses and modes, appeal categories)."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import Any

MARK = "Generated"  # organisations' English names and the ministry start with it
USER_PREFIX = "gen."  # generated users' usernames start with it
ORGANISATION_NAME = f"{MARK} organisation"
MINISTRY_NAME = f"{MARK} ministry"
PERSONS_PER_ORGANISATION = 2_500
BIG_TABLE = 300_000  # on PostgreSQL, tables expected to be larger load without indexes and foreign keys
CHUNK = 20_000


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
