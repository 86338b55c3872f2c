"""The referral pages: inbox and sent list (with their query counts), sending from a case and from a person
with the receiver filter, answering from the referral's page, recording a referral from outside, and the
referrals card of the case page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.models import Case
from tirek.directory.models import Organisation, Partnership, Programme
from tirek.people.services import person_register
from tirek.referrals.models import Referral
from tirek.referrals.services import referral_decline


def english(client):
    client.cookies["tirek_language"] = "en"
    return client


def test_the_inbox_shows_incoming_referrals_with_the_days_waiting(cast, referral):
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - dt.timedelta(days=4))
    client = english(cast.client(cast.coordinator_b))
    body = client.get("/referrals/").content.decode()
    assert f'data-number="{referral.number}"' in body
    assert 'data-days="4"' in body
    assert referral.person.full_name in body
    assert f'data-number="{referral.number}"' not in client.get("/referrals/sent/").content.decode()
    assert (
        f'data-number="{referral.number}"' not in client.get("/referrals/?status=accepted").content.decode()
    )
    assert f'data-number="{referral.number}"' in client.get("/referrals/?status=sent").content.decode()
    sent = cast.client(cast.coordinator_a).get("/referrals/sent/").content.decode()
    assert f'data-number="{referral.number}"' in sent


def test_the_inbox_and_the_sent_list_cost_the_same_queries_however_many_rows(
    cast, send, child, django_assert_max_num_queries
):
    from tirek.referrals.services import referral_send

    def more(count: int) -> None:
        for n in range(count):
            organisation = Organisation.objects.create(
                name_kk=f"Орталық {n}", name_ru=f"Центр {n}", kind="ngo", region=cast.shymkent.region
            )
            referral_send(
                actor=cast.manager_a,
                organisation=cast.almaty,
                to_organisation=organisation,
                person=child,
                reason="x",
                consent_override_reason="Сынақ",
            )
            Referral.objects.filter(to_organisation=organisation).update(to_organisation=cast.shymkent)

    more(2)
    counts = []
    for _round in range(2):
        for user, url in ((cast.coordinator_b, "/referrals/"), (cast.coordinator_a, "/referrals/sent/")):
            client = cast.client(user)
            with django_assert_max_num_queries(14) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        more(5)
    assert counts[:2] == counts[2:]


def test_a_coordinator_sends_a_referral_from_the_case_page(cast, case_a, consent_for_b):
    client = cast.client(cast.coordinator_a)
    case_page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert 'data-testid="case-referrals"' in case_page and 'data-testid="refer-case"' in case_page
    url = f"/referrals/new/?case={case_a.pk}"
    form = client.get(url).content.decode()
    assert 'name="consent_override_reason"' not in form  # managers only
    response = client.post(
        url,
        {
            "to_organisation": str(cast.shymkent.pk),
            "programme": str(cast.programme_b.pk),
            "reason": "Отбасы Шымкентке көшті",
            "urgency": "urgent",
            "shared_parts": ["contacts", "plan"],
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert (referral.from_case, referral.programme, referral.urgency) == (case_a, cast.programme_b, "urgent")
    assert referral.shared_parts == ["contacts", "plan"]
    assert referral.number in client.get(f"/cases/{case_a.pk}/").content.decode()


def test_a_refused_send_keeps_what_was_typed_and_says_why(cast, case_a):
    client = english(cast.client(cast.coordinator_a))
    response = client.post(
        f"/referrals/new/?case={case_a.pk}",
        {"to_organisation": str(cast.shymkent.pk), "reason": "Мектепке дейінгі кеңес", "urgency": "routine"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "No consent of the person in force covers sharing" in body
    assert "Мектепке дейінгі кеңес" in body
    assert not Referral.objects.exists()


def test_a_manager_overrides_the_consent_from_the_person_page(cast, child):
    client = cast.client(cast.manager_a)
    person_page = client.get(f"/people/{child.pk}/").content.decode()
    assert 'data-testid="refer-person"' in person_page
    url = f"/referrals/new/?person={child.pk}"
    assert 'name="consent_override_reason"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "to_organisation": str(cast.shymkent.pk),
            "reason": "Шұғыл",
            "urgency": "urgent",
            "consent_override_reason": "Қауіп бар",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.from_case, referral.consent_override_reason) == (None, "Қауіп бар")
    assert AuditEvent.objects.filter(object_id=str(referral.pk), note__startswith="consent override").exists()


def test_a_coordinator_who_types_an_override_reason_is_refused(cast, child):
    response = cast.client(cast.coordinator_a).post(
        f"/referrals/new/?person={child.pk}",
        {
            "to_organisation": str(cast.shymkent.pk),
            "reason": "x",
            "urgency": "routine",
            "consent_override_reason": "Қауіп бар",
        },
    )
    # The field is not on a coordinator's form: without a consent the referral is refused on the form.
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_the_filter_narrows_the_organisations_to_choose_from(cast, case_a):
    sos = Organisation.objects.create(
        name_kk="SOS Алматы", name_ru="SOS Алматы", kind="family_support", region=cast.almaty.region
    )
    Programme.objects.create(
        organisation=sos, name_kk="Отбасын нығайту", name_ru="x", kind="family_strengthening"
    )
    client = cast.client(cast.coordinator_a)
    base = f"/referrals/new/?case={case_a.pk}"

    def choices(query: str) -> set[str]:
        form = client.get(base + query).context["form"]
        return {str(o.pk) for o in form.fields["to_organisation"].queryset}

    everyone = choices("")
    assert {str(cast.shymkent.pk), str(sos.pk), str(cast.ministry.pk)} <= everyone
    assert str(cast.almaty.pk) not in everyone
    assert choices(f"&region={cast.almaty.region_id}") == {str(sos.pk)}
    assert choices("&kind=early_intervention") == {str(cast.shymkent.pk)}
    assert choices("&programme_kind=family_strengthening") == {str(sos.pk)}
    cast.almaty.referrals_partners_only = True
    cast.almaty.save()
    assert choices("") == set()
    memorandum = Partnership.objects.create(title="Меморандум", signed_on=timezone.localdate())
    memorandum.parties.set([cast.almaty, sos])
    assert choices("") == {str(sos.pk)}


def test_the_receiver_accepts_from_the_referral_page_and_opens_its_case(cast, referral):
    client = cast.client(cast.coordinator_b)
    body = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert 'data-testid="accept-form"' in body and 'data-testid="revoke-form"' not in body
    response = client.post(
        f"/referrals/{referral.pk}/accept/",
        {"programme": str(cast.programme_b.pk), "coordinator": str(cast.coordinator_b.pk)},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    case_b = Case.objects.get(organisation=cast.shymkent)
    assert referral.to_case == case_b
    body = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert 'data-testid="complete-form"' in body and 'data-testid="accept-form"' not in body
    assert referral.number in client.get(f"/cases/{case_b.pk}/").content.decode()
    response = client.post(f"/referrals/{referral.pk}/complete/", {"note": "Қызмет көрсетілді"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "completed"


def test_a_decline_without_a_reason_is_shown_again(cast, referral):
    client = english(cast.client(cast.coordinator_b))
    response = client.post(f"/referrals/{referral.pk}/decline/", {"decline-reason": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(f"/referrals/{referral.pk}/decline/", {"decline-reason": "Орын жоқ"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "Орын жоқ")


def test_the_sender_revokes_from_the_referral_page(cast, referral):
    client = cast.client(cast.coordinator_a)
    assert 'data-testid="revoke-form"' in client.get(f"/referrals/{referral.pk}/").content.decode()
    assert client.post(f"/referrals/{referral.pk}/revoke/", {"revoke-reason": "Көшпейді"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "revoked"
    assert 'data-testid="revoke-form"' not in client.get(f"/referrals/{referral.pk}/").content.decode()


def test_a_wrong_transition_on_a_page_says_why_on_the_form(cast, referral):
    referral_decline(actor=cast.coordinator_b, referral=referral, reason="Орын жоқ")
    client = english(cast.client(cast.coordinator_b))
    response = client.post(f"/referrals/{referral.pk}/complete/", {"note": "x"})
    assert response.status_code == 200
    assert "cannot be completed" in response.content.decode()


def test_intake_records_a_referral_from_a_polyclinic(cast, intake_b):
    person = person_register(
        actor=intake_b,
        organisation=cast.shymkent,
        surname="Бекұлы",
        given_name="Алдияр",
        sex="male",
        birth_date=timezone.localdate() - dt.timedelta(days=400),
        iin_missing_reason="newborn",
    )
    client = cast.client(intake_b)
    assert 'data-testid="new-external-referral"' in client.get("/referrals/").content.decode()
    found = client.get("/referrals/external/new/", {"q": "Бекұлы"}).content.decode()
    assert f"?person={person.pk}" in found
    url = f"/referrals/external/new/?person={person.pk}"
    response = client.post(
        url,
        {
            "external_source": "polyclinic",
            "external_source_name": "№3 емхана",
            "received_on": timezone.localdate().isoformat(),
            "reason": "Сөйлеу тежелген",
            "urgency": "routine",
            "programme": str(cast.programme_b.pk),
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.to_organisation, referral.external_source, referral.programme) == (
        cast.shymkent,
        "polyclinic",
        cast.programme_b,
    )
    assert referral.events.get().kind == "recorded"


def test_an_external_referral_of_someone_the_organisation_does_not_see_is_not_found(cast, child, intake_b):
    response = cast.client(intake_b).get(f"/referrals/external/new/?person={child.pk}")
    assert response.status_code == 404


def test_the_navigation_leads_to_referrals_for_those_who_work_with_them(cast):
    assert 'href="/referrals/"' in cast.client(cast.coordinator_a).get("/").content.decode()
    assert 'href="/referrals/"' not in cast.client(cast.specialist_a).get("/").content.decode()
