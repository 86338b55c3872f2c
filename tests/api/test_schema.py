"""The OpenAPI document is valid, and every operation survives generated input without a server error."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import ignored_auth, positive_data_acceptance

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


# Examples per operation: a few in every run; set TIREK_FUZZ_EXAMPLES higher for a deeper search.
FUZZ_EXAMPLES = int(os.environ.get("TIREK_FUZZ_EXAMPLES", "8"))


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


@pytest.fixture
def tokens(cast):
    """An administrator (reference data, directory) and a coordinator (persons, families, cases)."""
    return [Token.objects.create(user=user).key for user in (cast.admin, cast.coordinator_a)]


@pytest.mark.parametrize("who", [0, 1], ids=["administrator", "coordinator"])
def test_no_operation_fails_on_generated_input(api_schema, tokens, who):
    """Schemathesis drives every operation: no 5xx, every response as documented."""
    headers = {"Authorization": f"Token {tokens[who]}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=FUZZ_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def exercise(case):
            # Left out: the ignored-auth probe (the token travels as a plain header, so schemathesis would
            # send it along with a junk cookie; anonymous access is tested on its own) and positive-data
            # acceptance (domain rules such as a BIN's check digit rightly refuse some schema-valid input).
            case.call_and_validate(headers=headers, excluded_checks=[ignored_auth, positive_data_acceptance])

        exercise()


def test_errors_share_one_shape(cast):
    client = Client()
    client.force_login(cast.specialist_a)
    for response in (
        client.get("/api/v1/programmes/00000000-0000-0000-0000-000000000000/"),
        client.post("/api/v1/organisations/", {}, content_type="application/json"),
        client.post("/api/v1/programmes/", {"kind": "nonsense"}, content_type="application/json"),
        Client().get("/api/v1/me/"),
    ):
        body = response.json()
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message", "fields"}


def test_a_nul_character_is_refused_before_it_reaches_the_database(cast):
    client = cast.client(cast.admin)
    for response in (
        client.get("/api/v1/organisations/", {"q": "a\x00b"}),
        client.post("/api/v1/catalog/services/", {"code": "x", "service_type": "med\x00"}),
        client.post("/api/v1/catalog/professions/", '{"code": "x\\u0000"}', content_type="application/json"),
    ):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid"
