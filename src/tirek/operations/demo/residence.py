"""Demo residence for `tirek demo`, after seed 003: the youth house «Жастар үйі» in Almaty, where 190 care
leavers live — 80 in the «Жастар үйі» (Дом юношества) and 110 in the five-storey «Жастар үйі».

Residents are care leavers aged 18 to 29: the youth house's own demo persons first, then young people its
manager registers (Kazakh names, a few Russian ones, synthetic but valid IINs). They moved in over the past
two years, some have moved out; moves are written in date order through the services, so occupancy never
passes the places. Everything is drawn from `random.Random(seed)`; a facility that exists is left as it is,
so running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from tirek.accounts.models import User
from tirek.accounts.services import user_switch_organisation
from tirek.directory.models import Organisation
from tirek.operations.demo.organisations import ORGANISATIONS, demo_bin
from tirek.operations.demo.people.planning import synthetic_iin
from tirek.operations.demo.people.vocabulary import (
    INVARIABLE_SURNAMES,
    KZ_MALE,
    KZ_SURNAMES,
    KZ_YOUNG_MEN,
    KZ_YOUNG_WOMEN,
    RU_FEMALE,
    RU_MALE,
    RU_SURNAMES,
)
from tirek.people.models import Person
from tirek.people.services import person_register
from tirek.residence.choices import FacilityKind
from tirek.residence.models import Facility, Residence
from tirek.residence.services import facility_create, residence_move_in, residence_move_out

MANAGER = "youth.house.manager"
# name, address, places, residents today, residents who moved out during the two years.
FACILITIES = [
    ("«Жастар үйі» (Дом юношества)", "Алматы, Жандосов көшесі", 80, 74, 16),
    ("Бес қабатты «Жастар үйі»", "Алматы, Райымбек даңғылы", 110, 101, 22),
]
DAYS = 730
MOVE_OUT_NOTES = [
    "Мемлекеттік бағдарлама бойынша пәтер алды.",
    "Жалдамалы пәтерге көшті.",
    "Туыстарының қолына көшті.",
    "Оқуын басқа қалада жалғастырады.",
    "Жұмыс орнында жатақхана берілді.",
]


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def acting(user: User, organisation: Organisation) -> User:
    """`user`, acting in `organisation` (switched there through the service when they act elsewhere)."""
    user.forget_roles()
    if user.active_organisation_id_checked() != organisation.pk:
        user_switch_organisation(user=user, organisation_id=organisation.pk)
        user.forget_roles()
    return user


def demo_person(
    rng: random.Random,
    *,
    actor: User,
    organisation: Organisation,
    born_from: dt.date,
    born_to: dt.date,
    serial: int,
) -> Person:
    """Register an adult with a name as the seed organisations would record it, born between the dates."""
    sex = rng.choice(["male", "female"])
    birth = born_from + dt.timedelta(days=rng.randint(0, (born_to - born_from).days))
    if rng.random() < 0.15:
        given = rng.choice(list(RU_MALE) if sex == "male" else RU_FEMALE)
        patronymic = rng.choice(list(RU_MALE.values()))[0 if sex == "male" else 1]
        base, languages = rng.choice(RU_SURNAMES), "орыс"
    else:
        given = rng.choice(KZ_YOUNG_MEN if sex == "male" else KZ_YOUNG_WOMEN)
        patronymic = f"{rng.choice(KZ_MALE)}{'ұлы' if sex == 'male' else 'қызы'}"
        base, languages = rng.choice(KZ_SURNAMES), rng.choice(["қазақ", "қазақ, орыс"])
    surname = base if sex == "male" or base in INVARIABLE_SURNAMES else base + "а"
    iin, serial = synthetic_iin(birth, sex, serial)
    while Person.objects.filter(iin=iin).exists():
        iin, serial = synthetic_iin(birth, sex, serial + 1)
    return person_register(
        actor=actor,
        organisation=organisation,
        iin=iin,
        surname=surname,
        given_name=given,
        patronymic=patronymic,
        birth_date=birth,
        sex=sex,
        region=organisation.region,
        locality="Алматы",
        home_languages=languages,
    )


def _youth_house() -> Organisation | None:

    row = next(row for row in ORGANISATIONS if row[0] == "youth_house")
    return Organisation.objects.filter(bin=demo_bin(row[7])).first()


def _care_leavers(organisation: Organisation, today: dt.date) -> list[Person]:
    """The youth house's own persons aged 18 to 29 (those of the people demo)."""
    return list(
        Person.objects.filter(
            accesses__organisation=organisation,
            merged_into__isnull=True,
            birth_date__lte=years_before(today, 18),
            birth_date__gt=years_before(today, 30),
        ).order_by("surname", "given_name", "pk")
    )


def _stays(rng: random.Random, today: dt.date, places: int, current: int, former: int) -> list[tuple]:
    """(moved in, moved out or None) for each resident, with never more residents than places on a day."""
    stays = []
    for number in range(current + former):
        moved_in = today - dt.timedelta(days=rng.randint(1, DAYS))
        moved_out = None
        if number >= current:
            moved_out = min(today, moved_in + dt.timedelta(days=rng.randint(45, 540)))
        stays.append((moved_in, moved_out))
    stays.sort(key=lambda stay: stay[0])
    kept = []
    for moved_in, moved_out in stays:
        living = sum(1 for first, last in kept if first <= moved_in and (last is None or last > moved_in))
        if living < places:
            kept.append((moved_in, moved_out))
    return kept


def demo_residence_counts() -> dict[str, int]:
    today = timezone.localdate()
    organisation = _youth_house()
    facilities = Facility.objects.filter(organisation=organisation)
    residences = Residence.objects.filter(facility__in=facilities)
    return {
        "facilities": facilities.count(),
        "places": sum(facilities.values_list("places", flat=True)),
        "residents": residences.on(today).count(),
        "moved_out": residences.filter(moved_out_on__isnull=False).count(),
    }


def load_demo_residence(*, seed: int = 2026) -> dict:
    """Write the youth house's facilities and residents; the totals and, under `created`, this run's."""
    organisation = _youth_house()
    manager = User.objects.filter(username=MANAGER).first()
    created: Counter = Counter()
    if organisation is None or manager is None:
        return {"created": {}}
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    with transaction.atomic():
        actor = acting(manager, organisation)
        own = _care_leavers(organisation, today)
        serial = 7000
        for name, address, places, current, former in FACILITIES:
            if Facility.objects.filter(organisation=organisation, name=name).exists():
                continue
            facility = facility_create(
                actor=actor,
                organisation=organisation,
                name=name,
                kind=FacilityKind.YOUTH_HOUSE,
                address=address,
                places=places,
            )
            created["facilities"] += 1
            events = []
            for moved_in, moved_out in _stays(rng, today, places, current, former):
                if own:
                    person = own.pop()
                else:
                    # 18 on moving in at the latest, 29 at most today.
                    born_to = years_before(moved_in, 18) - dt.timedelta(days=1)
                    born_from = max(years_before(today, 29), born_to - dt.timedelta(days=365 * 5))
                    person = demo_person(
                        rng,
                        actor=actor,
                        organisation=organisation,
                        born_from=born_from,
                        born_to=born_to,
                        serial=serial,
                    )
                    serial += 3
                    created["persons"] += 1
                events.append((moved_in, 1, len(events), person))
                if moved_out is not None:
                    events.append((moved_out, 0, len(events), person))
            # In date order, a day's moves out before its moves in: each move-in sees that day's occupancy.
            stays: dict = {}
            for day, is_in, _order, person in sorted(events):
                if is_in:
                    stays[person.pk] = residence_move_in(
                        actor=actor, facility=facility, person=person, moved_in_on=day
                    )
                    created["residences"] += 1
                else:
                    residence_move_out(
                        actor=actor,
                        residence=stays[person.pk],
                        moved_out_on=day,
                        note=rng.choice(MOVE_OUT_NOTES),
                    )
    return {**demo_residence_counts(), "created": dict(created)}
