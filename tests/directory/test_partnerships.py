"""Memoranda between organisations: who may sign them, what they need, where they are listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.catalog.models import Service
from tirek.core.errors import NotAllowed
from tirek.directory.models import Organisation, Partnership
from tirek.directory.selectors import are_partners, partners_of
from tirek.directory.services import (
    organisation_update,
    partnership_create,
    partnership_terminate,
    partnership_update,
)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def ngo(cast):
    """An NGO in Almaty without members."""
    return Organisation.objects.create(
        name_kk="«Ана махаббаты» қоры", name_ru="Фонд", kind="ngo", region=cast.almaty.region
    )


@pytest.fixture
def memorandum(cast, ngo, today):
    return partnership_create(
        actor=cast.manager_a,
        title="Ерекше балаларды қолдау туралы меморандум",
        parties=[cast.almaty, ngo],
        signed_on=today - dt.timedelta(days=100),
        valid_until=today + dt.timedelta(days=265),
        region=cast.almaty.region,
        services=[Service.objects.get(code="legal_consultation")],
        document_reference="№ 12/2026",
    )


def test_a_manager_of_a_party_records_a_memorandum_with_an_audit_event(cast, memorandum, ngo):
    assert set(memorandum.parties.all()) == {cast.almaty, ngo}
    assert list(memorandum.services.values_list("code", flat=True)) == ["legal_consultation"]
    event = AuditEvent.objects.get(object_id=str(memorandum.pk), action="create")
    assert event.organisation_id == cast.almaty.pk
    assert event.changes["parties"][1] == sorted([str(cast.almaty.pk), str(ngo.pk)])
    assert event.changes["title"] == [None, memorandum.title]


def test_the_manager_must_be_a_party(cast, ngo, today):
    with pytest.raises(ValidationError) as error:
        partnership_create(
            actor=cast.manager_a, title="Бөтен меморандум", parties=[cast.shymkent, ngo], signed_on=today
        )
    assert "parties" in error.value.message_dict
    assert not Partnership.objects.exists()


def test_an_administrator_records_a_memorandum_of_others(cast, ngo, today):
    partnership = partnership_create(
        actor=cast.admin, title="Меморандум", parties=[cast.shymkent, ngo], signed_on=today
    )
    assert partnership.status == "active"


def test_a_role_without_the_capability_is_refused(cast, ngo, today):
    with pytest.raises(NotAllowed):
        partnership_create(
            actor=cast.coordinator_a, title="Меморандум", parties=[cast.almaty, ngo], signed_on=today
        )


def test_a_memorandum_needs_two_different_parties(cast, today):
    with pytest.raises(ValidationError) as error:
        partnership_create(actor=cast.manager_a, title="Жалғыз", parties=[cast.almaty], signed_on=today)
    assert "parties" in error.value.message_dict
    with pytest.raises(ValidationError):
        partnership_create(
            actor=cast.manager_a, title="Екі рет", parties=[cast.almaty, cast.almaty], signed_on=today
        )


def test_a_memorandum_cannot_end_before_it_is_signed(cast, ngo, today):
    with pytest.raises(ValidationError) as error:
        partnership_create(
            actor=cast.manager_a,
            title="Меморандум",
            parties=[cast.almaty, ngo],
            signed_on=today,
            valid_until=today - dt.timedelta(days=1),
        )
    assert "valid_until" in error.value.message_dict


def test_a_manager_of_another_organisation_cannot_change_it(cast, memorandum):
    with pytest.raises(NotAllowed):
        partnership_update(actor=cast.manager_b, partnership=memorandum, title="Өзгертілген")


def test_terminating_ends_the_partnership_and_is_audited(cast, memorandum, ngo, today):
    assert are_partners(cast.almaty, ngo)
    partnership_terminate(actor=cast.manager_a, partnership=memorandum, reason="Жоба аяқталды")
    memorandum.refresh_from_db()
    assert (memorandum.status, memorandum.valid_until) == ("terminated", today)
    assert not are_partners(cast.almaty, ngo, today + dt.timedelta(days=1))
    event = AuditEvent.objects.filter(object_id=str(memorandum.pk), action="update").latest("id")
    assert event.changes["status"] == ["active", "terminated"] and event.note == "Жоба аяқталды"
    with pytest.raises(ValidationError):  # nothing follows a termination
        partnership_update(actor=cast.manager_a, partnership=memorandum, status="active")


def test_the_list_shows_memoranda_in_force_by_default_and_filters_by_region(cast, memorandum, ngo, today):
    old = partnership_create(
        actor=cast.manager_b,
        title="Ескі меморандум",
        parties=[cast.shymkent, cast.almaty],
        signed_on=today - dt.timedelta(days=800),
        valid_until=today - dt.timedelta(days=70),
        region=cast.shymkent.region,
    )
    client = cast.client(cast.specialist_b)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    in_force = client.get(reverse("directory:partnership_list"))
    assert list(in_force.context["page"]) == [memorandum]
    everything = client.get(reverse("directory:partnership_list"), {"status": "all"})
    assert list(everything.context["page"]) == [memorandum, old]
    shymkent = client.get(
        reverse("directory:partnership_list"), {"status": "all", "region": cast.shymkent.region_id}
    )
    assert list(shymkent.context["page"]) == [old]
    by_ngo = client.get(reverse("directory:partnership_list"), {"status": "all", "organisation": ngo.pk})
    assert list(by_ngo.context["page"]) == [memorandum]


def test_the_organisation_page_shows_its_partners_and_memoranda(cast, memorandum, ngo):
    page = cast.client(cast.specialist_b).get(reverse("directory:organisation_detail", args=[ngo.pk]))
    html = page.content.decode()
    assert f'data-testid="partner-{cast.almaty.pk}"' in html
    assert f'data-testid="memorandum-{memorandum.pk}"' in html
    assert list(partners_of(organisation=cast.almaty)) == [ngo]


def test_the_pages_create_edit_and_terminate_a_memorandum(cast, ngo, today):
    client = cast.client(cast.manager_a)
    assert client.get(reverse("directory:partnership_create")).status_code == 200
    response = client.post(
        reverse("directory:partnership_create"),
        {
            "title": "Серіктестік туралы меморандум",
            "parties": [cast.almaty.pk, ngo.pk],
            "signed_on": today.isoformat(),
            "status": "draft",
        },
    )
    partnership = Partnership.objects.get()
    assert response.status_code == 302 and partnership.status == "draft"
    edit = client.post(
        reverse("directory:partnership_edit", args=[partnership.pk]),
        {"title": "Жаңа атауы", "parties": [cast.almaty.pk, ngo.pk], "signed_on": today.isoformat()},
    )
    assert edit.status_code == 302
    client.post(reverse("directory:partnership_status", args=[partnership.pk]), {"status": "active"})
    partnership.refresh_from_db()
    assert (partnership.title, partnership.status) == ("Жаңа атауы", "active")
    terminate = client.post(
        reverse("directory:partnership_terminate", args=[partnership.pk]),
        {"terminated_on": today.isoformat(), "reason": "Келісім бұзылды"},
    )
    assert terminate.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "terminated"


def test_a_rejected_form_keeps_what_was_typed(cast, today):
    response = cast.client(cast.manager_a).post(
        reverse("directory:partnership_create"),
        {
            "title": "Жалғыз тарап",
            "parties": [cast.almaty.pk],
            "signed_on": today.isoformat(),
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["parties"]
    assert "Жалғыз тарап" in response.content.decode()


def test_the_pages_refuse_roles_and_non_parties(cast, memorandum):
    allowed = cast.client(cast.manager_a)
    for name in ("partnership_detail", "partnership_edit", "partnership_terminate"):
        assert allowed.get(reverse(f"directory:{name}", args=[memorandum.pk])).status_code == 200, name
    assert cast.client(cast.specialist_a).get(reverse("directory:partnership_create")).status_code == 403
    for user in (cast.specialist_a, cast.manager_b):
        client = cast.client(user)
        assert client.get(reverse("directory:partnership_edit", args=[memorandum.pk])).status_code == 403
        assert client.get(reverse("directory:partnership_terminate", args=[memorandum.pk])).status_code == 403
        assert (
            client.post(reverse("directory:partnership_status", args=[memorandum.pk]), {"status": "expired"})
        ).status_code == 403
    missing = "00000000-0000-0000-0000-000000000000"
    assert cast.client(cast.manager_a).get(f"/directory/partnerships/{missing}/").status_code == 404
    assert cast.client(None).get(reverse("directory:partnership_list")).status_code == 302


def test_managers_choose_to_refer_only_to_partners(cast):
    organisation_update(actor=cast.manager_a, organisation=cast.almaty, referrals_partners_only=True)
    cast.almaty.refresh_from_db()
    assert cast.almaty.referrals_partners_only
    response = cast.client(cast.manager_b).patch(
        f"/api/v1/organisations/{cast.shymkent.pk}/",
        {"referrals_partners_only": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["referrals_partners_only"] is True
    form = cast.client(cast.manager_a).get(reverse("directory:organisation_edit", args=[cast.almaty.pk]))
    assert "referrals_partners_only" in form.context["form"].fields


# --- the API ----------------------------------------------------------------------------------------------


def test_the_api_creates_lists_and_changes_memoranda(cast, ngo, today):
    client = cast.client(cast.manager_a)
    response = client.post(
        "/api/v1/partnerships/",
        {
            "title": "API меморандумы",
            "parties": [str(cast.almaty.pk), str(ngo.pk)],
            "signed_on": today.isoformat(),
            "region": "750000000",
            "services": ["legal_consultation"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["in_force"] is True and body["region"] == "750000000"
    assert {p["id"] for p in body["parties"]} == {str(cast.almaty.pk), str(ngo.pk)}
    listed = client.get("/api/v1/partnerships/", {"region": "750000000", "organisation": str(ngo.pk)})
    assert [p["id"] for p in listed.json()["results"]] == [body["id"]]
    assert client.get("/api/v1/partnerships/", {"region": "790000000"}).json()["results"] == []
    patched = client.patch(
        f"/api/v1/partnerships/{body['id']}/", {"status": "expired"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["in_force"] is False
    assert client.get("/api/v1/partnerships/").json()["results"] == []
    assert len(client.get("/api/v1/partnerships/", {"status": "all"}).json()["results"]) == 1
    assert AuditEvent.objects.filter(object_id=body["id"]).count() == 2


def test_the_api_answers_errors_in_the_one_shape(cast, memorandum, ngo, today):
    bad = cast.client(cast.manager_a).post(
        "/api/v1/partnerships/",
        {"title": "Жалғыз", "parties": [str(cast.almaty.pk)], "signed_on": today.isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 400 and list(bad.json()["error"]["fields"]) == ["parties"]
    refused = cast.client(cast.specialist_a).post(
        "/api/v1/partnerships/",
        {"title": "М", "parties": [str(cast.almaty.pk), str(ngo.pk)], "signed_on": today.isoformat()},
        content_type="application/json",
    )
    assert refused.status_code == 403
    other = cast.client(cast.manager_b).patch(
        f"/api/v1/partnerships/{memorandum.pk}/", {"title": "Бөтен"}, content_type="application/json"
    )
    assert other.status_code == 403
    terminate = cast.client(cast.manager_b).post(
        f"/api/v1/partnerships/{memorandum.pk}/terminate/", {}, content_type="application/json"
    )
    assert terminate.status_code == 403
    missing = cast.client(cast.manager_a).get("/api/v1/partnerships/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert cast.client(None).get("/api/v1/partnerships/").status_code in (401, 403)


def test_the_lists_run_a_fixed_number_of_queries(cast, ngo, today, django_assert_max_num_queries):
    def add(number):
        partnership_create(
            actor=cast.manager_a,
            title=f"Меморандум {number}",
            parties=[cast.almaty, ngo, cast.shymkent],
            signed_on=today,
            services=Service.objects.filter(is_active=True)[:2],
        )

    add(0)
    client = cast.client(cast.manager_a)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("directory:partnership_list"))
    with django_assert_max_num_queries(8) as api_few:
        client.get("/api/v1/partnerships/")
    for number in range(1, 6):
        add(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("directory:partnership_list")).context["page"]) == 6
    with django_assert_max_num_queries(len(api_few.captured_queries)):
        assert len(client.get("/api/v1/partnerships/").json()["results"]) == 6
