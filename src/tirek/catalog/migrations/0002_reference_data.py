"""Load the starting reference lists: service types, services, professions and the curated ICD-10 list.

Administrators extend these tables; this migration only seeds them. Sources: the 8 types of special social
services of the Social Code (20.04.2023), the services the organisations of the seed documents deliver, and
a short ICD-10 list (WHO does not allow redistributing the full classification). Russian diagnosis names
follow the Russian МКБ-10 reference; Kazakh names are to be reviewed by a clinician.
"""

from django.db import migrations

# (code, name_kk, name_ru, name_en)
SERVICE_TYPES = [
    ("household", "әлеуметтік-тұрмыстық", "социально-бытовые", "social-household"),
    ("medical", "әлеуметтік-медициналық", "социально-медицинские", "social-medical"),
    ("psychological", "әлеуметтік-психологиялық", "социально-психологические", "social-psychological"),
    ("pedagogical", "әлеуметтік-педагогикалық", "социально-педагогические", "social-pedagogical"),
    ("labour", "әлеуметтік-еңбек", "социально-трудовые", "social-labour"),
    ("cultural", "әлеуметтік-мәдени", "социально-культурные", "social-cultural"),
    ("economic", "әлеуметтік-экономикалық", "социально-экономические", "social-economic"),
    ("legal", "әлеуметтік-құқықтық", "социально-правовые", "social-legal"),
]

# (code, service type code, name_kk, name_ru, name_en)
SERVICES = [
    # social-household
    (
        "social_worker_home_visit",
        "household",
        "Әлеуметтік қызметкердің үйге баруы",
        "Посещение на дому социальным работником",
        "Social worker home visit",
    ),
    ("food_package", "household", "Азық-түлік жиынтығы", "Продуктовый набор", "Food package"),
    ("hygiene_kit", "household", "Гигиеналық жиынтық", "Гигиенический набор", "Hygiene kit"),
    ("clothing", "household", "Киім-кешекпен қамтамасыз ету", "Обеспечение одеждой", "Clothing"),
    ("school_kit", "household", "Мектеп жиынтығы", "Школьный набор", "School kit"),
    # social-medical
    (
        "rehabilitation_doctor_consultation",
        "medical",
        "Оңалту дәрігерінің кеңесі",
        "Консультация врача-реабилитолога",
        "Rehabilitation doctor consultation",
    ),
    (
        "neurologist_consultation",
        "medical",
        "Невролог кеңесі",
        "Консультация невролога",
        "Neurologist consultation",
    ),
    (
        "paediatrician_consultation",
        "medical",
        "Педиатр кеңесі",
        "Консультация педиатра",
        "Paediatrician consultation",
    ),
    (
        "physiotherapy_session",
        "medical",
        "Емдік дене шынықтыру (ЕДШ) сабағы",
        "Занятие лечебной физкультурой (ЛФК)",
        "Physiotherapy (therapeutic exercise) session",
    ),
    ("massage", "medical", "Емдік массаж", "Лечебный массаж", "Therapeutic massage"),
    (
        "occupational_therapy_session",
        "medical",
        "Эрготерапия сабағы",
        "Занятие по эрготерапии",
        "Occupational therapy session",
    ),
    (
        "audiological_screening",
        "medical",
        "Аудиологиялық скрининг",
        "Аудиологический скрининг",
        "Audiological screening",
    ),
    (
        "eeg",
        "medical",
        "Электроэнцефалография (ЭЭГ)",
        "Электроэнцефалография (ЭЭГ)",
        "Electroencephalography (EEG)",
    ),
    # social-psychological
    (
        "psychological_consultation",
        "psychological",
        "Психологиялық кеңес беру",
        "Психологическая консультация",
        "Psychological consultation",
    ),
    (
        "psychological_correction_session",
        "psychological",
        "Психологиялық түзету сабағы",
        "Занятие по психологической коррекции",
        "Psychological correction session",
    ),
    (
        "psychological_diagnostics",
        "psychological",
        "Психологиялық диагностика",
        "Психологическая диагностика",
        "Psychological assessment",
    ),
    (
        "group_consultation",
        "psychological",
        "Топтық кеңес беру",
        "Групповая консультация",
        "Group consultation",
    ),
    (
        "helpline_consultation",
        "psychological",
        "Сенім телефоны арқылы кеңес беру",
        "Консультация по телефону доверия",
        "Helpline consultation",
    ),
    (
        "family_reunification_support",
        "psychological",
        "Туған отбасымен қайта табысуға жәрдемдесу",
        "Содействие воссоединению с кровной семьей",
        "Family reunification support",
    ),
    # social-pedagogical
    (
        "speech_therapy_session",
        "pedagogical",
        "Логопедтік сабақ",
        "Логопедическое занятие",
        "Speech-therapy session",
    ),
    (
        "defectology_session",
        "pedagogical",
        "Дефектологиялық сабақ",
        "Дефектологическое занятие",
        "Defectology (special education) session",
    ),
    (
        "pedagogical_diagnostics",
        "pedagogical",
        "Педагогикалық диагностика",
        "Педагогическая диагностика",
        "Pedagogical diagnostics",
    ),
    (
        "group_class",
        "pedagogical",
        "Топтық (фронталды) сабақ",
        "Групповое (фронтальное) занятие",
        "Group (frontal) class",
    ),
    (
        "school_readiness_session",
        "pedagogical",
        "Мектепке дайындық сабағы",
        "Занятие по подготовке к школе",
        "School-readiness session",
    ),
    (
        "parents_training_seminar",
        "pedagogical",
        "Ата-аналарға арналған оқыту семинары",
        "Обучающий семинар для родителей",
        "Parents' training seminar",
    ),
    (
        "adoptive_parents_school_session",
        "pedagogical",
        "Қабылдаушы ата-аналар мектебінің сабағы",
        "Занятие в школе приемных родителей",
        "Adoptive parents' school session",
    ),
    # social-labour
    (
        "employment_counselling",
        "labour",
        "Жұмысқа орналасу бойынша кеңес беру",
        "Консультация по трудоустройству",
        "Employment counselling",
    ),
    (
        "job_placement_support",
        "labour",
        "Жұмысқа орналасуға жәрдемдесу",
        "Содействие в трудоустройстве",
        "Job placement support",
    ),
    ("vocational_training", "labour", "Кәсіптік оқыту", "Профессиональное обучение", "Vocational training"),
    (
        "work_skills_training",
        "labour",
        "Еңбек дағдыларына үйрету",
        "Обучение трудовым навыкам",
        "Work skills training",
    ),
    # social-cultural
    (
        "cultural_leisure_event",
        "cultural",
        "Мәдени-демалыс іс-шарасы",
        "Культурно-досуговое мероприятие",
        "Cultural and leisure event",
    ),
    (
        "adaptive_sports_session",
        "cultural",
        "Бейімделген спорт сабағы",
        "Занятие адаптивным спортом",
        "Adaptive sports session",
    ),
    # social-economic
    (
        "housing_assistance",
        "economic",
        "Тұрғын үй табуға көмек",
        "Содействие в поиске жилья",
        "Help finding housing",
    ),
    ("cash_aid", "economic", "Ақшалай көмек", "Денежная помощь", "Cash aid"),
    (
        "benefits_assistance",
        "economic",
        "Жәрдемақылар мен әлеуметтік төлемдерді ресімдеуге көмек",
        "Содействие в оформлении пособий и социальных выплат",
        "Help applying for benefits and social payments",
    ),
    # social-legal
    ("legal_consultation", "legal", "Заңгерлік кеңес", "Юридическая консультация", "Legal consultation"),
    (
        "document_assistance",
        "legal",
        "Құжаттарды ресімдеуге көмек",
        "Помощь в оформлении документов",
        "Help with documents",
    ),
    (
        "legal_representation",
        "legal",
        "Сотта және мемлекеттік органдарда мүддені білдіру",
        "Представительство интересов в суде и государственных органах",
        "Representation in court and before state bodies",
    ),
]

# (code, name_kk, name_ru, name_en)
PROFESSIONS = [
    ("speech_therapist", "Логопед", "Логопед", "Speech therapist"),
    ("defectologist", "Дефектолог", "Дефектолог", "Defectologist (special education teacher)"),
    ("psychologist", "Психолог", "Психолог", "Psychologist"),
    ("rehabilitation_doctor", "Оңалту дәрігері", "Врач-реабилитолог", "Rehabilitation doctor"),
    ("neurologist", "Невролог", "Невролог", "Neurologist"),
    ("paediatrician", "Педиатр", "Педиатр", "Paediatrician"),
    (
        "physiotherapy_instructor",
        "ЕДШ нұсқаушысы",
        "Инструктор ЛФК",
        "Physiotherapy (exercise therapy) instructor",
    ),
    ("occupational_therapist", "Эрготерапевт", "Эрготерапевт", "Occupational therapist"),
    ("massage_therapist", "Массажист", "Массажист", "Massage therapist"),
    ("audiologist", "Сурдолог-аудиолог", "Сурдолог-аудиолог", "Audiologist"),
    ("social_worker", "Әлеуметтік қызметкер", "Социальный работник", "Social worker"),
    ("social_pedagogue", "Әлеуметтік педагог", "Социальный педагог", "Social pedagogue"),
    ("lawyer", "Заңгер", "Юрист", "Lawyer"),
    ("teacher", "Педагог", "Педагог", "Teacher"),
    ("hotline_operator", "Сенім телефонының операторы", "Оператор телефона доверия", "Helpline operator"),
    (
        "case_coordinator",
        "Жағдай үйлестірушісі (кейс-менеджер)",
        "Координатор случая (кейс-менеджер)",
        "Case coordinator",
    ),
    ("other", "Басқа", "Другое", "Other"),
]

# (code, name_kk, name_ru (МКБ-10), name_en (WHO ICD-10 2019))
DIAGNOSES = [
    (
        "P05",
        "Ұрықтың баяу өсуі және қоректенуінің жеткіліксіздігі",
        "Замедленный рост и недостаточность питания плода",
        "Slow fetal growth and fetal malnutrition",
    ),
    (
        "P07",
        "Жүктілік мерзімінің қысқаруымен және туған кездегі дене салмағының аздығымен байланысты бұзылыстар, "
        "басқа айдарларда жіктелмеген",
        "Расстройства, связанные с укорочением срока беременности и малой массой тела при рождении, НКДР",
        "Disorders related to short gestation and low birth weight, NEC",
    ),
    (
        "P07.0",
        "Туған кездегі дене салмағының аса аздығы",
        "Крайне малая масса тела при рождении",
        "Extremely low birth weight",
    ),
    (
        "P07.1",
        "Туған кездегі дене салмағы аздығының басқа жағдайлары",
        "Другие случаи малой массы тела при рождении",
        "Other low birth weight",
    ),
    ("P07.2", "Аса жетілмегендік", "Крайняя незрелость", "Extreme immaturity"),
    ("P07.3", "Шала туылудың басқа жағдайлары", "Другие случаи недоношенности", "Other preterm infants"),
    (
        "P10",
        "Туу жарақатынан болған бассүйекішілік тіндердің жыртылуы және қан құйылу",
        "Разрыв внутричерепных тканей и кровоизлияние вследствие родовой травмы",
        "Intracranial laceration and haemorrhage due to birth injury",
    ),
    (
        "P11",
        "Орталық жүйке жүйесінің басқа туу жарақаттары",
        "Другие родовые травмы центральной нервной системы",
        "Other birth injuries to central nervous system",
    ),
    (
        "P14",
        "Шеткі жүйке жүйесінің туу жарақаты",
        "Родовая травма периферической нервной системы",
        "Birth injury to peripheral nervous system",
    ),
    ("P21", "Босану кезіндегі асфиксия", "Асфиксия при родах", "Birth asphyxia"),
    (
        "P52",
        "Ұрық пен жаңа туған нәрестенің бассүйекішілік жарақаттық емес қан құйылуы",
        "Внутричерепное нетравматическое кровоизлияние у плода и новорожденного",
        "Intracranial nontraumatic haemorrhage of fetus and newborn",
    ),
    ("P57", "Ядролық сарғаю", "Ядерная желтуха", "Kernicterus"),
    (
        "P91.2",
        "Жаңа туған нәрестенің церебралды лейкомаляциясы",
        "Церебральная лейкомаляция у новорожденного",
        "Neonatal cerebral leukomalacia",
    ),
    (
        "P91.6",
        "Жаңа туған нәрестенің гипоксиялық-ишемиялық энцефалопатиясы",
        "Гипоксически-ишемическая энцефалопатия новорожденного",
        "Hypoxic ischaemic encephalopathy of newborn",
    ),
    ("Q02", "Микроцефалия", "Микроцефалия", "Microcephaly"),
    ("Q03", "Туа біткен гидроцефалия", "Врожденная гидроцефалия", "Congenital hydrocephalus"),
    (
        "Q04",
        "Мидың басқа туа біткен ауытқулары [даму ақаулары]",
        "Другие врожденные аномалии [пороки развития] мозга",
        "Other congenital malformations of brain",
    ),
    (
        "Q05",
        "Spina bifida [омыртқа өзегінің толық жабылмауы]",
        "Spina bifida [неполное закрытие позвоночного канала]",
        "Spina bifida",
    ),
    (
        "Q86.0",
        "Ұрықтың алкогольдік синдромы (дизморфия)",
        "Алкогольный синдром у плода (дизморфия)",
        "Fetal alcohol syndrome (dysmorphic)",
    ),
    ("Q90", "Даун синдромы", "Синдром Дауна", "Down syndrome"),
    (
        "Q91",
        "Эдвардс синдромы және Патау синдромы",
        "Синдром Эдвардса и синдром Патау",
        "Edwards syndrome and Patau syndrome",
    ),
    (
        "Q93",
        "Аутосомалардың моносомиялары және бір бөлігінің жоғалуы, басқа айдарларда жіктелмеген",
        "Моносомии и утраты части аутосом, НКДР",
        "Monosomies and deletions from the autosomes, NEC",
    ),
    ("Q99.2", "Сынғыш X-хромосома", "Ломкая X-хромосома", "Fragile X chromosome"),
    (
        "G12",
        "Жұлындық бұлшықет атрофиясы және соған туыстас синдромдар",
        "Спинальная мышечная атрофия и родственные синдромы",
        "Spinal muscular atrophy and related syndromes",
    ),
    ("G40", "Эпилепсия", "Эпилепсия", "Epilepsy"),
    ("G71.0", "Бұлшықет дистрофиясы", "Мышечная дистрофия", "Muscular dystrophy"),
    ("G80", "Церебралды сал ауруы", "Церебральный паралич", "Cerebral palsy"),
    (
        "G80.0",
        "Спастикалық тетраплегиямен жүретін церебралды сал ауруы",
        "Церебральный паралич со спастической тетраплегией",
        "Spastic quadriplegic cerebral palsy",
    ),
    (
        "G80.1",
        "Спастикалық диплегиямен жүретін церебралды сал ауруы",
        "Церебральный паралич со спастической диплегией",
        "Spastic diplegic cerebral palsy",
    ),
    (
        "G80.2",
        "Спастикалық гемиплегиямен жүретін церебралды сал ауруы",
        "Церебральный паралич со спастической гемиплегией",
        "Spastic hemiplegic cerebral palsy",
    ),
    (
        "G80.3",
        "Дискинетикалық церебралды сал ауруы",
        "Дискинетический церебральный паралич",
        "Dyskinetic cerebral palsy",
    ),
    (
        "G80.4",
        "Атаксиялық церебралды сал ауруы",
        "Атаксический церебральный паралич",
        "Ataxic cerebral palsy",
    ),
    (
        "G80.9",
        "Церебралды сал ауруы, нақтыланбаған",
        "Церебральный паралич неуточненный",
        "Cerebral palsy, unspecified",
    ),
    ("G91", "Гидроцефалия", "Гидроцефалия", "Hydrocephalus"),
    ("G93.4", "Энцефалопатия, нақтыланбаған", "Энцефалопатия неуточненная", "Encephalopathy, unspecified"),
    ("H35.1", "Шала туылғандардың ретинопатиясы", "Ретинопатия недоношенных", "Retinopathy of prematurity"),
    (
        "H54",
        "Көрудің бұзылуы, соның ішінде соқырлық (бинокулярлық немесе монокулярлық)",
        "Нарушение зрения, включая слепоту (бинокулярную или монокулярную)",
        "Visual impairment including blindness (binocular or monocular)",
    ),
    (
        "H90",
        "Есту қабілетінің кондуктивтік және нейросенсорлық төмендеуі",
        "Кондуктивная и нейросенсорная потеря слуха",
        "Conductive and sensorineural hearing loss",
    ),
    (
        "H90.3",
        "Есту қабілетінің екі жақты нейросенсорлық төмендеуі",
        "Нейросенсорная потеря слуха двусторонняя",
        "Sensorineural hearing loss, bilateral",
    ),
    (
        "H91.9",
        "Есту қабілетінің төмендеуі, нақтыланбаған",
        "Потеря слуха неуточненная",
        "Hearing loss, unspecified",
    ),
    (
        "F70",
        "Жеңіл дәрежелі ақыл-ой кемістігі",
        "Умственная отсталость легкой степени",
        "Mild mental retardation",
    ),
    (
        "F71",
        "Орташа дәрежелі ақыл-ой кемістігі",
        "Умственная отсталость умеренная",
        "Moderate mental retardation",
    ),
    ("F72", "Ауыр дәрежелі ақыл-ой кемістігі", "Умственная отсталость тяжелая", "Severe mental retardation"),
    (
        "F73",
        "Терең дәрежелі ақыл-ой кемістігі",
        "Умственная отсталость глубокая",
        "Profound mental retardation",
    ),
    (
        "F79",
        "Ақыл-ой кемістігі, нақтыланбаған",
        "Умственная отсталость неуточненная",
        "Unspecified mental retardation",
    ),
    (
        "F80",
        "Сөйлеу мен тіл дамуының арнайы бұзылыстары",
        "Специфические расстройства развития речи и языка",
        "Specific developmental disorders of speech and language",
    ),
    (
        "F80.1",
        "Экспрессивті сөйлеудің бұзылысы",
        "Расстройство экспрессивной речи",
        "Expressive language disorder",
    ),
    (
        "F80.2",
        "Рецептивті сөйлеудің бұзылысы",
        "Расстройство рецептивной речи",
        "Receptive language disorder",
    ),
    (
        "F82",
        "Қимыл-қозғалыс функциясы дамуының арнайы бұзылыстары",
        "Специфические расстройства развития моторной функции",
        "Specific developmental disorder of motor function",
    ),
    (
        "F83",
        "Психологиялық дамудың аралас арнайы бұзылыстары",
        "Смешанные специфические расстройства психологического развития",
        "Mixed specific developmental disorders",
    ),
    (
        "F84",
        "Психологиялық дамудың жалпы бұзылыстары",
        "Общие расстройства психологического развития",
        "Pervasive developmental disorders",
    ),
    ("F84.0", "Балалар аутизмі", "Детский аутизм", "Childhood autism"),
    ("F84.1", "Атипті аутизм", "Атипичный аутизм", "Atypical autism"),
    ("F84.2", "Ретт синдромы", "Синдром Ретта", "Rett syndrome"),
    ("F84.5", "Аспергер синдромы", "Синдром Аспергера", "Asperger syndrome"),
    (
        "F88",
        "Психологиялық дамудың басқа бұзылыстары",
        "Другие расстройства психологического развития",
        "Other disorders of psychological development",
    ),
    (
        "F89",
        "Психологиялық дамудың бұзылысы, нақтыланбаған",
        "Расстройство психологического развития неуточненное",
        "Unspecified disorder of psychological development",
    ),
    (
        "F90.0",
        "Белсенділік пен зейіннің бұзылуы",
        "Нарушение активности и внимания",
        "Disturbance of activity and attention",
    ),
    (
        "E03.1",
        "Жемсаусыз туа біткен гипотиреоз",
        "Врожденный гипотиреоз без зоба",
        "Congenital hypothyroidism without goitre",
    ),
    ("E70.0", "Классикалық фенилкетонурия", "Классическая фенилкетонурия", "Classical phenylketonuria"),
    (
        "R62",
        "Күтілетін қалыпты физиологиялық дамудың болмауы",
        "Отсутствие ожидаемого нормального физиологического развития",
        "Lack of expected normal physiological development",
    ),
    ("R62.0", "Даму кезеңдерінің кешігуі", "Задержка этапов развития", "Delayed milestone"),
    (
        "R62.8",
        "Күтілетін қалыпты физиологиялық дамудың кешігуінің басқа түрлері",
        "Другие виды задержки ожидаемого нормального физиологического развития",
        "Other lack of expected normal physiological development",
    ),
    (
        "R63.3",
        "Тамақтандыру және тамақ енгізу қиындықтары",
        "Трудности кормления и введения пищи",
        "Feeding difficulties and mismanagement",
    ),
    ("Z62.2", "Жабық мекемеде тәрбиелену", "Воспитание в закрытом учреждении", "Institutional upbringing"),
    (
        "Z63",
        "Жақын адамдармен байланысты басқа проблемалар, соның ішінде отбасылық жағдайлар",
        "Другие проблемы, связанные с близкими людьми, включая семейные обстоятельства",
        "Other problems related to primary support group, incl. family circumstances",
    ),
]


def _names(name_kk, name_ru, name_en):
    return {"name_kk": name_kk, "name_ru": name_ru, "name_en": name_en, "is_active": True}


def load_reference_data(apps, schema_editor):
    db = schema_editor.connection.alias
    ServiceType = apps.get_model("catalog", "ServiceType")
    Service = apps.get_model("catalog", "Service")
    Profession = apps.get_model("catalog", "Profession")
    Diagnosis = apps.get_model("catalog", "Diagnosis")

    types = {}
    for position, (code, name_kk, name_ru, name_en) in enumerate(SERVICE_TYPES, start=1):
        types[code], _ = ServiceType.objects.using(db).update_or_create(
            code=code, defaults={**_names(name_kk, name_ru, name_en), "sort_order": position * 10}
        )
    for position, (code, type_code, name_kk, name_ru, name_en) in enumerate(SERVICES, start=1):
        Service.objects.using(db).update_or_create(
            code=code,
            defaults={
                **_names(name_kk, name_ru, name_en),
                "service_type": types[type_code],
                "sort_order": position * 10,
            },
        )
    for position, (code, name_kk, name_ru, name_en) in enumerate(PROFESSIONS, start=1):
        Profession.objects.using(db).update_or_create(
            code=code, defaults={**_names(name_kk, name_ru, name_en), "sort_order": position * 10}
        )
    for position, (code, name_kk, name_ru, name_en) in enumerate(DIAGNOSES, start=1):
        Diagnosis.objects.using(db).update_or_create(
            code=code, defaults={**_names(name_kk, name_ru, name_en), "sort_order": position * 10}
        )


def unload_reference_data(apps, schema_editor):
    db = schema_editor.connection.alias
    # Services first: they hold a protected foreign key to their service type.
    apps.get_model("catalog", "Service").objects.using(db).filter(
        code__in=[row[0] for row in SERVICES]
    ).delete()
    apps.get_model("catalog", "ServiceType").objects.using(db).filter(
        code__in=[row[0] for row in SERVICE_TYPES]
    ).delete()
    apps.get_model("catalog", "Profession").objects.using(db).filter(
        code__in=[row[0] for row in PROFESSIONS]
    ).delete()
    apps.get_model("catalog", "Diagnosis").objects.using(db).filter(
        code__in=[row[0] for row in DIAGNOSES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_reference_data, unload_reference_data),
    ]
