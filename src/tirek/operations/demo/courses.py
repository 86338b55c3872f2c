"""Demo courses for `tirek demo`, after seed 004: the school for adoptive and foster parents at the SOS
Children's Villages' centre in Almaty (92 people completed it in a year), and a life-skills course at the
care leavers' association.

The school runs in cohorts of eight weekly sessions (six required): four cohorts in the past year, whose
graduates' completions are outcomes "course completed", and one cohort running now. Its participants are
the centre's own foster-parent candidates and adults its manager registers. The association's course takes
its own care leavers. Everything is drawn from `random.Random(seed)` with dates counted back from today; a
course whose title exists in its organisation is left as it is, so running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from tirek.accounts.models import User
from tirek.catalog.models import Service
from tirek.courses.choices import CourseKind, CourseStatus, EnrolmentStatus
from tirek.courses.models import Course, CourseEnrolment
from tirek.courses.services import (
    course_complete_enrolment,
    course_create,
    course_drop,
    course_enrol,
    course_session_add,
    course_set_attendance,
    course_update,
)
from tirek.directory.models import Organisation
from tirek.operations.demo.organisations import ORGANISATIONS, demo_bin
from tirek.operations.demo.residence import acting, demo_person, years_before
from tirek.people.models import Person

SCHOOL_TOPICS = [
    "Асырап алу, қорғаншылық және патронат: құқықтық негіздер",
    "Баланың дамуы және жас ерекшеліктері",
    "Баланың жаңа отбасына бейімделуі",
    "Жоғалту, қайғы және баланың өмір тарихы",
    "Мінез-құлықты түсіну және оң тәрбие",
    "Баланың денсаулығы және ерекше қажеттіліктері",
    "Биологиялық отбасымен байланыс",
    "Қорытынды сабақ: отбасының дайындығы",
]
SKILLS_TOPICS = [
    "Жеке бюджет және коммуналдық төлемдер",
    "Пәтер жалдау: шарт және құқықтар",
    "Түйіндеме жазу және жұмыс іздеу",
    "Жұмыс берушімен сұхбат",
    "Тамақ әзірлеу және үй шаруашылығы",
    "Денсаулық және емханаға тіркелу",
    "Құжаттар: жеке куәлік, ЖСН, әлеуметтік төлемдер",
    "Банк, несие және қаржылық алаяқтықтан сақтану",
    "Мемлекеттік қызметтер және eGov",
    "Қорытынды: өз бетінше өмір сүру жоспары",
]
# key, manager, title, kind, service, topics, sessions required, start (days ago), weekday hour, size,
# sessions held so far (None: all), share who attend a session, dropping out.
COURSES = [
    *[
        (
            "sos_almaty",
            "sos.almaty.manager",
            f"Асырап алушы және қабылдаушы ата-аналар мектебі — {number}-топ",
            CourseKind.ADOPTIVE_PARENTS_SCHOOL,
            "adoptive_parents_school_session",
            SCHOOL_TOPICS,
            6,
            start,
            10,
            24,
            None,
            0.9,
            1,
        )
        for number, start in ((1, 350), (2, 266), (3, 182), (4, 98))
    ],
    (
        "sos_almaty",
        "sos.almaty.manager",
        "Асырап алушы және қабылдаушы ата-аналар мектебі — 5-топ",
        CourseKind.ADOPTIVE_PARENTS_SCHOOL,
        "adoptive_parents_school_session",
        SCHOOL_TOPICS,
        6,
        20,
        10,
        14,
        3,
        0.9,
        0,
    ),
    (
        "graduates",
        "graduates.manager",
        "Өз бетінше өмір сүру дағдылары",
        CourseKind.CARE_LEAVER_SKILLS,
        "work_skills_training",
        SKILLS_TOPICS,
        8,
        150,
        15,
        12,
        None,
        0.85,
        2,
    ),
]
SCHOOL_OVERRIDE = "Өткізіп алған сабақтарды психологпен жеке кеңесте өтті."
DROP_REASONS = ["Отбасылық жағдайына байланысты.", "Басқа қалаға көшті.", "Жұмыс кестесі сәйкес келмеді."]


def _organisations() -> dict[str, Organisation]:

    bins = {demo_bin(row[7]): row[0] for row in ORGANISATIONS if row[0] in ("sos_almaty", "graduates")}
    return {bins[o.bin]: o for o in Organisation.objects.filter(bin__in=bins)}


def _participants(
    rng, organisation, actor, size: int, today: dt.date, adults: bool, used: set
) -> list[Person]:
    """The organisation's own persons of the right age first (not in another cohort), then new adults."""
    if adults:  # prospective adoptive and foster parents, 25 to 55
        born_from, born_to = years_before(today, 55), years_before(today, 25)
    else:  # care leavers, 18 to 29
        born_from, born_to = years_before(today, 29), years_before(today, 18)
    own = [
        person
        for person in Person.objects.filter(
            accesses__organisation=organisation,
            merged_into__isnull=True,
            birth_date__gte=born_from,
            birth_date__lte=born_to,
        ).order_by("surname", "given_name", "pk")
        if person.pk not in used
    ]
    chosen = rng.sample(own, min(len(own), size if not adults else size // 3))
    while len(chosen) < size:
        chosen.append(
            demo_person(
                rng,
                actor=actor,
                organisation=organisation,
                born_from=born_from,
                born_to=born_to,
                serial=8000 + 7 * len(used) + len(chosen),
            )
        )
    used.update(person.pk for person in chosen)
    return chosen


def _run(ctx: dict, row: tuple) -> None:
    key, _manager, title, kind, code, topics, required, days_ago, hour, size, held, share, drops = row
    rng, today, created = ctx["rng"], ctx["today"], ctx["created"]
    organisation, actor = ctx["organisations"][key], ctx["actors"][key]
    starts_on = today - dt.timedelta(days=days_ago)
    days = [starts_on + dt.timedelta(weeks=n) for n in range(len(topics))]
    finished = held is None
    course = course_create(
        actor=actor,
        organisation=organisation,
        title=title,
        kind=kind,
        service=ctx["services"].get(code),
        starts_on=starts_on,
        ends_on=days[-1],
        sessions_required=required,
        status=CourseStatus.RUNNING,
        facilitators=[actor],
    )
    created["courses"] += 1
    sessions = [
        course_session_add(
            actor=actor,
            course=course,
            starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour))),
            minutes=180 if kind == CourseKind.ADOPTIVE_PARENTS_SCHOOL else 120,
            topic=topic,
        )
        for day, topic in zip(days, topics, strict=True)
    ]
    created["sessions"] += len(sessions)
    adults = kind == CourseKind.ADOPTIVE_PARENTS_SCHOOL
    people = _participants(rng, organisation, actor, size, today, adults, ctx["used"][key])
    enrolments = [
        course_enrol(actor=actor, course=course, person=person, enrolled_on=starts_on - dt.timedelta(days=7))
        for person in people
    ]
    created["enrolments"] += len(enrolments)
    leaving = {e.pk: rng.randint(2, 4) for e in rng.sample(enrolments, drops)}
    attended: Counter = Counter()
    for number, session in enumerate(sessions[: held if held is not None else len(sessions)]):
        present = [
            e for e in enrolments if number < leaving.get(e.pk, len(sessions)) and rng.random() < share
        ]
        course_set_attendance(actor=actor, session=session, present=present)
        attended.update(e.pk for e in present)
    for enrolment in enrolments:
        if enrolment.pk in leaving:
            course_drop(
                actor=actor,
                enrolment=enrolment,
                dropped_on=days[leaving[enrolment.pk]],
                reason=rng.choice(DROP_REASONS),
            )
        elif finished:
            # Nearly everyone made the six sessions; the few who did not caught up with a psychologist.
            reason = SCHOOL_OVERRIDE if attended[enrolment.pk] < required else ""
            course_complete_enrolment(
                actor=actor, enrolment=enrolment, completed_on=days[-1], override_reason=reason
            )
            created["completed"] += 1
    if finished:
        course_update(actor=actor, course=course, status=CourseStatus.FINISHED)


def demo_course_counts() -> dict[str, int]:
    organisations = _organisations()
    enrolments = CourseEnrolment.objects.filter(course__organisation__in=organisations.values())
    school = enrolments.filter(course__kind=CourseKind.ADOPTIVE_PARENTS_SCHOOL)
    return {
        "courses": Course.objects.filter(organisation__in=organisations.values()).count(),
        "participants": enrolments.count(),
        "completed": enrolments.filter(status=EnrolmentStatus.COMPLETED).count(),
        "school_completed": school.filter(status=EnrolmentStatus.COMPLETED).count(),
    }


def load_demo_courses(*, seed: int = 2026) -> dict:
    """Write the demo courses; returns the totals and, under `created`, this run's."""
    organisations = _organisations()
    managers = {u.username: u for u in User.objects.filter(username__in={row[1] for row in COURSES})}
    ctx = {
        "rng": random.Random(seed),  # noqa: S311 (demo data, not secrets)
        "today": timezone.localdate(),
        "organisations": organisations,
        "services": {s.code: s for s in Service.objects.filter(is_active=True)},
        "created": Counter(),
        "used": {key: set() for key in organisations},
        "actors": {},
    }
    with transaction.atomic():
        for row in COURSES:
            key, manager, title = row[:3]
            if key not in organisations or manager not in managers:
                continue
            organisation = organisations[key]
            if Course.objects.filter(organisation=organisation, title=title).exists():
                continue
            ctx["actors"][key] = acting(managers[manager], organisation)
            _run(ctx, row)
    return {**demo_course_counts(), "created": dict(ctx["created"])}
