"""Who sees what: the receiver sees the person only once the referral arrives, never the sender's case, and
of the sender's record only the parts shared (health only for its managers and coordinators); after a
decline or a revoke the person is gone again; the sender learns whether the service happened (a number)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tirek.catalog.models import Diagnosis, Service
from tirek.people.services import person_diagnosis_add
from tirek.plans.services import plan_approve, plan_create, plan_goal_add
from tirek.referrals.services import referral_accept, referral_decline, referral_revoke
from tirek.services.services import visit_log


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def rich_case(cast, case_a, child):
    """The child's case with a diagnosis and an approved plan with a goal."""
    diagnosis = Diagnosis.objects.order_by("code").first()
    person_diagnosis_add(actor=cast.manager_a, person=child, diagnosis=diagnosis, source="ПМПК")
    plan = plan_create(actor=cast.coordinator_a, case=case_a)
    plan_goal_add(
        actor=cast.coordinator_a,
        plan=plan,
        domain="communication",
        wording="Он сөзбен өтініш білдіреді",
        criterion="5 жағдайдың 4-інде",
        target_date=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    plan_approve(actor=cast.manager_a, plan=plan, approved_on=timezone.localdate())
    return case_a


def test_the_receiver_sees_the_person_only_once_the_referral_arrives_and_never_the_senders_case(
    cast, send, case_a
):
    client = cast.client(cast.coordinator_b)
    person_url = f"/people/{case_a.person_id}/"
    assert client.get(person_url).status_code == 404
    referral = send()
    assert client.get(person_url).status_code == 200
    assert client.get(f"/cases/{case_a.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{case_a.pk}/").status_code == 404
    body = page(client, f"/referrals/{referral.pk}/")
    assert 'data-testid="from-case"' not in body
    assert str(case_a.pk) not in body


def test_the_receiver_reads_only_the_parts_shared(cast, send, rich_case):
    referral = send(shared_parts=["contacts", "family"])
    body = page(cast.client(cast.manager_b), f"/referrals/{referral.pk}/")
    assert 'data-testid="shared-contacts"' in body and "+77011234567" in body
    assert 'data-testid="shared-family"' in body and "Дина" in body
    for part in ("health", "assessments", "plan", "sessions"):
        assert f'data-testid="shared-{part}"' not in body
    assert "Он сөзбен" not in body


def test_health_goes_to_the_receivers_managers_and_coordinators_only(cast, send, rich_case, intake_b):
    referral = send(shared_parts=["health", "plan", "sessions", "assessments"])
    diagnosis_code = rich_case.person.diagnoses.get().diagnosis.code
    for user in (cast.manager_b, cast.coordinator_b):
        body = page(cast.client(user), f"/referrals/{referral.pk}/")
        assert 'data-testid="shared-health"' in body and diagnosis_code in body
    body = page(cast.client(intake_b), f"/referrals/{referral.pk}/")
    assert 'data-testid="shared-health"' not in body
    assert 'data-testid="shared-plan"' in body and "Он сөзбен" in body
    assert 'data-testid="shared-contacts"' not in body
    # The sender has its own case: its page of the referral lists what was shared, not the contents.
    body = page(cast.client(cast.coordinator_a), f"/referrals/{referral.pk}/")
    assert 'data-testid="shared"' not in body


@pytest.mark.parametrize("answer", ["decline", "revoke"])
def test_after_a_decline_or_a_revoke_the_receiver_loses_the_person(cast, send, case_a, answer):
    referral = send(shared_parts=["contacts"])
    if answer == "decline":
        referral_decline(actor=cast.coordinator_b, referral=referral, reason="Орын жоқ")
    else:
        referral_revoke(actor=cast.coordinator_a, referral=referral, reason="Қате")
    client = cast.client(cast.coordinator_b)
    assert client.get(f"/people/{case_a.person_id}/").status_code == 404
    assert client.get(f"/api/v1/persons/{case_a.person_id}/").status_code == 404
    body = page(client, f"/referrals/{referral.pk}/")  # the referral's history stays
    assert 'data-testid="shared' not in body
    assert case_a.person.full_name not in body
    inbox = page(client, "/referrals/")
    assert referral.number in inbox and case_a.person.full_name not in inbox
    shared = client.get(f"/api/v1/referrals/{referral.pk}/").json()["shared"]
    assert shared is None
    # The sender still sees its own person.
    assert cast.client(cast.coordinator_a).get(f"/people/{case_a.person_id}/").status_code == 200


def test_the_sender_sees_whether_the_service_happened_as_a_number(cast, referral, case_a):
    accepted = referral_accept(actor=cast.coordinator_b, referral=referral, programme=cast.programme_b)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    visit_log(
        actor=cast.coordinator_b,
        case=accepted.to_case,
        status="attended",
        starts_at=midnight,
        minutes=30,
        service=Service.objects.get(code="speech_therapy_session"),
        specialist=cast.specialist_b,
    )
    body = page(cast.client(cast.coordinator_a), f"/referrals/{referral.pk}/")
    assert 'data-testid="delivered-sessions">1<' in body
    assert 'data-testid="to-case"' not in body
    assert cast.client(cast.coordinator_a).get(f"/cases/{accepted.to_case_id}/").status_code == 404
    data = cast.client(cast.coordinator_a).get(f"/api/v1/referrals/{referral.pk}/").json()
    assert data["delivered_sessions"] == 1
    receiver = cast.client(cast.coordinator_b).get(f"/api/v1/referrals/{referral.pk}/").json()
    assert receiver["delivered_sessions"] is None
    assert 'data-testid="to-case"' in page(cast.client(cast.coordinator_b), f"/referrals/{referral.pk}/")


REFERRAL_PAGES = (
    "/referrals/{pk}/",
    "/referrals/{pk}/accept/",
    "/referrals/{pk}/decline/",
    "/referrals/{pk}/complete/",
    "/referrals/{pk}/revoke/",
)
REFERRAL_ENDPOINTS = ("/api/v1/referrals/{pk}/",)
REFERRAL_ACTIONS = ("accept", "decline", "complete", "revoke")


def test_a_third_organisation_finds_no_referral_on_any_page_or_endpoint(cast, referral, third):
    for user in (third["coordinator"], third["manager"], cast.analyst):
        client = cast.client(user)
        for url in (*REFERRAL_PAGES, *REFERRAL_ENDPOINTS):
            assert client.get(url.format(pk=referral.pk)).status_code == 404, (user, url)
        for act in REFERRAL_ACTIONS:
            assert client.post(f"/referrals/{referral.pk}/{act}/", {}).status_code == 404
            response = client.post(
                f"/api/v1/referrals/{referral.pk}/{act}/", {}, content_type="application/json"
            )
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"
        listed = client.get("/api/v1/referrals/")
        assert listed.status_code == 403 if user == cast.analyst else listed.json()["results"] == []
    assert cast.client(third["manager"]).get(f"/people/{referral.person_id}/").status_code == 404


def test_roles_without_referral_work_are_refused_on_every_page_and_endpoint(cast, referral):
    for user in (cast.specialist_a, cast.specialist_b):
        client = cast.client(user)
        for url in (
            "/referrals/",
            "/referrals/sent/",
            "/referrals/external/new/",
            f"/referrals/new/?case={referral.from_case_id}",
            *REFERRAL_PAGES,
        ):
            assert client.get(url.format(pk=referral.pk)).status_code == 403, (user, url)
        for url in ("/api/v1/referrals/", "/api/v1/referrals/targets/", *REFERRAL_ENDPOINTS):
            assert client.get(url.format(pk=referral.pk)).status_code == 403, (user, url)
        for act in REFERRAL_ACTIONS:
            assert client.post(f"/referrals/{referral.pk}/{act}/", {"reason": "x"}).status_code == 403
            response = client.post(
                f"/api/v1/referrals/{referral.pk}/{act}/", {"reason": "x"}, content_type="application/json"
            )
            assert response.status_code == 403
        for url in ("/api/v1/referrals/", "/api/v1/referrals/external/"):
            assert client.post(url, {}, content_type="application/json").status_code in (400, 403)
    assert (
        cast.client(cast.specialist_a)
        .post(
            "/api/v1/referrals/",
            {"case": str(referral.from_case_id), "to_organisation": str(cast.shymkent.pk), "reason": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_each_side_is_refused_the_other_sides_acts(cast, referral):
    sender, receiver = cast.client(cast.coordinator_a), cast.client(cast.coordinator_b)
    for act in ("accept", "decline", "complete"):
        assert sender.post(f"/referrals/{referral.pk}/{act}/", {"decline-reason": "x"}).status_code == 403
        assert (
            sender.post(
                f"/api/v1/referrals/{referral.pk}/{act}/", {"reason": "x"}, content_type="application/json"
            ).status_code
            == 403
        )
    assert receiver.post(f"/referrals/{referral.pk}/revoke/", {"revoke-reason": "x"}).status_code == 403
    assert (
        receiver.post(
            f"/api/v1/referrals/{referral.pk}/revoke/", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_an_administrator_reads_every_referral_and_answers_none(cast, referral):
    client = cast.client(cast.admin)
    assert client.get(f"/referrals/{referral.pk}/").status_code == 200
    assert f'data-number="{referral.number}"' in client.get("/referrals/").content.decode()
    assert client.get(f"/api/v1/referrals/{referral.pk}/").json()["shared"] is None
    assert (
        client.post(
            f"/api/v1/referrals/{referral.pk}/decline/", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
