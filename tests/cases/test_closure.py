"""Closing a case with its reason, destination and exit ratings; entry ratings; reopening by a manager."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.models import Case
from tirek.cases.services import case_close, case_open, case_record_entry_outcomes, case_reopen
from tirek.catalog.models import ClosureReason
from tirek.core.errors import NotAllowed

EXIT_RATINGS = {"exit_social": 5, "exit_knowledge": 4, "exit_needs": 6}


@pytest.fixture
def case(cast, toddler):
    return case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=toddler,
        programme=cast.programme_a,
        referral_source="polyclinic",
        opened_on=timezone.localdate() - dt.timedelta(days=30),
    )


def reason(code: str) -> ClosureReason:
    return ClosureReason.objects.get(code=code)


def close(cast, case, code="goals_achieved", **fields):
    return case_close(actor=cast.coordinator_a, case=case, reason=reason(code), **fields)


def test_the_new_closure_reasons_are_in_the_catalogue_in_three_languages(db):
    for code in ("goals_achieved", "reunified", "placed_in_family"):
        row = ClosureReason.objects.get(code=code)
        assert row.name_kk and row.name_ru and row.name_en
    assert list(ClosureReason.objects.values_list("code", flat=True)[:2]) == ["goals_achieved", "completed"]


def test_closing_requires_the_destination(cast, case):
    with pytest.raises(ValidationError) as refused:
        close(cast, case, code="moved")
    assert set(refused.value.message_dict) == {"destination"}
    with pytest.raises(ValidationError) as unknown:
        close(cast, case, code="moved", destination="orbit")
    assert "destination" in unknown.value.message_dict
    assert Case.objects.get(pk=case.pk).status == "intake"


def test_goals_achieved_requires_the_three_exit_ratings(cast, case):
    with pytest.raises(ValidationError) as refused:
        close(cast, case, destination="kindergarten")
    assert set(refused.value.message_dict) == {"exit_social", "exit_knowledge", "exit_needs"}
    with pytest.raises(ValidationError) as out_of_scale:
        close(cast, case, destination="kindergarten", **{**EXIT_RATINGS, "exit_needs": 8})
    assert set(out_of_scale.value.message_dict) == {"exit_needs"}
    close(cast, case, destination="kindergarten", **EXIT_RATINGS)
    case.refresh_from_db()
    assert (case.status, case.closure_destination, case.exit_rated_on) == (
        "closed",
        "kindergarten",
        timezone.localdate(),
    )
    assert (case.exit_social, case.exit_knowledge, case.exit_needs) == (5, 4, 6)
    closed = case.events.get(kind="closed")
    assert closed.data["destination"] == "kindergarten"
    assert closed.data["exit_ratings"] == EXIT_RATINGS
    audit = AuditEvent.objects.filter(object_id=str(case.pk), action="update").latest("created_at")
    assert audit.changes["closure_destination"] == ["", "kindergarten"]
    assert audit.changes["exit_needs"] == [None, 6]


def test_exit_ratings_are_optional_when_the_family_moved_but_all_three_or_none(cast, case):
    with pytest.raises(ValidationError) as partial:
        close(cast, case, code="moved", destination="none", exit_social=3)
    assert set(partial.value.message_dict) == {"exit_knowledge", "exit_needs"}
    close(cast, case, code="moved", destination="none")
    case.refresh_from_db()
    assert case.exit_rated_on is None and case.exit_social is None


def test_entry_ratings_are_recorded_and_compared_at_exit(cast, case):
    rated_on = timezone.localdate() - dt.timedelta(days=20)
    case_record_entry_outcomes(
        actor=cast.coordinator_a, case=case, social=2, knowledge=3, needs=2, rated_on=rated_on
    )
    with pytest.raises(ValidationError) as refused:
        case_record_entry_outcomes(actor=cast.coordinator_a, case=case, social=0, knowledge=3, needs=None)
    assert set(refused.value.message_dict) == {"entry_social", "entry_needs"}
    with pytest.raises(NotAllowed):
        case_record_entry_outcomes(actor=cast.specialist_a, case=case, social=2, knowledge=3, needs=2)
    close(cast, case, code="aged_out", destination="special_kindergarten", **EXIT_RATINGS)
    case.refresh_from_db()
    assert case.entry_rated_on == rated_on
    assert [(entry, exit_) for _area, entry, exit_ in case.outcome_ratings] == [(2, 5), (3, 4), (2, 6)]
    assert case.events.filter(kind="updated", data__entry_ratings__entry_social=2).exists()


def test_a_manager_reopens_a_closed_case_and_it_is_audited(cast, case):
    close(cast, case, code="moved", destination="none", note="Astana")
    with pytest.raises(NotAllowed):
        case_reopen(actor=cast.coordinator_a, case=case, reason="They came back")
    with pytest.raises(ValidationError) as no_reason:
        case_reopen(actor=cast.manager_a, case=case, reason="  ")
    assert "reason" in no_reason.value.message_dict
    case_reopen(actor=cast.manager_a, case=case, reason="They came back")
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closure_reason, case.closure_destination) == (
        "intake",
        None,
        None,
        "",
    )
    reopened = case.events.get(kind="reopened")
    assert reopened.data["reason"] == "They came back"
    assert reopened.data["closure_reason"] == "moved"
    audit = AuditEvent.objects.get(object_id=str(case.pk), note__startswith="reopened")
    assert audit.actor == cast.manager_a
    assert audit.changes["status"] == ["closed", "intake"]
    with pytest.raises(ValidationError):  # open already
        case_reopen(actor=cast.manager_a, case=case, reason="Again")


def test_a_case_is_not_reopened_over_a_newer_open_case_in_the_programme(cast, case, toddler):
    close(cast, case, code="moved", destination="none")
    case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=toddler,
        programme=cast.programme_a,
        referral_source="self",
    )
    with pytest.raises(ValidationError) as refused:
        case_reopen(actor=cast.manager_a, case=case, reason="Back")
    assert "programme" in refused.value.message_dict


# -- API and pages ---------------------------------------------------------------------------------------


def test_the_api_closes_with_destination_and_ratings(cast, case):
    client = cast.client(cast.coordinator_a)
    url = f"/api/v1/cases/{case.pk}/close/"
    missing = client.post(url, {"reason": "transferred"}, content_type="application/json")
    assert missing.status_code == 400
    assert "destination" in missing.json()["error"]["fields"]
    unrated = client.post(
        url, {"reason": "transferred", "destination": "other_programme"}, content_type="application/json"
    )
    assert unrated.status_code == 400
    assert set(unrated.json()["error"]["fields"]) == {"exit_social", "exit_knowledge", "exit_needs"}
    closed = client.post(
        url,
        {"reason": "transferred", "destination": "other_programme", **EXIT_RATINGS},
        content_type="application/json",
    )
    assert closed.status_code == 200
    body = closed.json()
    assert (body["status"], body["closure_destination"], body["exit_knowledge"]) == (
        "closed",
        "other_programme",
        4,
    )


def test_the_api_records_entry_ratings(cast, case):
    client = cast.client(cast.coordinator_a)
    url = f"/api/v1/cases/{case.pk}/outcomes/"
    bad = client.post(url, {"social": 9, "knowledge": 3, "needs": 2}, content_type="application/json")
    assert bad.status_code == 400
    saved = client.post(url, {"social": 1, "knowledge": 3, "needs": 2}, content_type="application/json")
    assert saved.status_code == 200
    assert (saved.json()["entry_social"], saved.json()["entry_rated_on"]) == (1, str(timezone.localdate()))
    assert (
        cast.client(cast.specialist_a)
        .post(url, {"social": 1, "knowledge": 3, "needs": 2}, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        cast.client(cast.manager_b)
        .post(url, {"social": 1, "knowledge": 3, "needs": 2}, content_type="application/json")
        .status_code
        == 404
    )


def test_the_api_reopens_for_managers_only(cast, case):
    close(cast, case, code="declined", destination="none")
    url = f"/api/v1/cases/{case.pk}/reopen/"
    body = {"reason": "The family asked again"}
    assert cast.client(cast.coordinator_a).post(url, body, content_type="application/json").status_code == 403
    assert cast.client(cast.manager_b).post(url, body, content_type="application/json").status_code == 404
    reopened = cast.client(cast.manager_a).post(url, body, content_type="application/json")
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "intake"


def test_the_closure_form_asks_reason_destination_and_ratings(cast, case):
    client = cast.client(cast.coordinator_a)
    url = reverse("cases:case_close", args=[case.pk])
    form = client.get(url)
    assert set(form.context["form"].fields) >= {"reason", "destination", "exit_social", "exit_knowledge"}
    refused = client.post(url, {"reason": reason("goals_achieved").pk, "destination": "school"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["exit_social"]
    done = client.post(url, {"reason": reason("goals_achieved").pk, "destination": "school", **EXIT_RATINGS})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closure_destination) == ("closed", "school")


def test_the_reopen_page_is_for_managers_of_the_organisation(cast, case):
    close(cast, case, code="moved", destination="none")
    url = reverse("cases:case_reopen", args=[case.pk])
    assert cast.client(cast.coordinator_a).get(url).status_code == 403
    assert cast.client(cast.manager_b).get(url).status_code == 404
    page = cast.client(cast.manager_a).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert url in page
    assert cast.client(cast.manager_a).post(url, {"reason": "Back in Almaty"}).status_code == 302
    case.refresh_from_db()
    assert case.is_open


def test_the_entry_ratings_page(cast, case):
    url = reverse("cases:case_outcomes", args=[case.pk])
    assert cast.client(cast.specialist_a).get(url).status_code == 403
    assert cast.client(cast.manager_b).get(url).status_code == 404
    client = cast.client(cast.coordinator_a)
    assert client.post(url, {"social": 2, "knowledge": 2, "needs": 3}).status_code == 302
    case.refresh_from_db()
    assert (case.entry_social, case.entry_needs) == (2, 3)
