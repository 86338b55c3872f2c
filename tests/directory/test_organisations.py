from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.audit.models import AuditEvent
from tirek.directory.models import Organisation, Region
from tirek.directory.services import organisation_create, organisation_update, programme_create


def test_an_organisation_with_a_bad_bin_is_refused_with_a_field_message(cast):
    with pytest.raises(ValidationError) as error:
        organisation_create(
            actor=cast.admin,
            name_kk="А",
            name_ru="А",
            kind="ngo",
            region=cast.almaty.region,
            bin="791028302729",
        )
    assert "bin" in error.value.message_dict
    assert not Organisation.objects.filter(name_kk="А").exists()


def test_the_api_answers_a_bad_bin_in_the_one_error_shape(cast):
    response = cast.client(cast.admin).post(
        "/api/v1/organisations/",
        {"name_kk": "А", "name_ru": "А", "kind": "ngo", "region": "750000000", "bin": "791028302729"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["bin"]


def test_the_same_bin_cannot_be_registered_twice(cast):
    with pytest.raises(ValidationError) as error:
        organisation_create(
            actor=cast.admin,
            name_kk="Б",
            name_ru="Б",
            kind="ngo",
            region=cast.almaty.region,
            bin=cast.almaty.bin,
        )
    assert "bin" in error.value.message_dict or "__all__" in error.value.message_dict


def test_a_rejected_form_keeps_what_was_typed(cast):
    response = cast.client(cast.admin).post(
        reverse("directory:organisation_create"),
        {
            "name_kk": "Жаңа орталық",
            "name_ru": "Новый центр",
            "kind": "ngo",
            "region": cast.almaty.region_id,
            "bin": "791028302729",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Жаңа орталық"' in content
    assert 'aria-invalid="true"' in content
    assert not Organisation.objects.filter(name_kk="Жаңа орталық").exists()


def test_an_organisation_cannot_be_its_own_ancestor(cast):
    child = organisation_create(
        actor=cast.admin,
        name_kk="Бөлім",
        name_ru="Отдел",
        kind="ngo",
        region=cast.almaty.region,
        parent=cast.almaty,
    )
    with pytest.raises(ValidationError) as error:
        organisation_update(actor=cast.admin, organisation=cast.almaty, parent=child)
    assert "parent" in error.value.message_dict


def test_a_programmes_age_window_must_be_ordered(cast):
    with pytest.raises(ValidationError) as error:
        programme_create(
            actor=cast.manager_a,
            organisation=cast.almaty,
            name_kk="Х",
            name_ru="Х",
            kind="other",
            min_age_months=36,
            max_age_months=12,
        )
    assert "max_age_months" in error.value.message_dict


def test_an_update_records_only_what_changed(cast):
    organisation_update(actor=cast.manager_a, organisation=cast.almaty, phone="+77270000000", capacity=140)
    event = AuditEvent.objects.filter(object_id=str(cast.almaty.pk), action="update").get()
    assert event.changes == {"phone": ["", "+77270000000"], "capacity": [None, 140]}
    assert event.actor == cast.manager_a
    assert event.organisation == cast.almaty


def test_the_organisation_list_filters_by_region_and_type(cast):
    client = cast.client(cast.specialist_a)
    response = client.get(reverse("directory:organisation_list"), {"region": cast.shymkent.region_id})
    names = [o.name_kk for o in response.context["page"]]
    assert names == ["«Қамқорлық» бөлімі"]
    api = client.get("/api/v1/organisations/", {"region": "750000000"}).json()["results"]
    assert [o["name_kk"] for o in api] == ["«Кеңес» орталығы"]


def test_the_organisation_list_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    region = Region.objects.get(kato="750000000")
    for n in range(30):
        Organisation.objects.create(name_kk=f"Ұйым {n}", name_ru=f"Орг {n}", kind="ngo", region=region)
    client = cast.client(cast.specialist_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("directory:organisation_list")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/organisations/").status_code == 200
