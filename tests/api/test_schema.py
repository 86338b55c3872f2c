"""The OpenAPI document is valid, and every operation survives generated input: no server error, every answer
as documented (status, content type, body, headers), for every role that reaches different operations."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tirek.accounts.models import ApiToken
from tirek.accounts.tokens import hash_key
from tirek.wsgi import application


def test_the_schema_is_a_valid_openapi_3_document(db):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/me/",
        "/api/v1/regions/",
        "/api/v1/organisations/",
        "/api/v1/programmes/",
        "/api/v1/memberships/",
        "/api/v1/catalog/diagnoses/",
        "/api/v1/audit-events/",
    } <= paths


def test_the_schema_and_docs_are_served_without_a_cdn(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    docs = client.get("/api/v1/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


# Examples per operation and role: a few in every run; set TIREK_FUZZ_EXAMPLES higher for a deeper search.
# An operation the role may not use at all (403 with a well-formed request) gets only FORBIDDEN_EXAMPLES.
FUZZ_EXAMPLES = int(os.environ.get("TIREK_FUZZ_EXAMPLES", "6"))
FORBIDDEN_EXAMPLES = 2
# Every check about a single answer. Left out: the ignored-auth probe (the token travels as a plain header, so
# schemathesis would send it along with a junk cookie; anonymous access is tested on its own), positive-data
# acceptance (domain rules such as a BIN's check digit rightly refuse some schema-valid input) and the checks
# that need schemathesis' own stateful runner (use after free, resource availability, object authorisation).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
]
METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
# Operations that change what the next ones find run after the rest: writes after reads, deletions last.
ORDER = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "PATCH": 1, "PUT": 1, "POST": 1, "DELETE": 2}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Schemathesis calls the WSGI application directly; like Django's test client, keep the end of each
    # request from closing the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _days(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def _at(days_ago: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_days(days_ago), dt.time(hour, 0)))


@pytest.fixture
def records(cast):
    """A record of most kinds in the Almaty centre, so that detail operations also meet real records."""
    from tirek.assessments.models import Instrument
    from tirek.assessments.services import assessment_record
    from tirek.cases.documents import case_document_add
    from tirek.cases.models import CaseDocument
    from tirek.cases.services import case_open, case_set_team
    from tirek.catalog.models import Diagnosis, Profession, Service
    from tirek.courses.services import course_create, course_enrol, course_session_add
    from tirek.directory.services import partnership_create
    from tirek.exports.services import export_request
    from tirek.notifications.services import notify
    from tirek.people.services import (
        consent_record,
        family_create,
        family_member_add,
        person_diagnosis_add,
        person_register,
    )
    from tirek.plans.services import plan_create, plan_goal_add, planned_service_add
    from tirek.referrals.services import referral_record_external
    from tirek.residence.services import facility_create, residence_move_in
    from tirek.services.services.groups import group_activity_create
    from tirek.services.services.visits import visit_plan
    from tirek.support.services.aid import aid_distribute
    from tirek.support.services.appeals import appeal_register
    from tirek.support.services.outcomes import outcome_record

    org, coordinator, manager, specialist = cast.almaty, cast.coordinator_a, cast.manager_a, cast.specialist_a
    speech = Service.objects.get(code="speech_therapy_session")
    speech_therapist = Profession.objects.get(code="speech_therapist")

    def person(surname, given_name, sex, born, reason):
        return person_register(
            actor=coordinator,
            organisation=org,
            surname=surname,
            given_name=given_name,
            sex=sex,
            birth_date=born,
            iin_missing_reason=reason,
        )

    child = person("Омаров", "Әли", "male", _days(610), "newborn")
    mother = person("Омарова", "Дина", "female", dt.date(1994, 3, 1), "unknown")
    family = family_create(actor=coordinator, organisation=org, name="Омаровтар", first_member=child)
    family_member_add(
        actor=coordinator, family=family, person=mother, role="mother", is_legal_representative=True
    )
    consent_record(
        actor=coordinator,
        organisation=org,
        person=child,
        given_by=mother,
        purposes=["services", "data_processing", "sharing"],
        given_on=_days(60),
    )
    person_diagnosis_add(
        actor=manager,
        person=child,
        diagnosis=Diagnosis.objects.filter(is_active=True).order_by("code").first(),
        diagnosed_on=_days(90),
        source="ПМПК",
    )
    case = case_open(
        actor=coordinator,
        organisation=org,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        opened_on=_days(60),
        referral_received_on=_days(60),
        coordinator=coordinator,
    )
    case = case_set_team(actor=coordinator, case=case, coordinator=coordinator, team=[specialist])
    case_document_add(
        actor=coordinator,
        case=case,
        kind=CaseDocument._meta.get_field("kind").choices[0][0],
        dated=_days(10),
        title="Қорытынды",
        file=SimpleUploadedFile("conclusion.pdf", PDF, content_type="application/pdf"),
    )
    assessment_record(
        actor=coordinator,
        case=case,
        instrument=Instrument.objects.get(code="mchat_rf"),
        assessed_on=_days(20),
        answers={str(n): ("no" if n in (2, 5, 12) else "yes") for n in range(1, 21)},
    )
    plan = plan_create(actor=coordinator, case=case, family_concerns="Бала әлі сөйлемейді.")
    plan_goal_add(
        actor=coordinator,
        plan=plan,
        domain="communication",
        wording="10 сөзбен өтініш білдіреді",
        criterion="5 жағдайдың 4-інде",
        target_date=timezone.localdate() + dt.timedelta(days=180),
    )
    planned_service_add(
        actor=coordinator,
        plan=plan,
        service=speech,
        profession=speech_therapist,
        frequency=2,
        frequency_period="week",
        minutes=30,
        mode="centre",
        start_date=_days(40),
        family_consent=True,
        consent_date=_days(50),
    )
    visit_plan(
        actor=coordinator,
        case=case,
        starts_at=_at(-1, 10),
        minutes=30,
        service=speech,
        specialist=specialist,
        profession=speech_therapist,
    )
    group_activity_create(
        actor=coordinator,
        organisation=org,
        kind="group_class",
        topic="Ойын сабағы",
        service=Service.objects.get(code="group_class"),
        starts_at=_at(-2, 15),
        minutes=45,
        facilitators=[specialist],
        cases=[case],
    )
    appeal_register(
        actor=coordinator,
        organisation=org,
        person=child,
        category="housing",
        channel="walk_in",
        text="Пәтер кезегі бойынша көмек сұрайды.",
    )
    aid_distribute(actor=coordinator, organisation=org, kind="food_package", family=family)
    outcome_record(actor=coordinator, organisation=org, person=mother, kind="job_found", happened_on=_days(5))
    course = course_create(
        actor=coordinator,
        organisation=org,
        title="Ата-аналар мектебі",
        kind="adoptive_parents_school",
        starts_on=_days(30),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        sessions_required=1,
        status="running",
        facilitators=[specialist],
    )
    course_session_add(actor=coordinator, course=course, starts_at=_at(7, 18), minutes=120, topic="Бейімделу")
    course_enrol(actor=coordinator, course=course, person=mother, enrolled_on=_days(25))
    facility = facility_create(
        actor=coordinator, organisation=org, name="Жастар үйі", kind="youth_house", places=10
    )
    residence_move_in(actor=coordinator, facility=facility, person=mother, moved_in_on=_days(15))
    partnership_create(actor=manager, parties=[org, cast.shymkent], title="Меморандум", signed_on=_days(100))
    referral_record_external(
        actor=coordinator,
        organisation=org,
        person=person("Сыртқы", "Әли", "male", _days(500), "newborn"),
        external_source="polyclinic",
        reason="Сөйлеу тежелуі.",
    )
    export_request(actor=manager, what="cases", format="csv", params={})
    for user in (cast.admin, coordinator, manager, specialist, cast.analyst):
        notify(recipients=[user], kind="deadline_due_soon", organisation=user.active_organisation_id)
    return {"person": child, "case": case, "plan": plan, "family": family}


def _items(body) -> list[dict]:
    if isinstance(body, dict):
        body = body.get("results", [])
    return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []


def real_path_values(paths: list[str], tokens: list[str], sources: dict[str, str]) -> dict[str, dict]:
    """For each path with parameters, values naming records that exist: the first item of the collection the
    path starts with (or `sources` names), as one of the users of `tokens` lists it, and for a nested
    parameter (`goal_id`) the first item of the parent's matching list (`goals`)."""
    client = Client(raise_request_exception=False)  # a failing list is the fuzzing's to report

    def first(url: str, key: str, field: str | None = None):
        for token in tokens:
            response = client.get(url, HTTP_AUTHORIZATION=f"Token {token}")
            if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
                continue
            body = response.json()
            for item in _items(body.get(field) if field else body):
                if key in item:
                    return str(item[key])
        return None

    values: dict[str, dict[str, str]] = {}
    for path in paths:
        names = re.findall(r"{(\w+)}", path)
        if not names:
            continue
        head = path[: path.index("{")]
        found = {names[0]: first(sources.get(head, head), names[0])}
        if len(names) == 2 and found[names[0]]:
            parent = path[: path.index("}") + 1].replace("{" + names[0] + "}", found[names[0]]) + "/"
            found[names[1]] = first(parent, "id", field=names[1].removesuffix("_id") + "s")
        if all(found.get(name) for name in names):
            values[path] = found
    return values


# Detail operations on a record of the fixture that must have answered 2xx to the role at least once.
CASEWORK_READS = {"GET /api/v1/persons/{id}/", "GET /api/v1/cases/{id}/", "GET /api/v1/families/{id}/"}
READS = {
    "administrator": {"GET /api/v1/organisations/{id}/", "GET /api/v1/catalog/services/{code}/"},
    "manager": CASEWORK_READS | {"GET /api/v1/plans/{id}/", "GET /api/v1/exports/{id}/download/"},
    "coordinator": CASEWORK_READS | {"GET /api/v1/plans/{id}/", "GET /api/v1/case-documents/{id}/file/"},
    "specialist": CASEWORK_READS | {"GET /api/v1/plans/{id}/", "GET /api/v1/visits/{id}/"},
    "analyst": {"GET /api/v1/reports/indicators/{code}/", "GET /api/v1/exports/indicator/{code}/"},
}
# Paths whose records the fixture does not make: emergency access to another organisation's person.
WITHOUT_RECORDS = {"/api/v1/emergency-access/{id}/", "/api/v1/emergency-access/{id}/end/"}
ROLES = {
    "administrator": "admin",
    "manager": "manager_a",
    "coordinator": "coordinator_a",
    "specialist": "specialist_a",
    "analyst": "analyst",
}


@pytest.mark.parametrize("role", list(ROLES))
def test_no_operation_fails_on_generated_input(api_schema, cast, records, role):
    """Schemathesis drives every operation of the document as this role, with a token: generated path values
    (mostly unknown records) and the values of real records of the role's organisation, generated query
    strings and bodies. No 5xx; every answer's status, content type, body and headers as documented."""
    user = getattr(cast, ROLES[role])
    key = cast.token(user)
    headers = {"Authorization": f"Token {key}"}
    documented = {
        (method.upper(), path)
        for path, item in api_schema.raw_schema["paths"].items()
        for method in item
        if method in METHODS
    }
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations.sort(key=lambda operation: ORDER.get(operation.method.upper(), 1))
    # Where a path's values come from when its collection is not the path's own beginning.
    sources = {
        "/api/v1/case-documents/": f"/api/v1/case-documents/?case={records['case'].pk}",
        "/api/v1/exports/indicator/": "/api/v1/reports/indicators/",
    }
    finders = [cast.token(finder) for finder in (cast.manager_a, cast.admin)]
    real = real_path_values([operation.path for operation in operations], [key, *finders], sources)
    # Every path naming a record meets a real one too: the fixture made one of each kind but a few.
    with_parameters = {operation.path for operation in operations if "{" in operation.path}
    assert with_parameters - set(real) <= WITHOUT_RECORDS, with_parameters - set(real) - WITHOUT_RECORDS
    probe = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}")
    exercised: set[tuple[str, str]] = set()
    succeeded: set[str] = set()  # operations on a real record that answered 2xx
    failures: dict[str, str] = {}

    def signed_in() -> None:
        # An operation may revoke the token (signing out everywhere, or the token itself): every call starts
        # signed in.
        ApiToken.objects.filter(key_hash=hash_key(key)).update(revoked_at=None)
        # Django's test client (the probe) connects the closing of old connections back after each request;
        # the WSGI calls below must not close the connection holding the test's transaction (PostgreSQL).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def run(operation, strategy, examples: int) -> None:
        @given(case=strategy)
        @settings(
            max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def exercise(case):
            signed_in()
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            exercised.add((operation.method.upper(), operation.path))
            if 200 <= response.status_code < 300 and case.path_parameters:
                succeeded.add(operation.label)

        # Every operation runs even when one fails, and the failures are reported together.
        try:
            exercise()
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis raises a group of failures
            failures.setdefault(operation.label, str(failure))

    for operation in operations:
        examples = FUZZ_EXAMPLES
        if operation.path in real or "{" not in operation.path:
            url = operation.path.format(**real.get(operation.path, {}))
            signed_in()
            answer = probe.generic(operation.method.upper(), url, "{}", content_type="application/json")
            if answer.status_code == 403:
                examples = FORBIDDEN_EXAMPLES
        if operation.path in real:
            # Real records get the examples; generated values (records that do not exist) a couple.
            run(operation, operation.as_strategy(path_parameters=real[operation.path]), examples)
            run(operation, operation.as_strategy(), FORBIDDEN_EXAMPLES)
        else:
            run(operation, operation.as_strategy(), examples)
    assert not failures, "\n\n".join(f"{label}: {failure}" for label, failure in failures.items())
    assert len(operations) == len(documented)
    assert exercised == documented
    # The records were met, not only looked for: the detail of each kind the role reads answered.
    assert READS[role] <= succeeded, READS[role] - succeeded


def test_dates_outside_the_calendar_are_refused_field_by_field(cast, records):
    """Found by the fuzzing: a course moved to the year 298 took a session in 1013, answered with a time
    offset (+05:07:48, Almaty before standard time) that is not a valid date-time."""
    from tirek.courses.models import Course

    client = Client(HTTP_AUTHORIZATION=f"Token {cast.token(cast.coordinator_a)}")
    course = Course.objects.get(organisation=cast.almaty)
    moved = client.patch(
        f"/api/v1/courses/{course.pk}/", {"starts_on": "0298-12-15"}, content_type="application/json"
    )
    assert moved.status_code == 400
    assert list(moved.json()["error"]["fields"]) == ["starts_on"]
    for starts_at in ("1013-04-05T11:15:10Z", "9999-12-31T23:59:59Z"):
        session = client.post(
            f"/api/v1/courses/{course.pk}/sessions/",
            {"starts_at": starts_at, "minutes": 60, "topic": "Бейімделу"},
            content_type="application/json",
        )
        assert session.status_code == 400
        assert list(session.json()["error"]["fields"]) == ["starts_at"]
    course.refresh_from_db()
    assert course.starts_on.year > 2000
    assert course.sessions.count() == 1
