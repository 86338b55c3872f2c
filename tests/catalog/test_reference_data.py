"""The reference lists loaded by catalog.0002_reference_data (domain-kz.md §4 and §7)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tirek.catalog.models import Diagnosis, Profession, Service, ServiceType

SERVICE_TYPES = {
    "household": ("әлеуметтік-тұрмыстық", "социально-бытовые", "social-household"),
    "medical": ("әлеуметтік-медициналық", "социально-медицинские", "social-medical"),
    "psychological": ("әлеуметтік-психологиялық", "социально-психологические", "social-psychological"),
    "pedagogical": ("әлеуметтік-педагогикалық", "социально-педагогические", "social-pedagogical"),
    "labour": ("әлеуметтік-еңбек", "социально-трудовые", "social-labour"),
    "cultural": ("әлеуметтік-мәдени", "социально-культурные", "social-cultural"),
    "economic": ("әлеуметтік-экономикалық", "социально-экономические", "social-economic"),
    "legal": ("әлеуметтік-құқықтық", "социально-правовые", "social-legal"),
}

PROFESSIONS = {
    "speech_therapist",
    "defectologist",
    "psychologist",
    "rehabilitation_doctor",
    "neurologist",
    "paediatrician",
    "physiotherapy_instructor",
    "occupational_therapist",
    "massage_therapist",
    "audiologist",
    "social_worker",
    "social_pedagogue",
    "lawyer",
    "teacher",
    "hotline_operator",
    "case_coordinator",
    "other",
}

# The curated ICD-10 list of domain-kz.md §7: code → Russian name (МКБ-10).
DIAGNOSES_RU = {
    "P05": "Замедленный рост и недостаточность питания плода",
    "P07": "Расстройства, связанные с укорочением срока беременности и малой массой тела при рождении, НКДР",
    "P07.0": "Крайне малая масса тела при рождении",
    "P07.1": "Другие случаи малой массы тела при рождении",
    "P07.2": "Крайняя незрелость",
    "P07.3": "Другие случаи недоношенности",
    "P10": "Разрыв внутричерепных тканей и кровоизлияние вследствие родовой травмы",
    "P11": "Другие родовые травмы центральной нервной системы",
    "P14": "Родовая травма периферической нервной системы",
    "P21": "Асфиксия при родах",
    "P52": "Внутричерепное нетравматическое кровоизлияние у плода и новорожденного",
    "P57": "Ядерная желтуха",
    "P91.2": "Церебральная лейкомаляция у новорожденного",
    "P91.6": "Гипоксически-ишемическая энцефалопатия новорожденного",
    "Q02": "Микроцефалия",
    "Q03": "Врожденная гидроцефалия",
    "Q04": "Другие врожденные аномалии [пороки развития] мозга",
    "Q05": "Spina bifida [неполное закрытие позвоночного канала]",
    "Q86.0": "Алкогольный синдром у плода (дизморфия)",
    "Q90": "Синдром Дауна",
    "Q91": "Синдром Эдвардса и синдром Патау",
    "Q93": "Моносомии и утраты части аутосом, НКДР",
    "Q99.2": "Ломкая X-хромосома",
    "G12": "Спинальная мышечная атрофия и родственные синдромы",
    "G40": "Эпилепсия",
    "G71.0": "Мышечная дистрофия",
    "G80": "Церебральный паралич",
    "G80.0": "Церебральный паралич со спастической тетраплегией",
    "G80.1": "Церебральный паралич со спастической диплегией",
    "G80.2": "Церебральный паралич со спастической гемиплегией",
    "G80.3": "Дискинетический церебральный паралич",
    "G80.4": "Атаксический церебральный паралич",
    "G80.9": "Церебральный паралич неуточненный",
    "G91": "Гидроцефалия",
    "G93.4": "Энцефалопатия неуточненная",
    "H35.1": "Ретинопатия недоношенных",
    "H54": "Нарушение зрения, включая слепоту (бинокулярную или монокулярную)",
    "H90": "Кондуктивная и нейросенсорная потеря слуха",
    "H90.3": "Нейросенсорная потеря слуха двусторонняя",
    "H91.9": "Потеря слуха неуточненная",
    "F70": "Умственная отсталость легкой степени",
    "F71": "Умственная отсталость умеренная",
    "F72": "Умственная отсталость тяжелая",
    "F73": "Умственная отсталость глубокая",
    "F79": "Умственная отсталость неуточненная",
    "F80": "Специфические расстройства развития речи и языка",
    "F80.1": "Расстройство экспрессивной речи",
    "F80.2": "Расстройство рецептивной речи",
    "F82": "Специфические расстройства развития моторной функции",
    "F83": "Смешанные специфические расстройства психологического развития",
    "F84": "Общие расстройства психологического развития",
    "F84.0": "Детский аутизм",
    "F84.1": "Атипичный аутизм",
    "F84.2": "Синдром Ретта",
    "F84.5": "Синдром Аспергера",
    "F88": "Другие расстройства психологического развития",
    "F89": "Расстройство психологического развития неуточненное",
    "F90.0": "Нарушение активности и внимания",
    "E03.1": "Врожденный гипотиреоз без зоба",
    "E70.0": "Классическая фенилкетонурия",
    "R62": "Отсутствие ожидаемого нормального физиологического развития",
    "R62.0": "Задержка этапов развития",
    "R62.8": "Другие виды задержки ожидаемого нормального физиологического развития",
    "R63.3": "Трудности кормления и введения пищи",
    "Z62.2": "Воспитание в закрытом учреждении",
    "Z63": "Другие проблемы, связанные с близкими людьми, включая семейные обстоятельства",
}

MODELS = (ServiceType, Service, Profession, Diagnosis)
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_exactly_the_eight_service_types():
    assert ServiceType.objects.count() == 8
    loaded = {t.code: (t.name_kk, t.name_ru, t.name_en) for t in ServiceType.objects.all()}
    assert loaded == SERVICE_TYPES


@pytest.mark.django_db
def test_services_cover_every_type_and_have_three_names():
    assert 25 <= Service.objects.count() <= 45
    for service in Service.objects.select_related("service_type"):
        assert service.service_type_id is not None
        assert service.service_type.code in SERVICE_TYPES
        assert re.fullmatch(r"[a-z][a-z0-9_]*", service.code), service.code
        assert service.name_kk.strip() and service.name_ru.strip() and service.name_en.strip(), service.code
        assert not CYRILLIC.search(service.name_en), service.code
    used = set(Service.objects.values_list("service_type__code", flat=True))
    assert used == set(SERVICE_TYPES)


@pytest.mark.django_db
def test_services_named_in_the_source_documents_are_filed_under_their_type():
    expected = {
        "speech_therapy_session": "pedagogical",
        "defectology_session": "pedagogical",
        "pedagogical_diagnostics": "pedagogical",
        "group_class": "pedagogical",
        "psychological_consultation": "psychological",
        "psychological_correction_session": "psychological",
        "group_consultation": "psychological",
        "physiotherapy_session": "medical",
        "audiological_screening": "medical",
        "eeg": "medical",
        "legal_consultation": "legal",
        "food_package": "household",
        "employment_counselling": "labour",
    }
    loaded = dict(Service.objects.filter(code__in=expected).values_list("code", "service_type__code"))
    assert loaded == expected
    physiotherapy = Service.objects.get(code="physiotherapy_session")
    assert "ЕДШ" in physiotherapy.name_kk
    assert "ЛФК" in physiotherapy.name_ru


@pytest.mark.django_db
def test_professions():
    assert set(Profession.objects.values_list("code", flat=True)) == PROFESSIONS
    instructor = Profession.objects.get(code="physiotherapy_instructor")
    assert instructor.name_kk == "ЕДШ нұсқаушысы"
    assert instructor.name_ru == "Инструктор ЛФК"


@pytest.mark.django_db
def test_every_diagnosis_of_the_curated_list_with_its_russian_name():
    loaded = dict(Diagnosis.objects.values_list("code", "name_ru"))
    assert loaded == DIAGNOSES_RU
    assert Diagnosis.objects.get(code="G80.1").name_en == "Spastic diplegic cerebral palsy"


@pytest.mark.django_db
def test_kazakh_diagnosis_names_use_the_labels_in_common_use():
    kk = dict(Diagnosis.objects.values_list("code", "name_kk"))
    assert kk["Q90"] == "Даун синдромы"
    assert kk["F84.0"] == "Балалар аутизмі"
    assert kk["G40"] == "Эпилепсия"
    assert "церебралды сал ауруы" in kk["G80"].lower()
    assert kk["H90"].startswith("Есту қабілетінің") and kk["H90"].endswith("төмендеуі")
    # A Kazakh name is not just the Russian one copied over (a few international terms are spelled alike).
    same = {code for code, name in kk.items() if name == DIAGNOSES_RU[code]}
    assert same <= {"Q02", "G40", "G91"}


@pytest.mark.django_db
def test_no_name_is_empty_and_everything_is_active():
    for model in MODELS:
        assert model.objects.exists(), model.__name__
        for item in model.objects.all():
            for field in ("name_kk", "name_ru", "name_en"):
                assert getattr(item, field).strip(), (model.__name__, item.code, field)
            assert item.is_active, (model.__name__, item.code)


@pytest.mark.serial
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reference_data_migration_is_reversible():
    before = _counts()
    assert before == {
        "ServiceType": 8,
        "Service": before["Service"],
        "Profession": len(PROFESSIONS),
        "Diagnosis": len(DIAGNOSES_RU),
    }

    executor = MigrationExecutor(connection)
    executor.migrate([("catalog", "0001_initial")])
    assert _counts() == dict.fromkeys(before, 0)

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert _counts() == before
