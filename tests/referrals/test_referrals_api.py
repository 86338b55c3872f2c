"""The referrals API: the same services and rules as the pages, each action, the lists and the receivers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tirek.catalog.models import Service
from tirek.directory.models import Partnership
from tirek.people.services import person_register
from tirek.referrals.models import Referral

JSON = "application/json"


def post(client, url: str, body: dict):
    return client.post(url, body, content_type=JSON)


def test_the_api_sends_a_referral_from_a_case(cast, case_a, consent_for_b):
    response = post(
        cast.client(cast.coordinator_a),
        "/api/v1/referrals/",
        {
            "case": str(case_a.pk),
            "to_organisation": str(cast.shymkent.pk),
            "programme": str(cast.programme_b.pk),
            "reason": "Отбасы көшті",
            "urgency": "urgent",
            "shared_parts": ["family", "contacts"],
            "services": ["speech_therapy_session"],
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["from_case"], data["consent"], data["shared_parts"]) == (
        "sent",
        str(case_a.pk),
        str(consent_for_b.pk),
        ["contacts", "family"],
    )
    assert data["services"] == ["speech_therapy_session"]
    assert [e["kind"] for e in data["events"]] == ["sent"]
    assert data["shared"] is None  # the sender's own view


def test_the_api_refuses_without_consent_and_lets_only_a_manager_override(cast, case_a):
    body = {"case": str(case_a.pk), "to_organisation": str(cast.shymkent.pk), "reason": "x"}
    refused = post(cast.client(cast.coordinator_a), "/api/v1/referrals/", body)
    assert refused.status_code == 400
    assert set(refused.json()["error"]["fields"]) == {"consent"}
    forbidden = post(
        cast.client(cast.coordinator_a), "/api/v1/referrals/", {**body, "consent_override_reason": "Шұғыл"}
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "permission_denied"
    sent = post(
        cast.client(cast.manager_a), "/api/v1/referrals/", {**body, "consent_override_reason": "Шұғыл"}
    )
    assert sent.status_code == 201
    assert (sent.json()["consent"], sent.json()["consent_override_reason"]) == (None, "Шұғыл")


def test_the_api_needs_either_the_case_or_the_person_and_finds_neither_of_another_organisation(
    cast, case_a, third
):
    client = cast.client(cast.coordinator_a)
    both_missing = post(
        client, "/api/v1/referrals/", {"to_organisation": str(cast.shymkent.pk), "reason": "x"}
    )
    assert both_missing.status_code == 400
    stranger = cast.client(third["manager"])
    for field, value in (("case", case_a.pk), ("person", case_a.person_id)):
        response = post(
            stranger,
            "/api/v1/referrals/",
            {field: str(value), "to_organisation": str(cast.shymkent.pk), "reason": "x"},
        )
        assert response.status_code == 404


def test_the_api_lists_incoming_and_sent_referrals_by_status(cast, referral, django_assert_max_num_queries):
    receiver = cast.client(cast.coordinator_b)
    with django_assert_max_num_queries(8):
        incoming = receiver.get("/api/v1/referrals/", {"direction": "incoming"}).json()["results"]
    assert [r["number"] for r in incoming] == [referral.number]
    assert receiver.get("/api/v1/referrals/", {"direction": "outgoing"}).json()["results"] == []
    assert receiver.get("/api/v1/referrals/", {"status": "accepted"}).json()["results"] == []
    sender = cast.client(cast.coordinator_a)
    assert [r["id"] for r in sender.get("/api/v1/referrals/?direction=outgoing").json()["results"]] == [
        str(referral.pk)
    ]
    assert receiver.get("/api/v1/referrals/", {"status": "nonsense"}).status_code == 400


def test_the_api_answers_a_referral_through_every_state(cast, referral):
    receiver = cast.client(cast.coordinator_b)
    detail = receiver.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert set(detail["shared"]) == {"contacts", "families"}
    assert detail["shared"]["families"][0]["members"][0]["role"] in {"child", "mother"}
    accepted = post(
        receiver,
        f"/api/v1/referrals/{referral.pk}/accept/",
        {"programme": str(cast.programme_b.pk), "coordinator": str(cast.coordinator_b.pk)},
    )
    assert accepted.status_code == 200, accepted.json()
    assert (accepted.json()["status"], accepted.json()["days_to_accept"]) == ("accepted", 0)
    assert accepted.json()["to_case"]
    again = post(
        receiver, f"/api/v1/referrals/{referral.pk}/accept/", {"programme": str(cast.programme_b.pk)}
    )
    assert again.status_code == 400 and "status" in again.json()["error"]["fields"]
    completed = post(receiver, f"/api/v1/referrals/{referral.pk}/complete/", {"note": "Аяқталды"})
    assert completed.status_code == 200
    assert [e["kind"] for e in completed.json()["events"]] == ["sent", "accepted", "completed"]


def test_the_api_declines_with_a_reason_and_the_sender_revokes(cast, send, child):
    first = send()
    receiver = cast.client(cast.coordinator_b)
    assert post(receiver, f"/api/v1/referrals/{first.pk}/decline/", {}).status_code == 400
    declined = post(receiver, f"/api/v1/referrals/{first.pk}/decline/", {"reason": "Орын жоқ"})
    assert (declined.status_code, declined.json()["decline_reason"]) == (200, "Орын жоқ")
    second = send()
    sender = cast.client(cast.coordinator_a)
    revoked = post(sender, f"/api/v1/referrals/{second.pk}/revoke/", {"reason": "Көшпейді"})
    assert (revoked.status_code, revoked.json()["status"]) == (200, "revoked")
    assert receiver.get(f"/api/v1/persons/{child.pk}/").status_code == 404


def test_the_api_records_an_external_referral(cast, intake_b, child):
    person = person_register(
        actor=intake_b,
        organisation=cast.shymkent,
        surname="Ахметова",
        given_name="Айлин",
        sex="female",
        birth_date=timezone.localdate() - dt.timedelta(days=200),
        iin_missing_reason="newborn",
    )
    client = cast.client(intake_b)
    body = {
        "person": str(person.pk),
        "external_source": "pmpk",
        "external_source_name": "ПМПК",
        "reason": "x",
    }
    response = post(client, "/api/v1/referrals/external/", body)
    assert response.status_code == 201, response.json()
    assert (response.json()["from_organisation"], response.json()["external_source"]) == (None, "pmpk")
    assert post(client, "/api/v1/referrals/external/", {**body, "person": str(child.pk)}).status_code == 404
    wrong = post(client, "/api/v1/referrals/external/", {**body, "external_source": "organisation"})
    assert wrong.status_code == 400
    assert post(cast.client(cast.specialist_b), "/api/v1/referrals/external/", body).status_code == 403
    assert Referral.objects.count() == 1


def test_the_api_lists_the_organisations_a_referral_may_go_to(cast, django_assert_max_num_queries):
    client = cast.client(cast.coordinator_a)
    with django_assert_max_num_queries(8):
        everyone = client.get("/api/v1/referrals/targets/").json()["results"]
    assert {o["id"] for o in everyone} == {str(cast.shymkent.pk), str(cast.ministry.pk)}
    narrowed = client.get(
        "/api/v1/referrals/targets/", {"region": "790000000", "programme_kind": "early_intervention"}
    ).json()["results"]
    assert [o["id"] for o in narrowed] == [str(cast.shymkent.pk)]
    assert client.get("/api/v1/referrals/targets/", {"kind": "youth_house"}).json()["results"] == []
    assert (
        client.get("/api/v1/referrals/targets/", {"service": "speech_therapy_session"}).json()["results"]
        == []
    )
    memorandum = Partnership.objects.create(title="Логопедия", signed_on=timezone.localdate())
    memorandum.parties.set([cast.shymkent, cast.ministry])
    memorandum.services.set(Service.objects.filter(code="speech_therapy_session"))
    by_service = client.get("/api/v1/referrals/targets/", {"service": "speech_therapy_session"}).json()[
        "results"
    ]
    assert {o["id"] for o in by_service} == {str(cast.shymkent.pk), str(cast.ministry.pk)}
    assert cast.client(cast.specialist_a).get("/api/v1/referrals/targets/").status_code == 403
