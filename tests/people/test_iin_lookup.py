"""The IIN look-up (API, and the registration page's and API's "is this IIN taken"): each one an audit event
with the person found as its subject, the answer still "exists" only, at most TIREK_IIN_LOOKUPS_PER_HOUR a
user in any hour, then 429 in the error shape (or on the page, with what was typed kept)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent, RefusalTally
from tirek.people.models import Person

LOOKUP = "/api/v1/persons/lookup/"


def lookups(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, action=AuditAction.LOOKUP).order_by("pk"))


def in_language(client, language: str):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_each_lookup_is_an_audit_event_with_the_person_found_as_its_subject(cast, child, iin):
    other = cast.client(cast.coordinator_b)
    # The answer stays "exists" only: no id of a person Shymkent does not see.
    assert other.get(LOOKUP, {"iin": child.iin}).json() == {"exists": True, "id": None}
    unknown = iin(dt.date(2020, 1, 1), "male")
    assert other.get(LOOKUP, {"iin": unknown}).json() == {"exists": False, "id": None}

    found, missing = lookups(cast.coordinator_b)
    assert (found.organisation_id, found.subject_person_id, found.object_type) == (
        cast.shymkent.pk,
        child.pk,
        "people.person",
    )
    assert missing.subject_person_id is None
    for event in (found, missing):
        # Neither the IIN nor the name of a person the looker may not see is written into the trail.
        written = f"{event.object_id} {event.object_repr} {event.note} {event.changes}"
        assert child.iin not in written and unknown not in written and child.surname not in written


def test_the_lookup_names_the_id_only_to_those_who_see_the_person(cast, child):
    answer = cast.client(cast.coordinator_a).get(LOOKUP, {"iin": child.iin}).json()
    assert answer == {"exists": True, "id": str(child.pk)}
    assert lookups(cast.coordinator_a)[0].subject_person_id == child.pk


def test_the_61st_lookup_in_an_hour_is_refused_with_429(cast, child, iin):
    client = in_language(cast.client(cast.coordinator_b), "en")
    asked = [iin(dt.date(2021, 2, 3), "female", serial) for serial in range(1, 61)]
    for value in asked:
        assert client.get(LOOKUP, {"iin": value}).status_code == 200
    refused = client.get(LOOKUP, {"iin": child.iin})
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "throttled"
    assert "60" in error["message"] and "minute" in error["message"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    # The refusal answers nothing and is not one more look-up; it is recorded as a refusal.
    assert len(lookups(cast.coordinator_b)) == 60
    refusal = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED, actor=cast.coordinator_b)
    assert refusal.object_type == "people.iin_lookup"
    # Another user still has their own allowance.
    assert cast.client(cast.coordinator_a).get(LOOKUP, {"iin": child.iin}).status_code == 200


@pytest.mark.parametrize(("language", "words"), [("ru", "минут"), ("kk", "минут")])
def test_the_refusal_is_in_the_users_language(cast, child, settings, language, words):
    settings.TIREK_IIN_LOOKUPS_PER_HOUR = 1
    client = in_language(cast.client(cast.coordinator_b), language)
    client.get(LOOKUP, {"iin": child.iin})
    message = client.get(LOOKUP, {"iin": child.iin}).json()["error"]["message"]
    assert words in message and "look-up" not in message


def test_the_allowance_is_a_setting_and_comes_back_after_an_hour(cast, child, settings):
    settings.TIREK_IIN_LOOKUPS_PER_HOUR = 2
    client = cast.client(cast.coordinator_b)
    assert [client.get(LOOKUP, {"iin": child.iin}).status_code for _ in range(3)] == [200, 200, 429]
    later = timezone.now() + dt.timedelta(minutes=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(LOOKUP, {"iin": child.iin}).status_code == 200


def test_the_registration_page_check_is_a_lookup_too(cast, child, settings):
    settings.TIREK_IIN_LOOKUPS_PER_HOUR = 1
    client = in_language(cast.client(cast.coordinator_b), "en")
    typed = {
        "iin": child.iin,
        "surname": "Тестова",
        "given_name": "Дана",
        "birth_date": child.birth_date.isoformat(),
        "sex": "female",
    }
    first = client.post(reverse("people:person_register"), typed)
    assert first.status_code == 200 and first.context["existing_iin"] == child.iin
    (event,) = lookups(cast.coordinator_b)
    assert (event.subject_person_id, event.note) == (child.pk, "registration")

    refused = client.post(reverse("people:person_register"), typed)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "limit of IIN look-ups" in page
    assert 'value="Тестова"' in page and f'value="{child.iin}"' in page  # what was typed is kept
    assert refused.context["existing_iin"] is None  # and nothing more is said about the IIN
    assert len(lookups(cast.coordinator_b)) == 1
    assert not Person.objects.filter(surname="Тестова").exists()


def test_registering_through_the_api_with_an_iin_is_a_lookup_too(cast, child, settings):
    settings.TIREK_IIN_LOOKUPS_PER_HOUR = 1
    client = cast.client(cast.coordinator_b)
    body = {"iin": child.iin, "surname": "Тестова", "given_name": "Дана", "sex": "female"}
    taken = client.post("/api/v1/persons/", body, content_type="application/json")
    assert taken.status_code == 400
    assert lookups(cast.coordinator_b)[0].subject_person_id == child.pk
    refused = client.post("/api/v1/persons/", body, content_type="application/json")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "throttled"


def test_a_scanner_over_its_allowance_leaves_one_refusal_a_minute(cast, child, settings):
    settings.TIREK_IIN_LOOKUPS_PER_HOUR = 1
    client = cast.client(cast.coordinator_b)
    client.get(LOOKUP, {"iin": child.iin})
    for _ in range(20):
        assert client.get(LOOKUP, {"iin": child.iin}).status_code == 429
    tally = RefusalTally.objects.get(actor=cast.coordinator_b)
    assert tally.count == 20 and tally.kind == "people.iin_lookup"
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 1
