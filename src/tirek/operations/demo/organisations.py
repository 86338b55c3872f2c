"""The demo's organisations (those of the seed articles), their programmes and one user per role.

Idempotent: running it again updates nothing that exists and resets the demo passwords. The other demo
modules find these organisations by their BIN (`demo_bin`) and sign in as these users.
"""

from __future__ import annotations

from tirek.accounts.models import Membership, User
from tirek.accounts.services import membership_update, staff_add
from tirek.audit.services import audit_created
from tirek.catalog.models import Profession
from tirek.core.iin import check_digit
from tirek.directory.models import Organisation, Programme, Region
from tirek.directory.services import organisation_create, programme_create

DEMO_PASSWORD = "Tirek-demo-2026"  # noqa: S105 (printed demo password, by design)


def demo_bin(prefix: str) -> str:
    """A BIN with a correct check digit for an 11-digit demo prefix (the serial is bumped if needed)."""
    serial = int(prefix[6:])
    while True:
        head = f"{prefix[:6]}{serial:05d}"
        digit = check_digit(head)
        if digit is not None:
            return f"{head}{digit}"
        serial += 1


# key, kk, ru, en, kind, region KATO, parent key, BIN prefix, address, capacity
ORGANISATIONS = [
    (
        "ministry",
        "Қазақстан Республикасы Еңбек және халықты әлеуметтік қорғау министрлігі",
        "Министерство труда и социальной защиты населения Республики Казахстан",
        "Ministry of Labour and Social Protection of the Population",
        "state_body",
        "710000000",
        None,
        "99034000001",
        "Астана, Мәңгілік Ел даңғылы, 8",
        None,
    ),
    (
        "kenes",
        "«Кеңес» әлеуметтік бейімдеу және еңбекке оңалту орталығы",
        "Центр социальной адаптации и трудовой реабилитации «Кеңес»",
        "«Kenes» social adaptation and labour rehabilitation centre",
        "early_intervention",
        "750000000",
        None,
        "23034000101",
        "Алматы, Алмалы ауданы",
        140,
    ),
    (
        "rc2",
        "№2 оңалту орталығы",
        "Реабилитационный центр №2",
        "Rehabilitation Centre No 2",
        "rehabilitation",
        "790000000",
        None,
        "18044000201",
        "Шымкент",
        None,
    ),
    (
        "kamkorlyk",
        "«Қамқорлық» ерте араласу бөлімі",
        "Отделение ранней помощи «Қамқорлық»",
        "«Kamkorlyk» early-intervention unit",
        "early_intervention",
        "790000000",
        "rc2",
        "23044000301",
        "Шымкент, №2 оңалту орталығы",
        150,
    ),
    (
        "sos_almaty",
        "SOS Балалар ауылдары Қазақстан — Алматыдағы бала мен отбасын қолдау орталығы",
        "SOS Детские деревни Казахстана — Центр поддержки детей и семей в Алматы",
        "SOS Children's Villages Kazakhstan — Child and Family Support Centre, Almaty",
        "family_support",
        "750000000",
        None,
        "17014000401",
        "Алматы",
        200,
    ),
    (
        "sos_astana",
        "SOS Балалар ауылдары Қазақстан — Астанадағы бала мен отбасын қолдау орталығы",
        "SOS Детские деревни Казахстана — Центр поддержки детей и семей в Астане",
        "SOS Children's Villages Kazakhstan — Child and Family Support Centre, Astana",
        "family_support",
        "710000000",
        None,
        "17014000501",
        "Астана",
        150,
    ),
    (
        "sos_temirtau",
        "SOS Балалар ауылдары Қазақстан — Теміртаудағы бала мен отбасын қолдау орталығы",
        "SOS Детские деревни Казахстана — Центр поддержки детей и семей в Темиртау",
        "SOS Children's Villages Kazakhstan — Child and Family Support Centre, Temirtau",
        "family_support",
        "350000000",
        None,
        "17014000601",
        "Теміртау",
        120,
    ),
    (
        "graduates",
        "Балалар үйлерінің түлектері қауымдастығы",
        "Ассоциация выпускников детских домов",
        "Association of Graduates of Children's Homes",
        "care_leaver_association",
        "750000000",
        None,
        "15054000701",
        "Алматы",
        None,
    ),
    (
        "youth_house",
        "«Жастар үйі»",
        "«Дом молодёжи» (Жастар үйі)",
        "«Zhastar uii» youth house",
        "youth_house",
        "750000000",
        "graduates",
        "19054000801",
        "Алматы",
        190,
    ),
    (
        "shymkent_correction",
        "Шымкент қалалық білім басқармасының психологиялық-педагогикалық түзету орталығы",
        "Центр психолого-педагогической коррекции управления образования города Шымкент",
        "Psychological-pedagogical correction centre of the Shymkent education department",
        "inclusion_cabinet",
        "790000000",
        None,
        "18094000901",
        "Шымкент",
        None,
    ),
    (
        "amazing_kids",
        "«Amazing kids» түзету орталығы",
        "Коррекционный центр «Amazing kids»",
        "«Amazing kids» correction centre",
        "autism_centre",
        "790000000",
        None,
        "20114001001",
        "Шымкент",
        None,
    ),
    (
        "orda",
        "«ОРДА» ата-аналар қауымдастығы",
        "Ассоциация родителей «ОРДА»",
        "«ORDA» parents' association",
        "parents_association",
        "790000000",
        None,
        "21024001101",
        "Шымкент",
        None,
    ),
    (
        "branch_shymkent",
        "Партияның Шымкент қалалық филиалы",
        "Шымкентский городской филиал партии",
        "Party branch, Shymkent city",
        "public_association",
        "790000000",
        None,
        "08014001201",
        "Шымкент",
        None,
    ),
    (
        "ana_mahabbaty",
        "«Ана махаббаты» қоры",
        "Фонд «Ана махаббаты»",
        "«Ana mahabbaty» foundation",
        "ngo",
        "470000000",
        None,
        "16034001301",
        "Ақтау",
        None,
    ),
    (
        "boccia",
        "Маңғыстау облыстық параолимпиялық бочча федерациясы",
        "Мангистауская областная федерация паралимпийского бочча",
        "Mangystau Paralympic boccia federation",
        "ngo",
        "470000000",
        None,
        "19074001401",
        "Ақтау",
        None,
    ),
    (
        "branch_mangystau",
        "Партияның Маңғыстау облыстық филиалы",
        "Мангистауский областной филиал партии",
        "Party branch, Mangystau region",
        "public_association",
        "470000000",
        None,
        "08014001501",
        "Ақтау",
        None,
    ),
    (
        "kamkor_zhurek",
        "«Қамқор Жүрек» қауымдастығы",
        "Ассоциация «Қамқор Жүрек»",
        "«Kamkor Zhurek» association",
        "parents_association",
        "190000000",
        None,
        "20034001601",
        "Қонаев",
        None,
    ),
    (
        "parents_union",
        "Ерекше балалардың ата-аналарының республикалық одағы",
        "Республиканский союз родителей особых детей",
        "Republican union of parents of special children",
        "parents_association",
        "190000000",
        None,
        "21054001701",
        "Қонаев",
        None,
    ),
    (
        "branch_almaty_region",
        "Партияның Алматы облыстық филиалы",
        "Алматинский областной филиал партии",
        "Party branch, Almaty region",
        "public_association",
        "190000000",
        None,
        "08014001801",
        "Қонаев",
        None,
    ),
]

# organisation key, kk, ru, en, kind, min months, max months, capacity, target
PROGRAMMES = [
    (
        "kenes",
        "Ерте араласу (0–3 жас)",
        "Ранняя помощь (0–3 года)",
        "Early intervention (0–3)",
        "early_intervention",
        0,
        36,
        140,
        140,
    ),
    (
        "kenes",
        "Дамуды қолдау (3–7 жас)",
        "Поддержка развития (3–7 лет)",
        "Developmental support (3–7)",
        "developmental_support",
        36,
        84,
        60,
        50,
    ),
    (
        "kamkorlyk",
        "Ерте араласу (3 айдан 3 жасқа дейін)",
        "Ранняя помощь (от 3 месяцев до 3 лет)",
        "Early intervention (3 months – 3 years)",
        "early_intervention",
        3,
        36,
        600,
        600,
    ),
    (
        "rc2",
        "Балаларды оңалту",
        "Реабилитация детей",
        "Children's rehabilitation",
        "rehabilitation",
        0,
        216,
        400,
        350,
    ),
    (
        "sos_almaty",
        "Отбасын нығайту",
        "Укрепление семьи",
        "Family strengthening",
        "family_strengthening",
        None,
        None,
        183,
        180,
    ),
    (
        "sos_almaty",
        "Асырап алушы ата-аналар мектебі",
        "Школа приёмных родителей",
        "Adoptive parents' school",
        "foster_parent_school",
        216,
        None,
        100,
        92,
    ),
    (
        "sos_astana",
        "Отбасын нығайту",
        "Укрепление семьи",
        "Family strengthening",
        "family_strengthening",
        None,
        None,
        120,
        100,
    ),
    (
        "sos_temirtau",
        "Отбасын нығайту",
        "Укрепление семьи",
        "Family strengthening",
        "family_strengthening",
        None,
        None,
        100,
        80,
    ),
    (
        "graduates",
        "Балалар үйі түлектерін қолдау",
        "Сопровождение выпускников детских домов",
        "Care-leaver support",
        "care_leaver_support",
        216,
        348,
        1300,
        1289,
    ),
    (
        "youth_house",
        "Жастар үйінде тұру",
        "Проживание в Доме молодёжи",
        "Youth house residence",
        "youth_house",
        216,
        348,
        190,
        190,
    ),
    (
        "amazing_kids",
        "Аутизм спектрі бұзылыстары бар балаларды қолдау",
        "Поддержка детей с расстройствами аутистического спектра",
        "Support for autistic children",
        "autism_support",
        24,
        216,
        80,
        70,
    ),
]

# username, last, first, patronymic, organisation key, role, profession code
USERS = [
    ("admin", "Әбенова", "Гүлнар", "Серікқызы", "ministry", "administrator", None),
    ("analyst", "Жақсылықов", "Ерлан", "Маратұлы", "ministry", "analyst", None),
    ("manager", "Сейітова", "Дана", "Бекқызы", "kenes", "manager", None),
    ("coordinator", "Қасымова", "Айгерім", "Нұрланқызы", "kenes", "coordinator", "case_coordinator"),
    ("specialist", "Омарова", "Сәуле", "Қайратқызы", "kenes", "specialist", "speech_therapist"),
    ("intake", "Ахметов", "Нұрлан", "Бақытұлы", "kenes", "intake", "hotline_operator"),
    ("shymkent", "Түрсынбаев", "Бауыржан", "Әсетұлы", "kamkorlyk", "manager", "rehabilitation_doctor"),
]
# A second organisation for one user, so the organisation switch has something to switch.
EXTRA_MEMBERSHIPS = [("shymkent", "rc2", "specialist", "neurologist")]


def load_demo_organisations() -> tuple[dict[str, Organisation], list[tuple[str, str, str]]]:
    """The organisations by key, and each printed login: (username, role, organisation's name)."""
    organisations, admin = _organisations()
    _programmes(organisations, admin=admin)
    return organisations, _users(organisations, admin=admin)


def _admin(ministry: Organisation) -> User:
    admin, _created = User.objects.get_or_create(
        username="admin",
        defaults={"last_name": "Әбенова", "first_name": "Гүлнар", "patronymic": "Серікқызы"},
    )
    if not Membership.objects.filter(user=admin, organisation=ministry).exists():
        membership = Membership.objects.create(user=admin, organisation=ministry, role="administrator")
        # The first administrator has nobody to appoint them: the bootstrap itself is the actor.
        audit_created(actor=None, obj=membership, organisation=ministry, note="tirek demo bootstrap")
    admin.active_organisation = ministry
    admin.save(update_fields=["active_organisation"])
    admin.forget_roles()
    return admin


def _organisations() -> tuple[dict[str, Organisation], User]:
    regions = {r.kato: r for r in Region.objects.all()}
    found: dict[str, Organisation] = {}
    admin = None
    for key, kk, ru, en, kind, kato, parent, bin_prefix, address, capacity in ORGANISATIONS:
        bin_number = demo_bin(bin_prefix)
        existing = Organisation.objects.filter(bin=bin_number).first()
        if existing is None and key == "ministry":
            existing = Organisation.objects.create(
                name_kk=kk,
                name_ru=ru,
                name_en=en,
                kind=kind,
                region=regions[kato],
                bin=bin_number,
                address=address,
            )
            audit_created(actor=None, obj=existing, organisation=existing, note="tirek demo bootstrap")
        if key == "ministry":
            admin = _admin(existing)
        if existing is None:
            existing = organisation_create(
                actor=admin,
                name_kk=kk,
                name_ru=ru,
                name_en=en,
                kind=kind,
                region=regions[kato],
                parent=found.get(parent),
                bin=bin_number,
                address=address,
                capacity=capacity,
            )
        found[key] = existing
    return found, admin


def _programmes(organisations: dict[str, Organisation], *, admin: User) -> None:
    for key, kk, ru, en, kind, low, high, capacity, target in PROGRAMMES:
        organisation = organisations[key]
        if Programme.objects.filter(organisation=organisation, name_kk=kk).exists():
            continue
        programme_create(
            actor=admin,
            organisation=organisation,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            kind=kind,
            min_age_months=low,
            max_age_months=high,
            yearly_capacity=capacity,
            yearly_target=target,
        )


def _users(organisations: dict[str, Organisation], *, admin: User) -> list[tuple[str, str, str]]:
    professions = {p.code: p for p in Profession.objects.all()}
    logins = []
    memberships = [(u, o, r, p) for u, *_names, o, r, p in USERS] + EXTRA_MEMBERSHIPS
    names = {u: (last, first, patronymic) for u, last, first, patronymic, *_rest in USERS}
    for username, key, role, profession_code in memberships:
        organisation = organisations[key]
        last, first, patronymic = names[username]
        membership = Membership.objects.filter(user__username=username, organisation=organisation).first()
        if membership is None:
            membership = staff_add(
                actor=admin,
                organisation=organisation,
                username=username,
                role=role,
                profession=professions.get(profession_code),
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                send_invitation=False,
            )
        elif membership.role != role:
            membership_update(actor=admin, membership=membership, role=role)
        if (username, key) not in {(u, k) for u, k, *_ in EXTRA_MEMBERSHIPS}:
            logins.append((username, membership.get_role_display(), organisation.name_kk))
    for username in names:
        user = User.objects.get(username=username)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return logins
