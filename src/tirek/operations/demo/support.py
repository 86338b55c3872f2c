"""Demo appeals, material aid and outcomes for `tirek demo`.

The care-leavers' association (seed 003: 1,289 appeals a year, 689 about housing, helpline 150) gets a year
of about 300 appeals across categories and channels, registered by its hotline operator, social worker and
lawyer: most answered (flats, rent support, jobs, education grants as outcomes), some in work, some
forwarded, some overdue, some anonymous helpline calls. More care leavers are registered when it serves too
few. The SOS family-support centres (seed 004) get the families they serve, food packages to 80 of them and
hygiene and school kits in batches, children returned to their birth families and placed in foster and
adoptive families. Everything goes through the services, drawn from `random.Random(seed)` with dates
counted back from today. An organisation that already has appeals (the association) or aid (a centre) is
left as it is, so running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tirek.accounts.models import Membership, User
from tirek.accounts.services import staff_add
from tirek.cases.models import Case
from tirek.catalog.models import Profession
from tirek.directory.models import Organisation
from tirek.operations.demo.organisations import DEMO_PASSWORD, ORGANISATIONS, demo_bin
from tirek.operations.demo.people.planning import synthetic_iin
from tirek.operations.demo.people.vocabulary import (
    INVARIABLE_SURNAMES,
    KZ_BOYS,
    KZ_FEMALE,
    KZ_GIRLS,
    KZ_SURNAMES,
    KZ_YOUNG_MEN,
    KZ_YOUNG_WOMEN,
    NEW_MANAGERS,
    PHONE_CODES,
    PLACES,
    RU_BOYS,
    RU_FEMALE,
    RU_GIRLS,
    RU_SURNAMES,
)
from tirek.people.choices import FamilyRole
from tirek.people.models import Family, Person, PersonAccess
from tirek.people.services import family_create, family_member_add, person_register
from tirek.support.choices import (
    DEFAULT_DEADLINE_DAYS,
    AidKind,
    AppealCategory,
    AppealChannel,
    AppealResult,
    OutcomeKind,
)
from tirek.support.models import AidDistribution, Appeal, Outcome
from tirek.support.services import (
    aid_distribute,
    aid_distribute_batch,
    appeal_assign,
    appeal_forward,
    appeal_link_case,
    appeal_register,
    appeal_reject,
    appeal_resolve,
    appeal_start,
    appeal_withdraw,
    outcome_record,
)

SEED = 2026
APPEALS = 300
CARE_LEAVERS = 120  # the association's persons, registering more when it serves fewer
SOS_FAMILIES = {"sos_almaty": 32, "sos_astana": 26, "sos_temirtau": 22}  # 80 families get food packages
FUNDER = "«Samruk-Kazyna Trust» әлеуметтік даму қоры"

# The association's staff besides its manager (username, last, first, patronymic, role, profession).
STAFF = [
    ("graduates.intake", "Бейсенова", "Аружан", "Ерланқызы", "intake", "hotline_operator"),
    ("graduates.social", "Ермеков", "Санжар", "Нұрланұлы", "specialist", "social_worker"),
    ("graduates.lawyer", "Шевченко", "Ирина", "Андреевна", "specialist", "lawyer"),
]
# Seed 003: about half of the appeals are about housing, a third about jobs, grants and financial aid.
CATEGORIES = [
    (AppealCategory.HOUSING, 53),
    (AppealCategory.EMPLOYMENT, 13),
    (AppealCategory.EDUCATION_GRANT, 8),
    (AppealCategory.FINANCIAL_AID, 9),
    (AppealCategory.LEGAL_HELP, 7),
    (AppealCategory.PSYCHOLOGICAL_HELP, 4),
    (AppealCategory.DOCUMENTS, 3),
    (AppealCategory.BENEFITS, 2),
    (AppealCategory.OTHER, 1),
]
CHANNELS = [
    (AppealChannel.WALK_IN, 34),
    (AppealChannel.HELPLINE_150, 26),
    (AppealChannel.PHONE, 14),
    (AppealChannel.ONLINE, 12),
    (AppealChannel.LETTER, 8),
    (AppealChannel.OUTREACH, 5),
    (AppealChannel.HELPLINE_111, 1),
]
TEXTS = {
    AppealCategory.HOUSING: [
        "Балалар үйінен шыққаннан кейін тұрғын үй кезегіне қою туралы өтініш.",
        "Жалдамалы пәтер ақысын төлеуге көмек сұрайды.",
        "Просит помочь с постановкой в очередь на жильё из госфонда.",
        "Жатақханадан шығарып жатыр, баратын жері жоқ.",
        "Закреплённое жильё непригодно для проживания, просит содействия.",
    ],
    AppealCategory.EMPLOYMENT: [
        "Жұмысқа орналасуға көмек сұрайды, аспаз мамандығы бар.",
        "Ищет работу, окончил колледж по специальности сварщик.",
        "Жастар практикасы бағдарламасына қатысқысы келеді.",
    ],
    AppealCategory.EDUCATION_GRANT: [
        "ЖОО-ға мемлекеттік грантқа құжат тапсыруға көмек сұрайды.",
        "Просит помочь с документами на грант в колледж.",
    ],
    AppealCategory.FINANCIAL_AID: [
        "Бір реттік қаржылық көмек сұрайды.",
        "Нет средств на оплату коммунальных услуг, просит помощи.",
    ],
    AppealCategory.LEGAL_HELP: [
        "Мұрагерлік бойынша заң кеңесі қажет.",
        "Консультация по закреплённому жилью и опеке.",
        "Жұмыс берушімен дау бойынша кеңес сұрайды.",
    ],
    AppealCategory.PSYCHOLOGICAL_HELP: [
        "Жалғыздық, күйзеліс, психологпен сөйлескісі келеді.",
        "Тяжело адаптироваться после выпуска, просит консультацию психолога.",
    ],
    AppealCategory.DOCUMENTS: [
        "Жеке куәлікті қалпына келтіруге көмек сұрайды.",
        "Просит помочь восстановить свидетельство о рождении.",
    ],
    AppealCategory.BENEFITS: ["Мүгедектік бойынша жәрдемақы рәсімдеуге көмек сұрайды."],
    AppealCategory.OTHER: ["Волонтёр болғысы келеді, қауымдастыққа көмектескісі келеді."],
}
ANONYMOUS_CALLERS = [
    "анонимді, түлек, 19 жас",
    "анонимді, түлек қыз, 20 жас",
    "аноним, выпускник, 22 года",
    "анонимді, түлектің досы",
    "аноним, выпускница, 18 лет",
]
ANSWERS = {
    AppealResult.SATISFIED: "Мәселе шешілді, түлекке хабарланды.",
    AppealResult.PARTLY_SATISFIED: "Кезекке қойылды, құжаттар жиналды; нәтижесі күтілуде.",
    AppealResult.EXPLAINED: "Кеңес берілді, құқықтары мен келесі қадамдар түсіндірілді.",
}
# The outcome a satisfied appeal of each category brings about.
OUTCOMES = {
    AppealCategory.EMPLOYMENT: OutcomeKind.JOB_FOUND,
    AppealCategory.EDUCATION_GRANT: OutcomeKind.EDUCATION_GRANT,
    AppealCategory.FINANCIAL_AID: OutcomeKind.FINANCIAL_AID,
    AppealCategory.BENEFITS: OutcomeKind.BENEFIT_GRANTED,
}


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _organisations() -> dict[str, Organisation]:

    bins = {demo_bin(row[7]): row[0] for row in ORGANISATIONS}
    return {bins[o.bin]: o for o in Organisation.objects.filter(bin__in=bins)}


def _manager(key: str) -> User | None:
    username = NEW_MANAGERS[key][0]
    return User.objects.filter(username=username, is_active=True).first()


# --- the care-leavers' association ------------------------------------------------------------------------


def _staff(organisation: Organisation, manager: User) -> dict[str, User]:

    professions = {p.code: p for p in Profession.objects.all()}
    staff = {}
    for username, last, first, patronymic, role, profession in STAFF:
        membership = Membership.objects.filter(user__username=username, organisation=organisation).first()
        if membership is None:
            membership = staff_add(
                actor=manager,
                organisation=organisation,
                username=username,
                role=role,
                profession=professions.get(profession),
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                send_invitation=False,
            )
            membership.user.set_password(DEMO_PASSWORD)
            membership.user.save(update_fields=["password"])
        staff[role if role == "intake" else profession] = membership.user
    staff["manager"] = manager
    return staff


def _iin(birth: dt.date, sex: str, state: dict) -> str:
    """A valid IIN nobody has yet (the serials start past those of the people demo)."""
    while True:
        iin, state["serial"] = synthetic_iin(birth, sex, state["serial"] + 1)
        if not Person.objects.filter(iin=iin).exists():
            return iin


def _care_leavers(rng, today, organisation, manager, created: Counter, state: dict) -> list[Person]:
    """The association's persons, with new care leavers (18–29) registered up to CARE_LEAVERS."""
    served = PersonAccess.objects.filter(organisation=organisation).values("person_id")
    persons = list(Person.objects.filter(pk__in=served, merged_into__isnull=True).order_by("surname", "pk"))
    kato = organisation.region.kato
    locality, streets = PLACES.get(kato, PLACES["750000000"])
    while len(persons) < CARE_LEAVERS:
        sex = rng.choice(["male", "female"])
        russian = rng.random() < 0.15
        base = rng.choice(RU_SURNAMES if russian else KZ_SURNAMES)
        surname = base if sex == "male" or base in INVARIABLE_SURNAMES else base + "а"
        if russian:
            given = rng.choice(["Артём", "Максим", "Кирилл", "Даниил"] if sex == "male" else RU_GIRLS)
        else:
            given = rng.choice(KZ_YOUNG_MEN if sex == "male" else KZ_YOUNG_WOMEN)
        birth = today - dt.timedelta(days=rng.randint(18 * 366, 29 * 365))
        persons.append(
            person_register(
                actor=manager,
                organisation=organisation,
                iin=_iin(birth, sex, state),
                surname=surname,
                given_name=given,
                sex=sex,
                birth_date=birth,
                region=organisation.region,
                locality=locality,
                street=f"{rng.choice(streets.split(';'))}, {rng.randint(1, 180)}",
                phone=f"+7{rng.choice(PHONE_CODES)}{rng.randrange(10**7):07d}",
                notes="Балалар үйінің түлегі.",
            )
        )
        created["persons"] += 1
    return persons


def _handler(staff: dict[str, User], category: str) -> User:
    if category in (AppealCategory.LEGAL_HELP, AppealCategory.DOCUMENTS):
        return staff["lawyer"]
    if category == AppealCategory.PSYCHOLOGICAL_HELP:
        return staff["manager"]
    return staff["social_worker"]


def _registrar(staff: dict[str, User], channel: str) -> User:
    if channel in (AppealChannel.HELPLINE_150, AppealChannel.HELPLINE_111, AppealChannel.PHONE):
        return staff["intake"]
    if channel in (AppealChannel.WALK_IN, AppealChannel.OUTREACH):
        return staff["social_worker"]
    return staff["manager"]


def _received(rng: random.Random, days_ago: int) -> dt.datetime:
    now = timezone.localtime()
    day = now.date() - dt.timedelta(days=days_ago)
    hour = rng.randint(9, 18)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.choice((0, 10, 20, 30, 40, 50)))))
    return min(moment, now - dt.timedelta(minutes=5))


def _appeals(rng, today, organisations, staff, persons, created: Counter) -> None:
    organisation = organisations["graduates"]
    cases = {c.person_id: c for c in Case.objects.filter(organisation=organisation).order_by("opened_on")}
    forward_to = [o for key, o in organisations.items() if key in ("youth_house", "ministry", "sos_almaty")]
    flats = 0
    for n in range(APPEALS):
        category = _pick(rng, CATEGORIES)
        channel = _pick(rng, CHANNELS)
        # Newer appeals are more frequent: the association grows, and the last weeks hold the open ones.
        days_ago = min(int(rng.expovariate(1 / 120)), 360) if n % 10 else rng.randint(0, 20)
        anonymous = channel in (AppealChannel.HELPLINE_150, AppealChannel.HELPLINE_111) and rng.random() < 0.4
        person = None if anonymous else rng.choice(persons)
        registrar = _registrar(staff, channel)
        appeal = appeal_register(
            actor=registrar,
            organisation=organisation,
            category=category,
            channel=channel,
            text=rng.choice(TEXTS[category]),
            received_at=_received(rng, days_ago),
            person=person,
            caller=rng.choice(ANONYMOUS_CALLERS) if anonymous else "",
        )
        created["appeals"] += 1
        handler = _handler(staff, category)
        deadline = DEFAULT_DEADLINE_DAYS[category]
        received_on = timezone.localdate(appeal.received_at)
        roll = rng.random()
        if person is not None and person.pk in cases and rng.random() < 0.5:
            appeal_link_case(actor=handler, appeal=appeal, case=cases[person.pk])
        if days_ago < 2 and roll < 0.5:
            continue  # just registered: nobody has it yet
        if days_ago <= deadline and roll < 0.35:
            # In work and not yet due; a manager assigns some, the handler takes the others.
            if rng.random() < 0.5:
                appeal_assign(actor=staff["manager"], appeal=appeal, assignee=handler)
            appeal_start(actor=handler, appeal=appeal)
            continue
        if days_ago > deadline and roll < 0.06:
            # Overdue: still in work, or forwarded and not yet answered.
            appeal_start(actor=handler, appeal=appeal)
            if rng.random() < 0.4:
                appeal_forward(
                    actor=handler,
                    appeal=appeal,
                    to_organisation=rng.choice(forward_to),
                    note="Қарауға жіберілді.",
                )
            continue
        closed_on = min(received_on + dt.timedelta(days=rng.randint(0, max(deadline - 1, 0))), today)
        if roll > 0.75 and person is None:
            # A helpline consultation answered during the call.
            appeal_resolve(
                actor=registrar,
                appeal=appeal,
                resolution=ANSWERS[AppealResult.EXPLAINED],
                result=AppealResult.EXPLAINED,
                closed_on=received_on,
            )
            continue
        appeal_start(actor=handler, appeal=appeal)
        if roll > 0.96:
            appeal_withdraw(
                actor=handler, appeal=appeal, note="Түлек өтінішін қайтарып алды.", closed_on=closed_on
            )
            continue
        if roll > 0.92:
            appeal_reject(
                actor=handler,
                appeal=appeal,
                resolution="Қауымдастықтың құзыретіне жатпайды, тиісті органға жүгіну түсіндірілді.",
                closed_on=closed_on,
            )
            continue
        if category == AppealCategory.HOUSING and rng.random() < 0.12:
            appeal_forward(
                actor=handler,
                appeal=appeal,
                to_organisation=organisations["youth_house"],
                note="Жастар үйіне орын.",
            )
        result = _pick(
            rng,
            [(AppealResult.SATISFIED, 45), (AppealResult.PARTLY_SATISFIED, 30), (AppealResult.EXPLAINED, 25)],
        )
        outcome = ""
        if result == AppealResult.SATISFIED and person is not None:
            if category == AppealCategory.HOUSING:
                outcome = (
                    OutcomeKind.FLAT_ALLOCATED
                    if flats < 15 and rng.random() < 0.35
                    else OutcomeKind.RENT_SUPPORT
                )
                flats += outcome == OutcomeKind.FLAT_ALLOCATED
            else:
                outcome = OUTCOMES.get(category, "")
        appeal_resolve(
            actor=handler,
            appeal=appeal,
            resolution=ANSWERS[result],
            result=result,
            outcome_kind=outcome,
            closed_on=closed_on,
        )
        created["outcomes"] += bool(outcome)


# --- the SOS family-support centres -----------------------------------------------------------------------


def _family(rng, today, organisation, manager, created: Counter, state: dict) -> Family:
    """A family in a difficult situation: a mother and one to four children."""
    kato = organisation.region.kato
    locality, streets = PLACES.get(kato, PLACES["750000000"])
    russian = kato == "350000000" and rng.random() < 0.5
    base = rng.choice(RU_SURNAMES if russian else KZ_SURNAMES)
    female = base if base in INVARIABLE_SURNAMES else base + "а"
    children = rng.choice([1, 1, 2, 2, 3, 4])
    family = family_create(
        actor=manager,
        organisation=organisation,
        name=female,
        region=organisation.region,
        address=f"{locality}, {rng.choice(streets.split(';'))}, {rng.randint(1, 180)}",
        low_income=True,
        many_children=children >= 4,
        single_parent=rng.random() < 0.6,
        difficult_situation=True,
        difficult_situation_grounds="Тұрақты табысы жоқ, отбасы қиын өмірлік жағдайда.",
    )
    birth = today - dt.timedelta(days=rng.randint(24 * 365, 45 * 365))
    mother = person_register(
        actor=manager,
        organisation=organisation,
        iin=_iin(birth, "female", state),
        surname=female,
        given_name=rng.choice(RU_FEMALE if russian else KZ_FEMALE),
        sex="female",
        birth_date=birth,
        region=organisation.region,
        locality=locality,
        phone=f"+7{rng.choice(PHONE_CODES)}{rng.randrange(10**7):07d}",
    )
    family_member_add(
        actor=manager, family=family, person=mother, role=FamilyRole.MOTHER, is_legal_representative=True
    )
    for _child in range(children):
        sex = rng.choice(["male", "female"])
        names = {("male", False): KZ_BOYS, ("female", False): KZ_GIRLS, ("male", True): RU_BOYS}
        birth = today - dt.timedelta(days=rng.randint(365, 16 * 365))
        child = person_register(
            actor=manager,
            organisation=organisation,
            iin=_iin(birth, sex, state),
            surname=base if sex == "male" else female,
            given_name=rng.choice(names.get((sex, russian), RU_GIRLS)),
            sex=sex,
            birth_date=birth,
            region=organisation.region,
            locality=locality,
        )
        family_member_add(actor=manager, family=family, person=child, role=FamilyRole.CHILD)
    created["families"] += 1
    return family


def _last(today: dt.date, month: int, day: int) -> dt.date:
    """The last `day`.`month` before today."""
    this_year = dt.date(today.year, month, day)
    return this_year if this_year < today else dt.date(today.year - 1, month, day)


def _sos(rng, today, key, organisation, manager, created: Counter, state: dict) -> None:
    families = list(Family.objects.filter(registered_by=organisation).order_by("name", "pk"))
    while len(families) < SOS_FAMILIES[key]:
        families.append(_family(rng, today, organisation, manager, created, state))
    food_day = today - dt.timedelta(days=rng.randint(150, 200))
    rows = aid_distribute_batch(
        actor=manager,
        organisation=organisation,
        families=families,
        kind=AidKind.FOOD_PACKAGE,
        value=Decimal("15000"),
        distributed_on=food_day,
        funding_partner_name=FUNDER,
        note="Карантин кезінде: азық-түлік пен гигиена құралдары.",
    )
    rows += aid_distribute_batch(
        actor=manager,
        organisation=organisation,
        families=families,
        kind=AidKind.HYGIENE_KIT,
        value=Decimal("6000"),
        distributed_on=food_day,
        funding_partner_name=FUNDER,
    )
    again = rng.sample(families, len(families) // 3)
    rows += aid_distribute_batch(
        actor=manager,
        organisation=organisation,
        families=again,
        kind=AidKind.FOOD_PACKAGE,
        value=Decimal("18000"),
        distributed_on=today - dt.timedelta(days=rng.randint(20, 60)),
        funding_partner_name=FUNDER,
    )
    schooling = [f for f in families if rng.random() < 0.6]
    rows += aid_distribute_batch(
        actor=manager,
        organisation=organisation,
        families=schooling,
        kind=AidKind.SCHOOL_KIT,
        quantity=2,
        value=Decimal("24000"),
        distributed_on=_last(today, 8, 25),
        funding_partner_name="«Мектепке жол» акциясы",
    )
    for family in rng.sample(families, 4):
        aid_distribute(
            actor=manager,
            organisation=organisation,
            family=family,
            kind=rng.choice([AidKind.CLOTHING, AidKind.CASH]),
            value=Decimal(rng.choice([10000, 20000, 30000])),
            distributed_on=today - dt.timedelta(days=rng.randint(5, 300)),
            note="Қысқы киім / бір реттік көмек.",
        )
        created["aid"] += 1
    created["aid"] += len(rows)


def _sos_outcomes(rng, today, organisations, created: Counter) -> None:
    """Seed 004: 19 children returned to their birth families, 22 children placed with families."""
    plan = {
        "sos_almaty": [
            (OutcomeKind.RETURNED_TO_BIRTH_FAMILY, 8),
            (OutcomeKind.PLACED_ADOPTIVE, 5),
            (OutcomeKind.PLACED_FOSTER, 3),
            (OutcomeKind.PLACED_GUARDIAN, 2),
        ],
        "sos_astana": [(OutcomeKind.RETURNED_TO_BIRTH_FAMILY, 6), (OutcomeKind.PLACED_FOSTER, 2)],
        "sos_temirtau": [(OutcomeKind.RETURNED_TO_BIRTH_FAMILY, 5), (OutcomeKind.PLACED_GUARDIAN, 1)],
    }
    for key, outcomes in plan.items():
        organisation, manager = organisations.get(key), _manager(key)
        if organisation is None or manager is None:
            continue
        children = list(
            Person.objects.filter(
                family_links__family__registered_by=organisation, family_links__role=FamilyRole.CHILD
            )
            .distinct()
            .order_by("surname", "pk")
        )
        cases = {c.person_id: c for c in Case.objects.filter(organisation=organisation)}
        chosen = iter(rng.sample(children, min(len(children), sum(n for _kind, n in outcomes))))
        for kind, count in outcomes:
            for _n, child in zip(range(count), chosen, strict=False):
                outcome_record(
                    actor=manager,
                    organisation=organisation,
                    person=child,
                    kind=kind,
                    happened_on=today - dt.timedelta(days=rng.randint(10, 330)),
                    case=cases.get(child.pk),
                )
                created["outcomes"] += 1


def load_demo_support(seed: int = SEED) -> dict[str, int]:
    """Load the demo appeals, aid and outcomes; the totals and, under `created`, what this run added."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    organisations = _organisations()
    created: Counter = Counter()
    state = {"serial": 7000}
    with transaction.atomic():
        graduates, manager = organisations.get("graduates"), _manager("graduates")
        if (
            graduates is not None
            and manager is not None
            and not Appeal.objects.filter(organisation=graduates).exists()
        ):
            staff = _staff(graduates, manager)
            persons = _care_leavers(rng, today, graduates, manager, created, state)
            _appeals(rng, today, organisations, staff, persons, created)
        sos_done = AidDistribution.objects.filter(
            organisation__in=[organisations.get(k) for k in SOS_FAMILIES]
        ).exists()
        if not sos_done:
            for key in SOS_FAMILIES:
                organisation, manager = organisations.get(key), _manager(key)
                if organisation is not None and manager is not None:
                    _sos(rng, today, key, organisation, manager, created, state)
            _sos_outcomes(rng, today, organisations, created)
    appeals = Appeal.objects.all()
    return {
        "appeals": appeals.count(),
        "appeals_overdue": appeals.overdue().count(),
        "aid_distributions": AidDistribution.objects.count(),
        "aid_families": AidDistribution.objects.exclude(family=None).values("family").distinct().count(),
        "outcomes": Outcome.objects.count(),
        "created": dict(created),
    }
