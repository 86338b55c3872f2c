"""Bad input across the web forms, the REST API and the journal import: each kind is refused with a clear
message in the user's language (Russian here, whose catalogue is complete), field by field, the form keeping
what was typed, and nothing is written: no row anywhere, no audit event of a write."""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import contextmanager

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from tirek.audit.models import AuditEvent, RefusalTally
from tirek.catalog.models import ClosureReason
from tirek.core.iin import check_digit
from tirek.people import importing
from tirek.people.models import Person
from tirek.people.services import family_create, family_member_add, person_register

JSON = "application/json"
LANGUAGE = "ru"
CYRILLIC = re.compile("[А-Яа-яЁё]")
# Rows that requests write whatever their input: sessions, sign-in throttling, the task queue.
NOT_RECORDS = {"sessions", "axes", "django_tasks_database", "contenttypes", "auth", "admin"}


# ---------------------------------------------------------------------------------------------------------
# Nothing written, and the message in the user's language


def _tally() -> dict[str, int]:
    """Rows per table (audit events: those of writes; viewing a page, signing in, looking an IIN up or being
    refused a record is none)."""
    counts = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in NOT_RECORDS or not meta.managed or meta.proxy or model is RefusalTally:
            continue
        rows = model._base_manager.all()
        if model is AuditEvent:
            rows = rows.exclude(action__in=["view", "login", "lookup", "permission_denied"])
        counts[meta.label] = rows.count()
    return counts


@contextmanager
def nothing_written(*records):
    """No row added or removed in any table, no audit event of a write, and `records` unchanged."""
    before, stored = _tally(), [model_to_dict(type(r)._base_manager.get(pk=r.pk)) for r in records]
    yield
    after = _tally()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}
    assert [model_to_dict(type(r)._base_manager.get(pk=r.pk)) for r in records] == stored


# Messages added with this test's fixes, which the catalogues get at the lead's next translation round: taken
# in English only while the Russian catalogue still lacks them, so the check tightens by itself after that.
AWAITING_TRANSLATION = {"A consent cannot be given before the person was born."}


def translated(message: str) -> None:
    assert message.strip(), "an empty message"
    if message in AWAITING_TRANSLATION:
        with translation.override(LANGUAGE):
            assert gettext(message) == message, "translated now: the page must show the translation"
        return
    assert CYRILLIC.search(message), f"not translated: {message!r}"


def refused_by_api(response, field: str | None, *, status: int = 400, code: str = "invalid") -> dict:
    """The one error shape, the field named, every message in Russian."""
    assert response.status_code == status, response.content[:500]
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert error["code"] == code
    translated(error["message"])
    if field is not None:
        # A list's item is named with its index (purposes.0).
        named = [name for name in error["fields"] if name == field or name.startswith(f"{field}.")]
        assert named, error
        for name in named:
            assert error["fields"][name]
            for message in error["fields"][name]:
                translated(message)
    return error


def refused_by_page(response, field: str | None, *typed: str, form: str = "form") -> None:
    """The form again (200) with the field's error in Russian, and what the user typed still in it."""
    assert response.status_code == 200, response.status_code
    bound = response.context[form]
    key = field or "__all__"
    assert key in bound.errors, bound.errors.as_data()
    html = response.content.decode()
    with translation.override(LANGUAGE):
        messages = list(bound.errors[key])
    for message in messages:
        translated(message)
        assert escape(message) in html, message
    for value in typed:
        assert escape(value) in html, f"lost what was typed: {value!r}"


@pytest.fixture
def russian(cast):
    """russian(user): a signed-in client whose pages come in Russian (the language cookie)."""

    def client(user):
        signed_in = cast.client(user)
        signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = LANGUAGE
        return signed_in

    return client


@pytest.fixture
def api(cast):
    """api(user): a signed-in API client asking for Russian with Accept-Language."""

    def client(user):
        signed_in = cast.client(user)
        signed_in.defaults["HTTP_ACCEPT_LANGUAGE"] = LANGUAGE
        return signed_in

    return client


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# ---------------------------------------------------------------------------------------------------------
# Records to refer to


def iin_for(birth: dt.date, sex: str = "female", serial: int = 1) -> str:
    century = {1900: 3, 2000: 5}[birth.year // 100 * 100] + (0 if sex == "male" else 1)
    while True:
        prefix = f"{birth:%y%m%d}{century}{serial:04d}"
        digit = check_digit(prefix)
        if digit is not None:
            return prefix + str(digit)
        serial += 1


def today() -> dt.date:
    return timezone.localdate()


BIRTH = dt.date(2023, 5, 14)
GOOD_IIN = iin_for(BIRTH)


def person_body(**values) -> dict:
    return {
        "iin": GOOD_IIN,
        "surname": "Омарова",
        "given_name": "Айгерім",
        "birth_date": BIRTH.isoformat(),
        "sex": "female",
        **values,
    }


@pytest.fixture
def case(make_case):
    return make_case()


@pytest.fixture
def case_b(cast, make_case):
    return make_case(surname="Бекова", given_name="Аяла", organisation=cast.shymkent)


@pytest.fixture
def mother(cast, case):
    """The child's mother, its legal representative in a family of the Almaty centre."""
    parent = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омарова",
        given_name="Сәуле",
        sex="female",
        birth_date=dt.date(1994, 3, 2),
        iin=iin_for(dt.date(1994, 3, 2), serial=7),
    )
    family = family_create(actor=cast.coordinator_a, organisation=cast.almaty, name="Омаровтар")
    family_member_add(actor=cast.coordinator_a, family=family, person=case.person, role="child")
    family_member_add(
        actor=cast.coordinator_a, family=family, person=parent, role="mother", is_legal_representative=True
    )
    return parent


def visit_body(case, *, starts_at: dt.datetime, **values) -> dict:
    return {
        "case": str(case.pk),
        "starts_at": starts_at.isoformat(),
        "minutes": 45,
        "service": "speech_therapy_session",
        "specialist": str(case.organisation.memberships.get(role="specialist").user_id),
        **values,
    }


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# ---------------------------------------------------------------------------------------------------------
# The person register through the API


PERSON_API_CASES = {
    "iin-wrong-check-digit": ({"iin": GOOD_IIN[:11] + str((int(GOOD_IIN[11]) + 1) % 10)}, "iin"),
    "iin-with-letters": ({"iin": "23O514SOOO1X"}, "iin"),
    "iin-too-short": ({"iin": "230514"}, "iin"),
    "iin-birth-date-disagrees": ({"birth_date": (BIRTH - dt.timedelta(days=40)).isoformat()}, "birth_date"),
    "birth-date-in-the-future": (
        {
            "iin": "",
            "iin_missing_reason": "newborn",
            "birth_date": (today() + dt.timedelta(days=2)).isoformat(),
        },
        "birth_date",
    ),
    "impossible-date-31-february": ({"birth_date": "2024-02-31"}, "birth_date"),
    "phone-not-kazakh": ({"phone": "701 123"}, "phone"),
    "surname-over-max-length": ({"surname": "О" * 101}, "surname"),
    "sex-not-in-the-choices": ({"sex": "robot"}, "sex"),
    "string-for-an-integer": ({"gestation_weeks": "many"}, "gestation_weeks"),
    "gestation-out-of-range": ({"gestation_weeks": 90}, "gestation_weeks"),
    "region-unknown-code": ({"region": "000000000"}, "region"),
    "missing-required-surname": ({"surname": None}, "surname"),
}


@pytest.mark.parametrize("kind", list(PERSON_API_CASES))
def test_the_person_api_refuses(cast, api, kind):
    values, field = PERSON_API_CASES[kind]
    body = {k: v for k, v in person_body(**values).items() if v is not None}
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/persons/", body, content_type=JSON)
    refused_by_api(response, field)


def test_the_api_refuses_a_body_that_is_not_json(cast, api):
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/persons/", '{"surname": "Омарова",', content_type=JSON)
    refused_by_api(response, None, code="parse_error")


def test_the_api_refuses_a_list_where_an_object_is_expected(cast, api):
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/persons/", [person_body()], content_type=JSON)
    refused_by_api(response, "__all__")


def test_the_api_refuses_a_body_of_json_null(cast, api, case):
    person = case.person
    client = api(cast.coordinator_a)
    with nothing_written(person):
        response = client.patch(f"/api/v1/persons/{person.pk}/", "null", content_type=JSON)
    refused_by_api(response, "__all__")


def test_the_api_refuses_json_nested_beyond_the_parsers_depth(cast, api):
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/persons/", "[" * 100_000 + "]" * 100_000, content_type=JSON)
    refused_by_api(response, None, code="parse_error")


def test_the_api_refuses_a_nul_character(cast, api):
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/persons/", person_body(surname="Ом\x00арова"), content_type=JSON)
    refused_by_api(response, None)


def test_the_api_answers_an_id_that_is_not_a_uuid_in_the_path_with_404(cast, api):
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.patch("/api/v1/persons/not-a-uuid/", {"surname": "Омарова"}, content_type=JSON)
    refused_by_api(response, None, status=404, code="not_found")


def test_the_api_refuses_a_malformed_cursor(cast, api, case):
    response = api(cast.coordinator_a).get("/api/v1/persons/", {"cursor": "-1"})
    refused_by_api(response, None, status=404, code="not_found")


def test_the_api_ignores_read_only_fields_smuggled_into_a_body(cast, api, case_b):
    """Unknown and read-only fields are ignored: the id, the registering organisation and the dates come
    from Tirek, never from the body."""
    body = person_body(
        id=str(case_b.person_id), registered_by=str(cast.shymkent.pk), created_at="2001-01-01T00:00:00Z"
    )
    response = api(cast.coordinator_a).post("/api/v1/persons/", {**body, "colour": "red"}, content_type=JSON)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["id"] != str(case_b.person_id) and "colour" not in created
    person = Person.objects.get(pk=created["id"])
    assert person.registered_by_id == cast.almaty.pk and person.created_at.year > 2001


def test_the_api_refuses_an_update_whole_when_one_field_is_bad(cast, api, case):
    """The good field of a refused update is not saved either: no partial write."""
    person = case.person
    client = api(cast.coordinator_a)
    with nothing_written(person):
        response = client.patch(
            f"/api/v1/persons/{person.pk}/", {"surname": "Жаңа", "phone": "8 701"}, content_type=JSON
        )
    refused_by_api(response, "phone")


def test_the_api_refuses_an_email_without_at(cast, api):
    user = cast.coordinator_a
    client = api(user)
    with nothing_written(user):
        response = client.patch("/api/v1/me/", {"email": "aigerim.kenes.kz"}, content_type=JSON)
    refused_by_api(response, "email")


# ---------------------------------------------------------------------------------------------------------
# Sessions, cases, documents, consents, referrals, plans, appeals through the API


def test_the_api_refuses_a_session_logged_as_held_in_the_future(cast, api, case):
    body = visit_body(case, starts_at=at(today() + dt.timedelta(days=1)), status="attended")
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/visits/", body, content_type=JSON)
    refused_by_api(response, "status")


def test_the_api_refuses_a_session_before_the_case_opened(cast, api, case):
    body = visit_body(case, starts_at=at(case.opened_on - dt.timedelta(days=3)), status="attended")
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/visits/", body, content_type=JSON)
    refused_by_api(response, "starts_at")


@pytest.mark.parametrize("minutes", [0, -30, 100000], ids=["zero", "negative", "absurd"])
def test_the_api_refuses_a_session_length_out_of_range(cast, api, case, minutes):
    body = visit_body(case, starts_at=at(today()), status="attended", minutes=minutes)
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/visits/", body, content_type=JSON)
    refused_by_api(response, "minutes")


def test_the_api_refuses_a_case_id_that_is_not_a_uuid_in_the_body(cast, api, case):
    body = {**visit_body(case, starts_at=at(today()), status="attended"), "case": "42"}
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/visits/", body, content_type=JSON)
    refused_by_api(response, "case")


def test_the_api_answers_another_organisations_case_in_the_body_with_404(cast, api, case, case_b):
    body = {**visit_body(case, starts_at=at(today()), status="attended"), "case": str(case_b.pk)}
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/visits/", body, content_type=JSON)
    refused_by_api(response, None, status=404, code="not_found")


def test_the_api_refuses_another_organisations_programme_for_a_case(cast, api, case, mother):
    body = {
        "person": str(mother.pk),
        "programme": str(cast.programme_b.pk),
        "referral_source": "polyclinic",
    }
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/cases/", body, content_type=JSON)
    refused_by_api(response, "programme")


def test_the_api_refuses_a_case_closed_before_it_opened(cast, api, case):
    body = {
        "reason": ClosureReason.objects.filter(is_active=True).first().code,
        "destination": "none",
        "closed_on": (case.opened_on - dt.timedelta(days=1)).isoformat(),
    }
    client = api(cast.manager_a)
    with nothing_written(case):
        response = client.post(f"/api/v1/cases/{case.pk}/close/", body, content_type=JSON)
    refused_by_api(response, "closed_on")


def _document(client, case, upload):
    data = {"case": str(case.pk), "kind": "pmpk_conclusion", "dated": today().isoformat(), "file": upload}
    return client.post("/api/v1/case-documents/", data)


def test_the_api_refuses_a_document_over_the_size_limit(cast, api, case, settings):
    settings.TIREK_DOCUMENT_MAX_BYTES = 1024 * 1024
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024), "application/pdf")
    client = api(cast.specialist_a)
    with nothing_written():
        response = _document(client, case, scan)
    refused_by_api(response, "file")


def test_the_api_refuses_an_executable_renamed_pdf(cast, api, case):
    program = SimpleUploadedFile("ПМПК.pdf", b"MZ\x90\x00\x03\x00\x00\x00 This program", "application/pdf")
    client = api(cast.specialist_a)
    with nothing_written():
        response = _document(client, case, program)
    refused_by_api(response, "file")


def test_the_api_refuses_a_consent_dated_before_the_child_was_born(cast, api, case, mother):
    body = {
        "person": str(case.person_id),
        "given_by": str(mother.pk),
        "purposes": ["services"],
        "given_on": (case.person.birth_date - dt.timedelta(days=30)).isoformat(),
    }
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/consents/", body, content_type=JSON)
    refused_by_api(response, "given_on")


def test_the_api_refuses_a_consent_purpose_not_in_the_choices(cast, api, case, mother):
    body = {
        "person": str(case.person_id),
        "given_by": str(mother.pk),
        "purposes": ["marketing"],
        "given_on": today().isoformat(),
    }
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/consents/", body, content_type=JSON)
    refused_by_api(response, "purposes")


def test_the_api_refuses_a_referral_to_the_own_organisation(cast, api, case):
    body = {"case": str(case.pk), "to_organisation": str(cast.almaty.pk), "reason": "Логопед керек"}
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/referrals/", body, content_type=JSON)
    refused_by_api(response, "to_organisation")


def test_the_api_refuses_a_plan_goal_with_an_empty_domain(cast, api, case):
    from tirek.plans.services import plan_create

    plan = plan_create(actor=cast.manager_a, case=case)
    body = {
        "domain": "",
        "wording": "10 сөзбен өтініш білдіреді",
        "criterion": "5 жағдайдың 4-інде",
        "target_date": (today() + dt.timedelta(days=180)).isoformat(),
    }
    client = api(cast.manager_a)
    with nothing_written(plan):
        response = client.post(f"/api/v1/plans/{plan.pk}/goals/", body, content_type=JSON)
    refused_by_api(response, "domain")


def test_the_api_refuses_an_appeal_received_in_the_future(cast, api):
    body = {
        "category": "other",
        "channel": "walk_in",
        "text": "Балабақшаға орын",
        "caller": "Анонім",
        "received_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
    }
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/appeals/", body, content_type=JSON)
    refused_by_api(response, "received_at")


def test_the_api_refuses_an_appeal_about_another_organisations_person(cast, api, case_b):
    """Another organisation's person smuggled into a body: a field message, the same as for a missing one."""
    body = {
        "category": "other",
        "channel": "walk_in",
        "text": "Балабақшаға орын",
        "person": str(case_b.person_id),
    }
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/appeals/", body, content_type=JSON)
    refused_by_api(response, "person")


# ---------------------------------------------------------------------------------------------------------
# Reports and exports through the API


def test_the_api_refuses_a_report_period_ending_before_it_starts(cast, api):
    response = api(cast.manager_a).get(
        "/api/v1/reports/indicators/children_served/", {"from": "2025-06-01", "to": "2025-01-01"}
    )
    refused_by_api(response, "to")


@pytest.mark.parametrize("field", ["from", "to"])
def test_the_api_refuses_a_report_date_beyond_the_calendar_it_counts_in(cast, api, field):
    dates = {
        "from": "2025-01-01",
        "to": "2025-06-30",
        field: "0001-01-01" if field == "from" else "9999-12-31",
    }
    response = api(cast.manager_a).get("/api/v1/reports/indicators/children_served/", dates)
    refused_by_api(response, field)


def test_the_api_answers_an_indicator_that_does_not_exist_with_404(cast, api):
    response = api(cast.manager_a).get("/api/v1/reports/indicators/no_such_indicator/")
    refused_by_api(response, None, status=404, code="not_found")


def test_the_api_refuses_an_export_format_not_offered(cast, api):
    client = api(cast.manager_a)
    with nothing_written():
        response = client.post("/api/v1/exports/", {"what": "cases", "format": "xml"}, content_type=JSON)
    refused_by_api(response, "format")


# ---------------------------------------------------------------------------------------------------------
# The web forms


def register_form(**values) -> dict:
    return {
        "iin": GOOD_IIN,
        "surname": "Омарова",
        "given_name": "Айгерім",
        "birth_date": BIRTH.isoformat(),
        "sex": "female",
        "citizenship": "KZ",
        **values,
    }


REGISTER_PAGE_CASES = {
    "iin-wrong-check-digit": ({"iin": GOOD_IIN[:11] + str((int(GOOD_IIN[11]) + 1) % 10)}, "iin"),
    "iin-birth-date-disagrees": ({"birth_date": (BIRTH - dt.timedelta(days=40)).isoformat()}, "birth_date"),
    "birth-date-in-the-future": (
        {
            "iin": "",
            "iin_missing_reason": "newborn",
            "birth_date": (today() + dt.timedelta(days=2)).isoformat(),
        },
        "birth_date",
    ),
    "impossible-date-31-february": ({"birth_date": "2024-02-31"}, "birth_date"),
    "phone-not-kazakh": ({"phone": "701 123"}, "phone"),
    "surname-over-max-length": ({"surname": "О" * 101}, "surname"),
    "no-iin-and-no-reason": ({"iin": ""}, "iin_missing_reason"),
}


@pytest.mark.parametrize("kind", list(REGISTER_PAGE_CASES))
def test_the_registration_page_refuses(cast, russian, kind):
    values, field = REGISTER_PAGE_CASES[kind]
    data = register_form(**values)
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("people:person_register"), data)
    refused_by_page(response, field, data["given_name"], data["surname"][:100])


def test_the_edit_page_refuses_an_update_whole_and_keeps_what_was_typed(cast, russian, case):
    person = case.person
    data = {
        "surname": "Жаңабаева",
        "given_name": person.given_name,
        "iin_missing_reason": person.iin_missing_reason,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "citizenship": "KZ",
        "phone": "8 701",
        "locality": "Қаскелең",
    }
    client = russian(cast.coordinator_a)
    with nothing_written(person):
        response = client.post(reverse("people:person_edit", args=[person.pk]), data)
    refused_by_page(response, "phone", "Жаңабаева", "Қаскелең", "8 701")


def test_the_document_page_refuses_an_executable_renamed_pdf(cast, russian, case):
    program = SimpleUploadedFile("ПМПК.pdf", b"MZ\x90\x00\x03\x00 This program", "application/pdf")
    data = {"kind": "pmpk_conclusion", "dated": today().isoformat(), "issued_by": "ПМПК №3", "file": program}
    client = russian(cast.specialist_a)
    with nothing_written():
        response = client.post(reverse("cases:case_document_new", args=[case.pk]), data)
    refused_by_page(response, "file", "ПМПК №3")


def test_a_page_answers_a_nul_character_with_400_and_writes_nothing(cast, russian):
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("people:person_register"), register_form(surname="Ом\x00арова"))
    refused_by_api(response, None)


def test_a_page_answers_an_id_that_is_not_a_uuid_with_404(cast, russian):
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post("/people/not-a-uuid/edit/", register_form())
    assert response.status_code == 404


def test_the_session_page_refuses_a_session_held_in_the_future(cast, russian, case):
    from tirek.catalog.models import Service

    data = {
        "status": "attended",
        "date": (today() + dt.timedelta(days=1)).isoformat(),
        "time": "11:00",
        "minutes": "45",
        "service": Service.objects.get(code="speech_therapy_session").pk,
        "specialist": cast.specialist_a.pk,
        "format": "individual",
        "mode": "centre",
        "participants": ["child"],
        "note": "Сөздік қор кеңейді",
    }
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("services:visit_new") + f"?case={case.pk}", data)
    refused_by_page(response, "status", "Сөздік қор кеңейді")


def test_the_session_page_refuses_zero_minutes(cast, russian, case):
    from tirek.catalog.models import Service

    data = {
        "status": "attended",
        "date": today().isoformat(),
        "time": "08:00",
        "minutes": "0",
        "service": Service.objects.get(code="speech_therapy_session").pk,
        "specialist": cast.specialist_a.pk,
        "format": "individual",
        "mode": "centre",
        "participants": ["child"],
        "note": "Сөздік қор кеңейді",
    }
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("services:visit_new") + f"?case={case.pk}", data)
    refused_by_page(response, "minutes", "Сөздік қор кеңейді")


def test_the_close_page_refuses_a_case_closed_before_it_opened(cast, russian, case):
    data = {
        "reason": ClosureReason.objects.filter(is_active=True).first().pk,
        "destination": "none",
        "closed_on": (case.opened_on - dt.timedelta(days=1)).isoformat(),
        "note": "Отбасы көшті",
    }
    client = russian(cast.manager_a)
    with nothing_written(case):
        response = client.post(reverse("cases:case_close", args=[case.pk]), data)
    refused_by_page(response, "closed_on", "Отбасы көшті")


def test_the_consent_page_refuses_a_consent_dated_before_the_child_was_born(cast, russian, case, mother):
    data = {
        "given_by": mother.pk,
        "purposes": ["services"],
        "given_on": (case.person.birth_date - dt.timedelta(days=30)).isoformat(),
        "document_reference": "№ 17 келісім",
    }
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("people:consent_add", args=[case.person_id]), data)
    refused_by_page(response, "given_on", "№ 17 келісім")


def test_the_family_page_refuses_another_organisations_person(cast, russian, case, mother, case_b):
    from tirek.people.models import FamilyMember

    family = FamilyMember.objects.get(person=mother).family
    case_b.person.iin = iin_for(dt.date(2022, 1, 5), serial=3)
    case_b.person.save(update_fields=["iin"])
    data = {"iin": case_b.person.iin, "role": "child"}
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("people:family_member_add", args=[family.pk]), data)
    refused_by_page(response, "iin", case_b.person.iin)


def test_the_appeal_page_refuses_an_appeal_received_in_the_future(cast, russian):
    data = {
        "received_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "channel": "walk_in",
        "category": "other",
        "text": "Балабақшаға орын сұрайды",
        "caller": "Анонім",
    }
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("support:appeal_new"), data)
    refused_by_page(response, "received_at", "Балабақшаға орын сұрайды")


@pytest.mark.parametrize("password", ["Kenes2024!", "password1234"], ids=["too-short", "too-common"])
def test_the_password_page_refuses_a_password_below_the_policy(cast, russian, password):
    user = cast.specialist_a
    data = {
        "old_password": "correct-horse-battery-staple",
        "new_password1": password,
        "new_password2": password,
    }
    client = russian(user)
    with nothing_written(user):
        response = client.post(reverse("accounts:password_change"), data)
    refused_by_page(response, "new_password2")


def test_the_report_page_refuses_a_period_ending_before_it_starts(cast, russian):
    response = russian(cast.manager_a).get(
        reverse("reports:indicator", args=["children_served"]), {"from": "2025-06-01", "to": "2025-01-01"}
    )
    refused_by_page(response, "to", "2025-06-01")


def test_the_report_page_refuses_a_period_beyond_the_calendar_it_counts_in(cast, russian):
    response = russian(cast.manager_a).get(
        reverse("reports:indicator", args=["children_served"]), {"from": "2025-01-01", "to": "9999-12-31"}
    )
    refused_by_page(response, "to", "9999-12-31")


# ---------------------------------------------------------------------------------------------------------
# The journal import, on the page and through the API


def journal_row(number: int, **values) -> dict:
    birth = today() - dt.timedelta(days=400 + number)
    row = {
        "iin": iin_for(birth, serial=number),
        "surname": "Омарова",
        "given_name": f"Айгерім {number}",
        "birth_date": birth.strftime("%d.%m.%Y"),
        "sex": "әйел",
    }
    row.update(values)
    return row


def journal(rows: list[dict], *, keys=None, encoding: str = "utf-8") -> bytes:
    keys = keys or list(dict.fromkeys(key for row in rows for key in row))
    lines = [",".join(importing.COLUMNS_BY_KEY[k].header("kk") for k in keys)]
    lines += [",".join(str(row.get(k, "")) for k in keys) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _import(client, content: bytes, filename: str = "journal.csv"):
    return client.post("/api/v1/people/import/", {"file": SimpleUploadedFile(filename, content)})


def refused_import(response, row, column) -> None:
    error = refused_by_api(response, None, code="invalid_import")
    problems = [p for p in error["problems"] if (p["row"], p["column"]) == (row, column)]
    assert problems, error["problems"]
    for problem in problems:
        translated(problem["message"])


def _workbook_with_formula() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    row = journal_row(1)
    sheet.append([importing.COLUMNS_BY_KEY[k].header("kk") for k in row])
    sheet.append([*list(row.values())[:2], '=HYPERLINK("http://x","y")', *list(row.values())[3:]])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


IMPORT_CASES = {
    "one-bad-row-among-good-ones": (
        lambda: journal([journal_row(1), journal_row(2, iin="123456789012"), journal_row(3)]),
        "journal.csv",
        (3, "iin"),
    ),
    "header-missing-a-required-column": (
        lambda: journal([journal_row(1)], keys=["iin", "surname", "given_name", "sex"]),
        "journal.csv",
        (1, "birth_date"),
    ),
    "wrong-encoding": (lambda: journal([journal_row(1)]) + b"\x98\r\n", "journal.csv", (3, "")),
    "formula-in-a-csv-cell": (
        lambda: journal([journal_row(1, given_name="=cmd|' /C calc'!A0")]),
        "journal.csv",
        (2, "given_name"),
    ),
    "formula-in-an-xlsx-cell": (_workbook_with_formula, "journal.xlsx", (2, "given_name")),
    "xlsx-that-is-not-a-zip": (lambda: b"PK\x03\x04 not a zip", "journal.xlsx", (None, "")),
    "file-over-the-size-limit": (
        lambda: journal([journal_row(1)]) + b" " * importing.MAX_BYTES,
        "journal.csv",
        (None, ""),
    ),
    "impossible-date-in-a-row": (
        lambda: journal([journal_row(1), journal_row(2, birth_date="31.02.2024")]),
        "journal.csv",
        (3, "birth_date"),
    ),
}


@pytest.mark.parametrize("kind", list(IMPORT_CASES))
def test_the_import_api_refuses(cast, api, kind):
    build, filename, (row, column) = IMPORT_CASES[kind]
    client = api(cast.coordinator_a)
    with nothing_written():
        response = _import(client, build(), filename)
    refused_import(response, row, column)


def test_the_import_page_shows_the_bad_row_and_column_in_russian_and_writes_nothing(cast, russian):
    content = journal([journal_row(1), journal_row(2), journal_row(3, phone="701 123")])
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("people:import"), {"file": SimpleUploadedFile("journal.csv", content)})
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.ok
    problem = next(p for p in result.problems if (p["row"], p["column"]) == (4, "phone"))
    translated(problem["message"])
    assert escape(problem["message"]) in response.content.decode()


def test_the_import_page_refuses_a_post_without_a_file(cast, russian):
    client = russian(cast.coordinator_a)
    with nothing_written():
        response = client.post(reverse("people:import"), {"dry_run": "on"})
    refused_by_page(response, "file")


def test_the_import_api_refuses_a_request_without_a_file(cast, api):
    client = api(cast.coordinator_a)
    with nothing_written():
        response = client.post("/api/v1/people/import/", {"dry_run": "true"})
    refused_by_api(response, "file")
