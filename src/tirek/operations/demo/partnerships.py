"""Demo memoranda for `tirek demo`, modelled on seed 002: the party's city and regional branches signing
with correction centres, parents' associations and foundations, and the demo's service providers signing
with each other (care leavers' housing, family support, early intervention followed by rehabilitation).

Each memorandum is signed by a manager of one of its parties (the administrator for the branches, which
have no users in the demo), with dates counted back from today; one is a draft, one expired, one
terminated. A memorandum whose title exists is left as it is, so running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone

from tirek.accounts.models import User
from tirek.accounts.services import user_switch_organisation
from tirek.catalog.models import Service
from tirek.directory.choices import PartnershipStatus
from tirek.directory.models import Organisation, Partnership, Region
from tirek.directory.services import partnership_create, partnership_terminate, partnership_update
from tirek.operations.demo.organisations import ORGANISATIONS, demo_bin

# Who signs for an organisation in the demo (its manager), by the organisation's key in the demo command.
SIGNERS = {
    "kenes": "manager",
    "kamkorlyk": "shymkent",
    "rc2": "rc2.manager",
    "amazing_kids": "amazing.kids.manager",
    "sos_almaty": "sos.almaty.manager",
    "sos_astana": "sos.astana.manager",
    "sos_temirtau": "sos.temirtau.manager",
    "graduates": "graduates.manager",
    "youth_house": "youth.house.manager",
}

# title, parties (keys), region KATO, signed (days ago), term (years; None: open-ended), services, status,
# document reference, scope.
MEMORANDA = [
    (
        "Ерекше білім беруді қажет ететін балаларды, оның ішінде АСБ бар балаларды қолдау туралы "
        "өзара ынтымақтастық меморандумы",
        ("branch_shymkent", "shymkent_correction", "amazing_kids", "orda"),
        "790000000",
        410,
        3,
        (
            "pedagogical_diagnostics",
            "defectology_session",
            "psychological_consultation",
            "parents_training_seminar",
        ),
        PartnershipStatus.ACTIVE,
        "«Халық Аманаты» № 14-Ш",
        "Ерекше балалардың, оның ішінде аутизм спектрі бұзылыстары бар балалардың білімге, медициналық және "
        "әлеуметтік қызметтерге тең қолжетімділігін қамтамасыз ету; ерекше балаларды қоғамға интеграциялау.",
    ),
    (
        "Ерекше қажеттіліктері бар балаларға инклюзивті орта қалыптастыру жөніндегі "
        "ынтымақтастық туралы келісім",
        ("branch_mangystau", "ana_mahabbaty", "boccia"),
        "470000000",
        380,
        2,
        ("adaptive_sports_session", "parents_training_seminar"),
        PartnershipStatus.ACTIVE,
        "«Халық кеңесі» № 7-М",
        "Өңірлік деңгейде АСБ бар балаларға арналған инклюзивті, қолайлы орта қалыптастыру; озық тәжірибе "
        "алмасу және бірлескен бастамаларды іске асыру.",
    ),
    (
        "Инклюзивті саясатты дамыту және ерекше балалардың отбасыларын қолдау туралы меморандум",
        ("branch_almaty_region", "kamkor_zhurek", "parents_union"),
        "190000000",
        350,
        3,
        ("parents_training_seminar", "legal_consultation"),
        PartnershipStatus.ACTIVE,
        "№ 3-Қ (Қонаев)",
        "Инклюзивті саясатты дамыту, қоғамда теңдік пен ынтымақтастық идеяларын ілгерілету.",
    ),
    (
        "Балалар үйі түлектерін тұрғын үймен және әлеуметтік сүйемелдеумен қамтамасыз ету туралы меморандум",
        ("graduates", "youth_house"),
        "750000000",
        900,
        None,
        ("housing_assistance", "legal_consultation", "employment_counselling", "psychological_consultation"),
        PartnershipStatus.ACTIVE,
        "№ 21/ЖҮ",
        "«Жастар үйінде» орын беру, түлектерге заңгерлік, психологиялық көмек және жұмысқа орналасуға "
        "жәрдемдесу; №150 сенім телефоны арқылы жолданымдар.",
    ),
    (
        "Қиын жағдайдағы отбасыларды бірлесіп қолдау туралы меморандум",
        ("kenes", "sos_almaty"),
        "750000000",
        240,
        2,
        ("psychological_consultation", "social_worker_home_visit", "speech_therapy_session"),
        PartnershipStatus.ACTIVE,
        "№ 5/2026",
        "Ерекше балалары бар отбасыларды бір-біріне жолдау, бірлескен кеңестер мен ата-аналар семинарлары.",
    ),
    (
        "Ерте араласудан кейінгі оңалту сабақтастығы туралы келісім",
        ("kamkorlyk", "rc2", "shymkent_correction"),
        "790000000",
        300,
        3,
        ("rehabilitation_doctor_consultation", "physiotherapy_session", "pedagogical_diagnostics"),
        PartnershipStatus.ACTIVE,
        "№ 2-ОО",
        "Үш жасқа толған балаларды ерте араласу бөлімінен оңалту орталығына және түзету орталығына "
        "жоспарлы түрде жолдау.",
    ),
    (
        "Асырап алушы ата-аналар мектебінің тәжірибесін тарату туралы меморандум",
        ("sos_almaty", "sos_astana", "sos_temirtau"),
        None,
        800,
        2,
        ("adoptive_parents_school_session",),
        PartnershipStatus.EXPIRED,
        "SOS-2024/03",
        "Асырап алушы ата-аналар мектебінің бағдарламасы мен материалдарымен алмасу.",
    ),
    (
        "Аутизм спектрі бұзылыстары бар балаларға көмек көрсету тәжірибесімен алмасу туралы меморандум",
        ("kenes", "amazing_kids"),
        None,
        10,
        1,
        ("defectology_session", "parents_training_seminar"),
        PartnershipStatus.DRAFT,
        "",
        "Әдістемелік семинарлар мен мамандардың тағылымдамасы.",
    ),
    (
        "Ата-аналарды оңалту қызметтеріне тарту туралы меморандум",
        ("rc2", "orda"),
        "790000000",
        500,
        3,
        ("parents_training_seminar",),
        PartnershipStatus.TERMINATED,
        "№ 11-О",
        "Ата-аналар бірлестігінің өкілдерін оңалту курстарына тарту.",
    ),
]
TERMINATION_REASON = "Тараптардың келісімімен мерзімінен бұрын тоқтатылды."


def _organisations() -> dict[str, Organisation]:

    bins = {demo_bin(row[7]): row[0] for row in ORGANISATIONS}
    return {bins[o.bin]: o for o in Organisation.objects.filter(bin__in=bins)}


def _signer(keys, organisations: dict[str, Organisation], users: dict[str, User]) -> User:
    """A manager of one of the parties, acting in that organisation; the administrator otherwise."""
    for key in keys:
        user = users.get(SIGNERS.get(key, ""))
        if user is None or organisations[key].pk not in user.organisation_ids():
            continue
        if user.active_organisation_id_checked() != organisations[key].pk:
            user_switch_organisation(user=user, organisation_id=organisations[key].pk)
            user.forget_roles()
        if "manager" in user.roles(organisations[key].pk):
            return user
    return users["admin"]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def load_demo_partnerships() -> dict[str, int]:
    """Write the demo memoranda; returns how many there are, how many are in force, and this run's."""
    organisations = _organisations()
    users = {u.username: u for u in User.objects.filter(username__in=[*SIGNERS.values(), "admin"])}
    services = {s.code: s for s in Service.objects.filter(is_active=True)}
    regions = {r.kato: r for r in Region.objects.all()}
    today = timezone.localdate()
    created: Counter = Counter()
    existing = set(Partnership.objects.values_list("title", flat=True))
    with transaction.atomic():
        for user in users.values():
            user.forget_roles()
        for title, keys, kato, days_ago, years, codes, status, reference, scope in MEMORANDA:
            if title in existing or any(key not in organisations for key in keys) or "admin" not in users:
                continue
            signed_on = today - dt.timedelta(days=days_ago)
            actor = _signer(keys, organisations, users)
            partnership = partnership_create(
                actor=actor,
                title=title,
                parties=[organisations[key] for key in keys],
                signed_on=signed_on,
                valid_until=_add_years(signed_on, years) if years else None,
                region=regions.get(kato) if kato else None,
                scope=scope,
                services=[services[code] for code in codes if code in services],
                status=PartnershipStatus.DRAFT
                if status == PartnershipStatus.DRAFT
                else PartnershipStatus.ACTIVE,
                document_reference=reference,
            )
            if status == PartnershipStatus.EXPIRED:
                partnership_update(actor=actor, partnership=partnership, status=PartnershipStatus.EXPIRED)
            elif status == PartnershipStatus.TERMINATED:
                partnership_terminate(
                    actor=actor,
                    partnership=partnership,
                    terminated_on=today - dt.timedelta(days=60),
                    reason=TERMINATION_REASON,
                )
            created["partnerships"] += 1
    return {
        "partnerships": Partnership.objects.count(),
        "in_force": Partnership.objects.in_force_on(today).count(),
        "created": dict(created),
    }
