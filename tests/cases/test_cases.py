from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tirek.audit.models import AuditEvent
from tirek.cases.models import Case
from tirek.cases.services import case_change_status, case_close, case_open, case_set_team
from tirek.catalog.models import ClosureReason
from tirek.core.errors import NotAllowed
from tirek.people.services import consent_record, family_create, family_member_add, person_register


def open_case(cast, person, **extra):
    return case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        programme=cast.programme_a,
        referral_source="polyclinic",
        **extra,
    )


def test_a_case_gets_a_number_per_organisation_and_year(cast, toddler):
    cast.almaty.case_prefix = "KEN"
    cast.almaty.save()
    case = open_case(cast, toddler)
    year = timezone.localdate().year
    assert case.number == f"KEN-{year}-00001"
    assert case.status == "intake"
    assert [e.kind for e in case.events.all()] == ["opened"]
    other = person_register(
        actor=cast.coordinator_b,
        organisation=cast.shymkent,
        surname="Б",
        given_name="В",
        sex="male",
        birth_date=toddler.birth_date,
        iin_missing_reason="unknown",
    )
    first_b = case_open(
        actor=cast.coordinator_b,
        organisation=cast.shymkent,
        person=other,
        programme=cast.programme_b,
        referral_source="pmpk",
    )
    assert first_b.number == f"T-{year}-00001"


def test_a_child_too_old_is_refused_with_a_translated_message(cast, older_child):
    with translation.override("kk"), pytest.raises(ValidationError) as refused:
        open_case(cast, older_child)
    message = refused.value.message_dict["programme"][0]
    assert "40" in message and "36" in message
    with translation.override("en"), pytest.raises(ValidationError) as english:
        open_case(cast, older_child)
    assert message != english.value.message_dict["programme"][0]
    assert not Case.objects.exists()


def test_a_manager_may_override_eligibility_with_a_reason(cast, older_child):
    with pytest.raises(NotAllowed):
        open_case(cast, older_child, override_reason="PMPK recommends continuing")
    case = case_open(
        actor=cast.manager_a,
        organisation=cast.almaty,
        person=older_child,
        programme=cast.programme_a,
        referral_source="pmpk",
        override_reason="PMPK recommends continuing",
    )
    assert case.eligibility_override_reason == "PMPK recommends continuing"
    assert "eligibility_overridden" in set(case.events.values_list("kind", flat=True))
    assert AuditEvent.objects.filter(object_id=str(case.pk), note__startswith="eligibility override").exists()


def test_activation_needs_the_consent_to_services(cast, toddler):
    case = open_case(cast, toddler)
    with pytest.raises(ValidationError) as refused:
        case_change_status(actor=cast.coordinator_a, case=case, status="active")
    assert "status" in refused.value.message_dict
    mother = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омарова",
        given_name="Сәуле",
        sex="female",
        birth_date=dt.date(1995, 3, 1),
        iin_missing_reason="unknown",
    )
    family = family_create(actor=cast.coordinator_a, organisation=cast.almaty, name="Омаровтар")
    family_member_add(actor=cast.coordinator_a, family=family, person=toddler, role="child")
    with pytest.raises(ValidationError):  # not yet the legal representative
        consent_record(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            person=toddler,
            given_by=mother,
            purposes=["services"],
            given_on=timezone.localdate(),
        )
    family_member_add(
        actor=cast.coordinator_a, family=family, person=mother, role="mother", is_legal_representative=True
    )
    with pytest.raises(ValidationError):  # a child does not consent for themselves
        consent_record(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            person=toddler,
            given_by=toddler,
            purposes=["services"],
            given_on=timezone.localdate(),
        )
    consent_record(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=toddler,
        given_by=mother,
        purposes=["services", "data_processing"],
        given_on=timezone.localdate(),
    )
    case_change_status(actor=cast.coordinator_a, case=case, status="active")
    assert case.status == "active"
    assert [e.kind for e in case.events.all()][:1] == ["status_changed"]


def test_the_status_flow_is_enforced_and_closing_needs_a_reason(cast, toddler):
    case = open_case(cast, toddler)
    with pytest.raises(ValidationError):
        case_change_status(actor=cast.coordinator_a, case=case, status="referred")
    with pytest.raises(ValidationError):
        case_close(actor=cast.coordinator_a, case=case, reason=None)
    case_close(
        actor=cast.coordinator_a,
        case=case,
        reason=ClosureReason.objects.get(code="moved"),
        destination="none",
        note="Astana",
    )
    assert case.status == "closed"
    assert case.closed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        case_close(
            actor=cast.coordinator_a,
            case=case,
            reason=ClosureReason.objects.get(code="moved"),
            destination="none",
        )


def test_one_open_case_per_person_and_programme(cast, toddler):
    open_case(cast, toddler)
    with pytest.raises(ValidationError) as refused:
        open_case(cast, toddler)
    assert "programme" in refused.value.message_dict


def test_the_team_must_be_members_of_the_organisation(cast, toddler):
    case = open_case(cast, toddler)
    with pytest.raises(ValidationError):
        case_set_team(actor=cast.coordinator_a, case=case, coordinator=cast.coordinator_b)
    case_set_team(
        actor=cast.coordinator_a, case=case, coordinator=cast.coordinator_a, team=[cast.specialist_a]
    )
    kinds = set(case.events.values_list("kind", flat=True))
    assert {"coordinator_changed", "team_changed"} <= kinds


def test_another_organisations_case_is_not_found(cast, toddler):
    case = open_case(cast, toddler)
    other = cast.client(cast.manager_b)
    assert other.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert other.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert (
        other.post(
            f"/api/v1/cases/{case.pk}/close/",
            {"reason": "moved", "destination": "none"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert other.get("/api/v1/cases/").json()["results"] == []


def test_a_specialist_cannot_open_or_close_cases(cast, toddler):
    client = cast.client(cast.specialist_a)
    response = client.post(
        "/api/v1/cases/",
        {"person": str(toddler.pk), "programme": str(cast.programme_a.pk), "referral_source": "self"},
        content_type="application/json",
    )
    assert response.status_code == 403
    case = open_case(cast, toddler)
    assert (
        client.post(
            f"/api/v1/cases/{case.pk}/close/",
            {"reason": "moved", "destination": "none"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.get(reverse("cases:case_close", args=[case.pk])).status_code == 403


def test_the_api_opens_a_case_and_answers_bad_input_in_the_error_shape(cast, toddler, older_child):
    client = cast.client(cast.coordinator_a)
    body = {
        "person": str(toddler.pk),
        "programme": str(cast.programme_a.pk),
        "referral_source": "hotline_150",
        "referral_received_on": str(timezone.localdate() - dt.timedelta(days=3)),
    }
    created = client.post("/api/v1/cases/", body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert {
        "id",
        "number",
        "person",
        "programme",
        "status",
        "opened_on",
        "referral_source",
        "referral_received_on",
        "coordinator",
    } <= set(data)
    refused = client.post(
        "/api/v1/cases/", {**body, "person": str(older_child.pk)}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["programme"]
    events = client.get(f"/api/v1/cases/{data['id']}/events/").json()
    assert [e["kind"] for e in events] == ["opened"]


def test_the_case_page_shows_the_timeline_and_is_audited(cast, toddler):
    case = open_case(cast, toddler)
    response = cast.client(cast.specialist_a).get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert case.number in response.content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(case.pk)).count() == 1


def test_the_ui_refuses_an_ineligible_child_and_keeps_the_form(cast, older_child):
    response = cast.client(cast.coordinator_a).post(
        reverse("cases:case_open") + f"?person={older_child.pk}",
        {"programme": cast.programme_a.pk, "referral_source": "pmpk", "status": "intake"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["programme"]


def test_the_case_list_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for n in range(30):
        person = person_register(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            surname=f"Бала{n}",
            given_name="Ә",
            sex="male",
            birth_date=timezone.localdate() - dt.timedelta(days=400),
            iin_missing_reason="unknown",
        )
        open_case(cast, person, coordinator=cast.coordinator_a)
    client = cast.client(cast.manager_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cases:case_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/cases/").json()["results"]) == 30
