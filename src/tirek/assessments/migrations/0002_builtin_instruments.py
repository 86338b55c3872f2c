"""The built-in instruments (domain-kz.md §6) with names in Kazakh, Russian and English.

- ICF-CY functional profile: rows of free ICF codes with qualifiers; WHO does not allow redistributing the
  classification, so no titles are shipped (users type their own).
- M-CHAT-R/F: 20 yes/no items shipped by number only (the item texts are licensed); age window 16–30 months.
- WHO motor milestones: the six milestones of the Multicentre Growth Reference Study (windows in scoring.py).
- Five-domain developmental profile: physical (motor, vision, hearing), cognitive, communication,
  social-emotional, adaptive, each rated age-appropriate / mild / moderate / severe delay.
- Audiological screening and EEG: examination results with performer, result and conclusion.

Administrators change names and add instruments in the admin; running this again changes nothing that exists.
"""

from django.db import migrations


def _options(*rows):
    """Options of a "one of a list" item from (value, kk, ru, en[, extra]) rows."""
    options = []
    for value, kk, ru, en, *extra in rows:
        option = {"value": value, "label_kk": kk, "label_ru": ru, "label_en": en}
        if extra:
            option.update(extra[0])
        options.append(option)
    return options


DELAY = _options(
    ("age_appropriate", "Жасына сай", "Соответствует возрасту", "Age-appropriate"),
    ("mild", "Жеңіл артта қалу", "Лёгкая задержка", "Mild delay"),
    ("moderate", "Орташа артта қалу", "Умеренная задержка", "Moderate delay"),
    ("severe", "Айқын артта қалу", "Выраженная задержка", "Severe delay"),
)
PASS_REFER = _options(
    ("pass", "Өтті (pass)", "Прошёл (pass)", "Pass"),
    ("refer", "Қосымша тексеруге (refer)", "Направить на дообследование (refer)", "Refer", {"abnormal": True}),
)
NORMAL_ABNORMAL = _options(
    ("normal", "Қалыпты", "Норма", "Normal"),
    ("abnormal", "Патологиялық өзгерістер бар", "Патологические изменения", "Abnormal", {"abnormal": True}),
)
HEARING_METHODS = _options(
    ("oae", "Отоакустикалық эмиссия (ОАЭ)", "Отоакустическая эмиссия (ОАЭ)", "Otoacoustic emissions (OAE)"),
    (
        "aabr",
        "Автоматты есту бағанасының шақырылған потенциалдары (AABR)",
        "Автоматизированная регистрация КСВП (AABR)",
        "Automated auditory brainstem response (AABR)",
    ),
    ("other", "Басқа әдіс", "Другой метод", "Other method"),
)
PERFORMER = ("Тексеруді жүргізген маман", "Кто провёл обследование", "Performed by")
FACILITY = ("Мекеме", "Учреждение", "Facility")
CONCLUSION = ("Қорытынды", "Заключение", "Conclusion")

# code, kk, ru, en, kind, scoring rule, min age, max age, order, items:
# (code, kk, ru, en, answer type, choices, domain, required)
INSTRUMENTS = [
    (
        "icf_cy_profile",
        "МКФ-БЖ (ICF-CY) бойынша функционалдық бейін",
        "Функциональный профиль по МКФ-ДП (ICF-CY)",
        "ICF-CY functional profile",
        "functional_profile",
        "icf_profile",
        None,
        None,
        10,
        [],
    ),
    (
        "mchat_rf",
        "M-CHAT-R/F — аутизм скринингі",
        "M-CHAT-R/F — скрининг аутизма",
        "M-CHAT-R/F autism screening",
        "screening",
        "mchat_rf",
        16,
        30,
        20,
        [(str(n), "", "", "", "yes_no", [], "", True) for n in range(1, 21)],
    ),
    (
        "who_motor_milestones",
        "ДДҰ қимыл-қозғалыс дамуының кезеңдері",
        "Этапы моторного развития ВОЗ",
        "WHO motor development milestones",
        "milestones",
        "who_motor",
        None,
        None,
        30,
        [
            ("sitting_without_support", "Тірексіз отырады", "Сидит без поддержки", "Sitting without support"),
            ("standing_with_assistance", "Көмекпен тұрады", "Стоит с поддержкой", "Standing with assistance"),
            ("hands_and_knees_crawling", "Төрт тағандап еңбектейді", "Ползает на четвереньках", "Hands-and-knees crawling"),
            ("walking_with_assistance", "Көмекпен жүреді", "Ходит с поддержкой", "Walking with assistance"),
            ("standing_alone", "Өздігінен тұрады", "Стоит самостоятельно", "Standing alone"),
            ("walking_alone", "Өздігінен жүреді", "Ходит самостоятельно", "Walking alone"),
        ],
    ),
    (
        "developmental_profile",
        "Бес сала бойынша даму бейіні",
        "Профиль развития по пяти областям",
        "Five-domain developmental profile",
        "developmental_profile",
        "domain_profile",
        None,
        None,
        40,
        [
            (
                "motor",
                "Қимыл-қозғалыс дамуы (ірі және ұсақ моторика)",
                "Двигательное развитие (крупная и мелкая моторика)",
                "Motor development (gross and fine)",
                "choice",
                DELAY,
                "physical",
                True,
            ),
            ("vision", "Көру", "Зрение", "Vision", "choice", DELAY, "physical", True),
            ("hearing", "Есту", "Слух", "Hearing", "choice", DELAY, "physical", True),
            (
                "cognitive",
                "Танымдық даму",
                "Познавательное развитие",
                "Cognitive development",
                "choice",
                DELAY,
                "cognitive",
                True,
            ),
            (
                "communication",
                "Қарым-қатынас және сөйлеу",
                "Коммуникация и речь",
                "Communication and language",
                "choice",
                DELAY,
                "communication",
                True,
            ),
            (
                "social_emotional",
                "Әлеуметтік-эмоционалдық даму",
                "Социально-эмоциональное развитие",
                "Social-emotional development",
                "choice",
                DELAY,
                "social_emotional",
                True,
            ),
            (
                "adaptive",
                "Бейімделу дағдылары (өзіне-өзі қызмет көрсету)",
                "Адаптивные навыки (самообслуживание)",
                "Adaptive skills (self-care)",
                "choice",
                DELAY,
                "adaptive",
                True,
            ),
        ],
    ),
    (
        "audiological_screening",
        "Аудиологиялық скрининг",
        "Аудиологический скрининг",
        "Audiological screening",
        "examination",
        "exam_result",
        None,
        None,
        50,
        [
            ("method", "Әдіс", "Метод", "Method", "choice", HEARING_METHODS, "", True),
            ("right_ear", "Оң құлақ", "Правое ухо", "Right ear", "choice", PASS_REFER, "", True),
            ("left_ear", "Сол құлақ", "Левое ухо", "Left ear", "choice", PASS_REFER, "", True),
            ("performer", *PERFORMER, "text", [], "", True),
            ("facility", *FACILITY, "text", [], "", False),
            ("conclusion", *CONCLUSION, "text", [], "", True),
        ],
    ),
    (
        "eeg",
        "Электроэнцефалография (ЭЭГ)",
        "Электроэнцефалография (ЭЭГ)",
        "Electroencephalography (EEG)",
        "examination",
        "exam_result",
        None,
        None,
        60,
        [
            ("result", "Нәтиже", "Результат", "Result", "choice", NORMAL_ABNORMAL, "", True),
            ("performer", *PERFORMER, "text", [], "", True),
            ("facility", *FACILITY, "text", [], "", False),
            ("conclusion", *CONCLUSION, "text", [], "", True),
        ],
    ),
]


def _item_rows(items):
    for row in items:
        if len(row) == 4:  # a milestone: reached, yes or no
            yield (*row, "yes_no", [], "", True)
        else:
            yield row


def load(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    InstrumentItem = apps.get_model("assessments", "InstrumentItem")
    for code, kk, ru, en, kind, rule, low, high, order, items in INSTRUMENTS:
        if Instrument.objects.filter(code=code).exists():
            continue
        instrument = Instrument.objects.create(
            code=code,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            kind=kind,
            scoring_rule=rule,
            scoring_parameters={},
            min_age_months=low,
            max_age_months=high,
            sort_order=order,
        )
        for number, (item_code, p_kk, p_ru, p_en, answer_type, choices, domain, required) in enumerate(
            _item_rows(items), 1
        ):
            InstrumentItem.objects.create(
                instrument=instrument,
                number=number,
                code=item_code,
                prompt_kk=p_kk,
                prompt_ru=p_ru,
                prompt_en=p_en,
                answer_type=answer_type,
                choices=choices,
                domain=domain,
                required=required,
            )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_instruments_and_assessments")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
