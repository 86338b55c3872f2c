from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.models import CaseEvent
from tirek.people.models import Person
from tirek.support.models import AidDistribution, Appeal, AppealDeadline, Outcome
from tirek.support.services import aid_distribute, appeal_register, outcome_record


@pytest.fixture
def families(make_family):
    return [make_family(name) for name in ("Омаровтар", "Сейітовтер", "Ивановы")]


@pytest.fixture
def aid_row(cast, families):
    return aid_distribute(
        actor=cast.specialist_a, organisation=cast.almaty, family=families[0], kind="food_package"
    )


@pytest.fixture
def outcome(cast, person):
    return outcome_record(actor=cast.coordinator_a, organisation=cast.almaty, person=person, kind="job_found")


def test_the_helpline_form_registers_a_call_and_is_ready_for_the_next(cast, intake_a):
    client = cast.client(intake_a)
    page = client.get(reverse("support:appeal_helpline"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "autofocus" in html and 'value="helpline_150" autocomplete="off" checked' in html
    persons = Person.objects.count()
    response = client.post(
        reverse("support:appeal_helpline"),
        {
            "text": "Жатақханадан шығарып жатыр",
            "category": "housing",
            "channel": "helpline_150",
            "anonymous": "on",
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('support:appeal_helpline')}?last={appeal.pk}"
    assert (appeal.person, appeal.channel, appeal.created_by) == (None, "helpline_150", intake_a)
    assert Person.objects.count() == persons
    next_call = client.get(response["Location"])
    assert next_call.context["last"] == appeal and not next_call.context["form"].is_bound
    assert 'data-testid="last-call"' in next_call.content.decode()


def test_the_helpline_form_keeps_what_was_typed_when_refused(cast, intake_a, person):
    client = cast.client(intake_a)
    response = client.post(
        reverse("support:appeal_helpline"),
        {
            "text": "Қарызы бар",
            "category": "financial_aid",
            "channel": "helpline_111",
            "caller_phone": "8 701 123",
        },
    )
    assert response.status_code == 200
    assert "Қарызы бар" in response.content.decode()
    assert response.context["form"].errors
    assert not Appeal.objects.exists()
    linked = client.post(
        reverse("support:appeal_helpline"),
        {
            "text": "Пәтер",
            "category": "housing",
            "channel": "helpline_111",
            "person": str(person.pk),
            "caller_phone": "8 (701) 765-43-21",
        },
    )
    assert linked.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.person, appeal.channel, appeal.caller_phone) == (person, "helpline_111", "+77017654321")


def test_the_person_finder_shows_only_persons_the_organisation_serves(cast, intake_a, person, person_b):
    client = cast.client(intake_a)
    found = client.get(reverse("support:appeal_person_search"), {"q": "Омаров"})
    assert list(found.context["persons"]) == [person]
    assert list(client.get(reverse("support:appeal_person_search"), {"q": "Бекова"}).context["persons"]) == []
    assert (
        cast.client(cast.analyst).get(reverse("support:appeal_person_search"), {"q": "Омаров"}).status_code
        == 403
    )


def test_the_full_form_registers_an_appeal_of_a_person_into_a_case(cast, person, case):
    client = cast.client(cast.coordinator_a)
    url = f"{reverse('support:appeal_new')}?person={person.pk}&case={case.pk}"
    assert client.get(url).status_code == 200
    received = timezone.localtime() - dt.timedelta(hours=2)
    response = client.post(
        url,
        {
            "received_at": received.strftime("%Y-%m-%dT%H:%M"),
            "channel": "letter",
            "category": "education_grant",
            "text": "ЖОО грантына құжат",
            "person": str(person.pk),
            "case": str(case.pk),
            "assignee": str(cast.specialist_a.pk),
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "support:appeal_detail", args=[appeal.pk]
    )
    assert (appeal.person, appeal.case, appeal.assignee, appeal.category) == (
        person,
        case,
        cast.specialist_a,
        "education_grant",
    )
    assert CaseEvent.objects.filter(case=case, kind="appeal_linked").exists()


def test_the_appeal_list_filters_and_marks_the_overdue(cast, person, appeal):
    late = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        category="psychological_help",
        channel="helpline_150",
        caller="анонимді",
        text="?",
        received_at=timezone.now() - dt.timedelta(days=10),
    )
    client = cast.client(cast.coordinator_a)
    page = client.get(reverse("support:appeal_list"))
    assert page.status_code == 200
    assert set(page.context["page"]) == {appeal, late}
    assert page.content.decode().count('data-testid="overdue"') == 1
    assert page.context["counts"] == {"open": 2, "overdue": 1, "mine": 0}
    assert list(client.get(reverse("support:appeal_list"), {"overdue": "on"}).context["page"]) == [late]
    assert list(client.get(reverse("support:appeal_list"), {"category": "housing"}).context["page"]) == [
        appeal
    ]
    assert list(client.get(reverse("support:appeal_list"), {"channel": "helpline_150"}).context["page"]) == [
        late
    ]
    since = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert list(client.get(reverse("support:appeal_list"), {"date_from": since}).context["page"]) == [appeal]
    assert set(client.get(reverse("support:appeal_list"), {"status": "lost"}).context["page"]) == {
        appeal,
        late,
    }


def test_the_appeal_page_shows_the_history_and_takes_the_appeal_to_its_answer(cast, appeal, case):
    client = cast.client(cast.coordinator_a)
    detail = reverse("support:appeal_detail", args=[appeal.pk])
    page = client.get(detail)
    assert page.status_code == 200 and 'data-testid="appeal-history"' in page.content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(appeal.pk)).exists()
    assert (
        client.post(
            reverse("support:appeal_assign", args=[appeal.pk]), {"assignee": cast.specialist_a.pk}
        ).status_code
        == 302
    )
    assert client.post(reverse("support:appeal_start", args=[appeal.pk])).status_code == 302
    assert (
        client.post(reverse("support:appeal_link_case", args=[appeal.pk]), {"case": case.pk}).status_code
        == 302
    )
    assert (
        client.post(
            reverse("support:appeal_forward", args=[appeal.pk]),
            {"organisation": cast.shymkent.pk, "note": "Әкімдік"},
        ).status_code
        == 302
    )
    response = client.post(
        reverse("support:appeal_resolve", args=[appeal.pk]),
        {"result": "satisfied", "resolution": "Пәтер берілді", "outcome_kind": "flat_allocated"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assignee, appeal.case, appeal.forwarded_to) == (
        "resolved",
        cast.specialist_a,
        case,
        cast.shymkent,
    )
    assert Outcome.objects.filter(appeal=appeal, kind="flat_allocated").exists()
    history = [e.kind for e in client.get(detail).context["history"]]
    assert history == [
        "outcome_recorded",
        "resolved",
        "forwarded",
        "case_linked",
        "started",
        "assigned",
        "registered",
    ]
    refused = client.post(reverse("support:appeal_reject", args=[appeal.pk]), {"resolution": "—"})
    assert refused.status_code == 200 and refused.context["form"].errors
    started_again = client.post(reverse("support:appeal_start", args=[appeal.pk]), follow=True)
    assert started_again.status_code == 200 and Appeal.objects.get(pk=appeal.pk).status == "resolved"


def test_rejecting_withdrawing_and_editing_pages(cast, appeal, person):
    client = cast.client(cast.coordinator_a)
    edit = reverse("support:appeal_edit", args=[appeal.pk])
    assert "due_on" not in client.get(edit).context["form"].fields
    response = client.post(
        edit,
        {
            "received_at": timezone.localtime(appeal.received_at).strftime("%Y-%m-%dT%H:%M"),
            "channel": "online",
            "category": "documents",
            "text": "Құжаттар",
            "caller_phone": "87011112233",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.channel, appeal.category, appeal.caller_phone) == ("online", "documents", "+77011112233")
    assert "due_on" in cast.client(cast.manager_a).get(edit).context["form"].fields
    other = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        category="other",
        channel="walk_in",
        text="?",
    )
    assert (
        client.post(
            reverse("support:appeal_reject", args=[appeal.pk]), {"resolution": "Құқығы жоқ"}
        ).status_code
        == 302
    )
    assert (
        client.post(reverse("support:appeal_withdraw", args=[other.pk]), {"note": "Бас тартты"}).status_code
        == 302
    )
    assert set(Appeal.objects.values_list("status", flat=True)) == {"rejected", "withdrawn"}


def test_the_deadline_page_lets_a_manager_change_the_days(cast):
    client = cast.client(cast.manager_a)
    page = client.get(reverse("support:appeal_deadlines"))
    assert page.status_code == 200 and page.context["form"] is not None
    data = {row["category"]: row["days"] for row in page.context["rows"]} | {"housing": 21}
    assert client.post(reverse("support:appeal_deadlines"), data).status_code == 302
    assert AppealDeadline.objects.get().days == 21
    refused = client.post(reverse("support:appeal_deadlines"), data | {"legal_help": 0})
    assert refused.status_code == 200 and "legal_help" in refused.context["form"].errors
    coordinator = cast.client(cast.coordinator_a)
    assert coordinator.get(reverse("support:appeal_deadlines")).context["form"] is None
    assert coordinator.post(reverse("support:appeal_deadlines"), data).status_code == 403


def test_the_batch_page_records_aid_for_the_checked_families(cast, families, make_family):
    client = cast.client(cast.specialist_a)
    page = client.get(reverse("support:aid_batch"))
    assert set(page.context["form"].fields["families"].queryset) == set(families)
    make_family("Бековтар", cast.shymkent)
    body = {
        "kind": "food_package",
        "quantity": 1,
        "value": "15000",
        "distributed_on": timezone.localdate().isoformat(),
        "funding_partner_name": "Samruk-Kazyna Trust",
        "families": [families[0].pk, families[2].pk],
    }
    assert client.post(reverse("support:aid_batch"), body).status_code == 302
    assert set(AidDistribution.objects.values_list("family", flat=True)) == {families[0].pk, families[2].pk}
    again = client.post(reverse("support:aid_batch"), body | {"families": [families[1].pk, families[2].pk]})
    assert again.status_code == 200
    assert 'data-testid="family-errors"' in again.content.decode()
    assert len(again.context["form"].errors["families"]) == 1
    assert AidDistribution.objects.count() == 2
    listing = client.get(reverse("support:aid_list"), {"kind": "food_package"})
    assert listing.context["totals"]["total"]["families"] == 2


def test_aid_to_one_person_from_their_page(cast, person):
    client = cast.client(cast.specialist_a)
    url = f"{reverse('support:aid_new')}?person={person.pk}"
    assert client.get(url).context["person"] == person
    response = client.post(
        url,
        {
            "kind": "school_kit",
            "quantity": 1,
            "distributed_on": timezone.localdate().isoformat(),
            "person": person.pk,
        },
    )
    assert response.status_code == 302
    assert AidDistribution.objects.get().person == person


def test_outcomes_are_recorded_from_a_person_a_case_and_an_appeal(cast, person, case, appeal):
    client = cast.client(cast.specialist_a)
    day = timezone.localdate().isoformat()
    for query, kind in (
        (f"case={case.pk}", "returned_to_birth_family"),
        (f"appeal={appeal.pk}", "job_found"),
        (f"person={person.pk}", "benefit_granted"),
    ):
        url = f"{reverse('support:outcome_new')}?{query}"
        assert client.get(url).status_code == 200
        assert client.post(url, {"kind": kind, "happened_on": day}).status_code == 302
    assert set(Outcome.objects.values_list("kind", "case", "appeal")) == {
        ("returned_to_birth_family", case.pk, None),
        ("job_found", None, appeal.pk),
        ("benefit_granted", None, None),
    }
    assert CaseEvent.objects.filter(case=case, kind="outcome_recorded").count() == 1
    listing = client.get(reverse("support:outcome_list"), {"kind": "job_found"})
    assert [o.kind for o in listing.context["page"]] == ["job_found"]
    assert client.get(f"{reverse('support:outcome_new')}?person=nonsense").status_code == 404


def test_the_person_and_case_pages_show_their_outcomes_and_appeals(cast, person, case, appeal, outcome):
    client = cast.client(cast.coordinator_a)
    person_page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert 'data-testid="support-card"' in person_page and appeal.number in person_page
    assert 'data-testid="card-outcome"' in person_page
    outcome_record(
        actor=cast.coordinator_a, organisation=cast.almaty, person=person, kind="flat_allocated", case=case
    )
    case_page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert case_page.count('data-testid="card-outcome"') == 1 and 'data-testid="card-new-appeal"' in case_page


# --- every page: another organisation's record is not found, a role without the right is refused ----------


def test_every_page_hides_another_organisations_records_and_refuses_other_roles(
    cast, appeal, aid_row, outcome, case, analyst_a
):
    details = [
        reverse(name, args=[appeal.pk])
        for name in (
            "support:appeal_detail",
            "support:appeal_edit",
            "support:appeal_assign",
            "support:appeal_forward",
            "support:appeal_resolve",
            "support:appeal_reject",
            "support:appeal_withdraw",
            "support:appeal_link_case",
        )
    ] + [
        reverse("support:aid_detail", args=[aid_row.pk]),
        reverse("support:outcome_detail", args=[outcome.pk]),
    ]
    lists = [
        reverse(name)
        for name in (
            "support:appeal_list",
            "support:appeal_new",
            "support:appeal_helpline",
            "support:appeal_deadlines",
            "support:aid_list",
            "support:aid_new",
            "support:aid_batch",
            "support:outcome_list",
        )
    ] + [f"{reverse('support:outcome_new')}?case={case.pk}"]
    for user in (cast.coordinator_b, cast.analyst, cast.outsider):
        client = cast.client(user)
        for url in details:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("support:appeal_start", args=[appeal.pk])).status_code == 404
    for user in (analyst_a, cast.analyst, cast.outsider):
        client = cast.client(user)
        for url in lists + details * (user == analyst_a):
            assert client.get(url).status_code == 403, (user, url)
    assert cast.client(analyst_a).post(reverse("support:appeal_start", args=[appeal.pk])).status_code == 403
    # A record of another organisation named in a query parameter is not found either.
    shymkent = cast.client(cast.coordinator_b)
    for url in (
        f"{reverse('support:appeal_new')}?person={appeal.person_id}",
        f"{reverse('support:aid_new')}?person={appeal.person_id}",
        f"{reverse('support:appeal_helpline')}?last={appeal.pk}",
        f"{reverse('support:outcome_new')}?appeal={appeal.pk}",
        f"{reverse('support:outcome_new')}?person={appeal.person_id}",
    ):
        assert shymkent.get(url).status_code == 404, url
    appeal.refresh_from_db()
    assert appeal.status == "registered"


def test_the_navigation_offers_appeals_and_aid_to_casework_roles(cast, analyst_a, intake_a):
    for user, shown in (
        (intake_a, True),
        (cast.specialist_a, True),
        (analyst_a, False),
        (cast.analyst, False),
    ):
        html = cast.client(user).get(reverse("web:home")).content.decode()
        assert (reverse("support:appeal_list") in html) is shown
        assert (reverse("support:aid_list") in html) is shown


def test_the_list_pages_cost_the_same_number_of_queries_however_many_rows(
    cast, person, families, django_assert_max_num_queries
):
    client = cast.client(cast.coordinator_a)
    urls = [reverse("support:appeal_list"), reverse("support:aid_list"), reverse("support:outcome_list")]

    def add_rows(count):
        for n in range(count):
            appeal = appeal_register(
                actor=cast.coordinator_a,
                organisation=cast.almaty,
                person=person,
                category="housing",
                channel="walk_in",
                text=f"№{n}",
                assignee=cast.specialist_a,
                received_at=timezone.now() - dt.timedelta(days=40),
            )
            aid_distribute(
                actor=cast.coordinator_a, organisation=cast.almaty, family=families[n % 3], kind="cash"
            )
            aid_distribute(actor=cast.coordinator_a, organisation=cast.almaty, person=person, kind="clothing")
            outcome_record(
                actor=cast.coordinator_a,
                organisation=cast.almaty,
                person=person,
                kind="job_found",
                appeal=appeal,
            )

    add_rows(2)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    add_rows(10)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
