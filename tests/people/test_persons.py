from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.services import case_open
from tirek.catalog.models import Diagnosis
from tirek.people.models import Person
from tirek.people.services import IinMismatch, person_diagnosis_add, person_register, person_update


def test_an_iin_fills_birth_date_and_sex(cast, iin):
    number = iin(dt.date(2024, 5, 17), "male")
    person = person_register(
        actor=cast.coordinator_a, organisation=cast.almaty, iin=number, surname="Омаров", given_name="Нұрлан"
    )
    assert person.birth_date == dt.date(2024, 5, 17)
    assert person.sex == "male"
    assert person.name_skeleton == "omarov nurlan"


def test_a_wrong_check_digit_is_an_error(cast):
    with pytest.raises(ValidationError) as error:
        person_register(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            iin="791028302729",
            surname="А",
            given_name="Б",
        )
    assert error.value.error_dict["iin"][0].code == "iin_checksum"


def test_a_disagreeing_birth_date_is_a_warning_the_user_confirms(cast, iin):
    number = iin(dt.date(2024, 5, 17), "female")
    fields = {
        "iin": number,
        "surname": "Ахметова",
        "given_name": "Дана",
        "birth_date": dt.date(2024, 5, 18),
        "sex": "female",
    }
    with pytest.raises(IinMismatch) as warning:
        person_register(actor=cast.coordinator_a, organisation=cast.almaty, **fields)
    assert set(warning.value.message_dict) == {"birth_date"}
    person = person_register(
        actor=cast.coordinator_a, organisation=cast.almaty, confirm_mismatch=True, **fields
    )
    assert person.birth_date == dt.date(2024, 5, 18)


def test_without_iin_a_reason_is_required(cast):
    with pytest.raises(ValidationError) as error:
        person_register(
            actor=cast.coordinator_a, organisation=cast.almaty, surname="А", given_name="Б", sex="male"
        )
    assert "iin_missing_reason" in error.value.message_dict
    newborn = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="А",
        given_name="Б",
        sex="male",
        iin_missing_reason="newborn",
        birth_date=timezone.localdate(),
    )
    assert newborn.iin is None


def test_an_iin_is_unique_across_the_country(cast, child):
    with pytest.raises(ValidationError) as error:
        person_register(
            actor=cast.coordinator_b, organisation=cast.shymkent, iin=child.iin, surname="X", given_name="Y"
        )
    assert error.value.error_dict["iin"][0].code == "iin_exists"


def test_another_organisation_cannot_see_the_person_until_a_case_links_them(cast, child):
    other = cast.client(cast.coordinator_b)
    assert other.get(f"/api/v1/persons/{child.pk}/").status_code == 404
    assert other.get(reverse("people:person_detail", args=[child.pk])).status_code == 404
    assert other.get("/api/v1/persons/", {"q": "Айгерім"}).json()["results"] == []
    lookup = other.get("/api/v1/persons/lookup/", {"iin": child.iin}).json()
    assert lookup == {"exists": True, "id": None}
    response = other.post(
        "/api/v1/cases/",
        {"iin": child.iin, "programme": str(cast.programme_b.pk), "referral_source": "organisation"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert other.get(f"/api/v1/persons/{child.pk}/").status_code == 200
    assert other.get("/api/v1/persons/lookup/", {"iin": child.iin}).json() == {
        "exists": True,
        "id": str(child.pk),
    }


def test_the_lookup_of_an_unknown_iin_says_nothing_exists(cast, iin):
    unknown = {"iin": iin(dt.date(2020, 1, 1), "male")}
    response = cast.client(cast.coordinator_a).get("/api/v1/persons/lookup/", unknown)
    assert response.json() == {"exists": False, "id": None}
    assert cast.client(cast.coordinator_a).get("/api/v1/persons/lookup/", {"iin": "123"}).status_code == 400
    # Only those who register persons may ask whether an IIN exists anywhere.
    assert cast.client(cast.specialist_a).get("/api/v1/persons/lookup/", unknown).status_code == 403


@pytest.mark.parametrize(
    "query",
    ["Айгерім", "Айгерим", "Айгерiм", "AIGERIM", "Aigerım", "aigerim kasym", "Qasymova", "Касымова А"],
)
def test_search_finds_a_name_in_any_script(cast, child, query):
    client = cast.client(cast.specialist_a)
    assert [p["id"] for p in client.get("/api/v1/persons/", {"q": query}).json()["results"]] == [
        str(child.pk)
    ]


def test_search_by_iin_phone_and_case_number(cast, child):
    case = case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
    )
    client = cast.client(cast.specialist_a)
    for query in (child.iin, "8 701 123 45 67", "+77011234567", case.number):
        found = client.get(reverse("people:person_list"), {"q": query}).context["page"]
        assert [p.pk for p in found] == [child.pk], query
    too_short = client.get(reverse("people:person_list"), {"q": "Ай"})
    assert list(too_short.context["page"]) == []
    assert too_short.context["too_short"]


def test_health_data_is_for_the_case_team_and_managers_only(cast, child):
    case = case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        coordinator=cast.coordinator_a,
    )
    person_update(actor=cast.coordinator_a, person=child, disability_status="child")
    person_diagnosis_add(actor=cast.coordinator_a, person=child, diagnosis=Diagnosis.objects.get(code="Q90"))
    assert case.coordinator == cast.coordinator_a
    for user, sees in ((cast.coordinator_a, True), (cast.manager_a, True), (cast.specialist_a, False)):
        body = cast.client(user).get(f"/api/v1/persons/{child.pk}/").json()
        if sees:
            assert body["health"]["disability_status"] == "child"
            assert [d["diagnosis"] for d in body["health"]["diagnoses"]] == ["Q90"]
        else:
            assert body["health"] is None
        page = cast.client(user).get(reverse("people:person_detail", args=[child.pk])).content.decode()
        assert ("Q90" in page) is sees
    with pytest.raises(Exception) as refused:
        person_update(actor=cast.specialist_a, person=child, disability_status="none")
    assert refused.typename == "NotAllowed"
    response = cast.client(cast.specialist_a).patch(
        f"/api/v1/persons/{child.pk}/", {"disability_status": "none"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_viewing_a_person_is_audited(cast, child):
    cast.client(cast.specialist_a).get(reverse("people:person_detail", args=[child.pk]))
    cast.client(cast.specialist_a).get(f"/api/v1/persons/{child.pk}/")
    views = AuditEvent.objects.filter(action="view", subject_person_id=child.pk, actor=cast.specialist_a)
    assert views.count() == 2


def test_registration_page_offers_enrolment_for_an_iin_registered_elsewhere(cast, child):
    client = cast.client(cast.coordinator_b)
    response = client.post(
        reverse("people:person_register"), {"iin": child.iin, "surname": "X", "given_name": "Y"}
    )
    content = response.content.decode()
    assert 'data-testid="already-registered"' in content
    assert "Қасымова" not in content  # existence only: no name, no organisation
    response = client.post(
        reverse("people:person_enrol_existing"),
        {
            "iin": child.iin,
            "programme": cast.programme_b.pk,
            "referral_source": "organisation",
            "status": "intake",
        },
    )
    assert response.status_code == 302
    assert Person.objects.visible_to(cast.coordinator_b).filter(pk=child.pk).exists()


def test_a_rejected_registration_keeps_what_was_typed(cast):
    response = cast.client(cast.coordinator_a).post(
        reverse("people:person_register"),
        {"iin": "791028302729", "surname": "Сейітова", "given_name": "Дана"},
    )
    content = response.content.decode()
    assert 'value="Сейітова"' in content
    assert 'value="791028302729"' in content


def test_a_specialist_cannot_register_persons(cast):
    assert cast.client(cast.specialist_a).get(reverse("people:person_register")).status_code == 403
    response = cast.client(cast.specialist_a).post(
        "/api/v1/persons/",
        {"surname": "А", "given_name": "Б", "sex": "male", "iin_missing_reason": "unknown"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_person_list_and_search_run_a_fixed_number_of_queries(cast, iin, django_assert_max_num_queries):
    for n in range(40):
        person_register(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            iin=iin(dt.date(2023, 1, 1), "male", n * 7),
            surname=f"Омаров{n}",
            given_name="Нұрлан",
        )
    client = cast.client(cast.specialist_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("people:person_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("people:person_list"), {"q": "Nurlan"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/persons/", {"q": "omarov"}).json()["results"]) == 40


def test_the_registration_page_asks_for_confirmation_only_after_a_mismatch(cast, iin):
    client = cast.client(cast.coordinator_a)
    number = iin(dt.date(2024, 5, 17), "female")
    fields = {
        "iin": number,
        "surname": "Ахметова",
        "given_name": "Дана",
        "birth_date": "2024-05-18",
        "sex": "female",
    }
    assert "confirm_mismatch" not in client.get(reverse("people:person_register")).content.decode()
    warned = client.post(reverse("people:person_register"), fields)
    assert warned.status_code == 200
    assert 'name="confirm_mismatch"' in warned.content.decode()
    assert not Person.objects.filter(iin=number).exists()
    saved = client.post(reverse("people:person_register"), {**fields, "confirm_mismatch": "on"})
    assert saved.status_code == 302
    assert Person.objects.get(iin=number).birth_date == dt.date(2024, 5, 18)
