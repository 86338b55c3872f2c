"""The demo's names, places, diagnoses and choices, as the seed organisations would record them."""

from __future__ import annotations

from tirek.cases.choices import ReferralSource
from tirek.people.choices import ConsentPurpose


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
