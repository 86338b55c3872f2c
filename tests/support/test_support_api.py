from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.people.models import Person
from tirek.support.models import AidDistribution, Appeal, Outcome
from tirek.support.services import aid_distribute, appeal_register, outcome_record

JSON = "application/json"


@pytest.fixture
def families(make_family):
    return [make_family(name) for name in ("Омаровтар", "Сейітовтер")]


@pytest.fixture
def aid_row(cast, families):
    return aid_distribute(
        actor=cast.specialist_a, organisation=cast.almaty, family=families[0], kind="food_package"
    )


@pytest.fixture
def outcome(cast, person):
    return outcome_record(actor=cast.coordinator_a, organisation=cast.almaty, person=person, kind="job_found")


def test_the_api_registers_an_appeal_and_answers_with_its_history(cast, person, today):
    client = cast.client(cast.coordinator_a)
    response = client.post(
        "/api/v1/appeals/",
        {
            "category": "legal_help",
            "channel": "walk_in",
            "text": "Мұрагерлік",
            "person": str(person.pk),
            "assignee": str(cast.specialist_a.pk),
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["person"], data["assignee"], data["overdue"]) == (
        "registered",
        str(person.pk),
        str(cast.specialist_a.pk),
        False,
    )
    assert data["due_on"] == str(today + dt.timedelta(days=10))
    assert [e["kind"] for e in data["history"]] == ["assigned", "registered"]
    bad = client.post(
        "/api/v1/appeals/",
        {"category": "housing", "channel": "pigeon", "text": "", "assignee": str(cast.specialist_b.pk)},
        content_type=JSON,
    )
    assert bad.status_code == 400
    assert {"channel", "text"} <= set(bad.json()["error"]["fields"])
    foreign = client.post(
        "/api/v1/appeals/",
        {"category": "housing", "channel": "walk_in", "text": "?", "assignee": str(cast.specialist_b.pk)},
        content_type=JSON,
    )
    assert foreign.status_code == 400 and list(foreign.json()["error"]["fields"]) == ["assignee"]


def test_the_api_helpline_intake_keeps_anonymous_callers_anonymous(cast, almaty_member):
    client = cast.client(almaty_member("intake"))
    persons = Person.objects.count()
    response = client.post(
        "/api/v1/appeals/helpline/",
        {
            "category": "psychological_help",
            "text": "Қиын жағдай",
            "anonymous": True,
            "caller_phone": "87011234567",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["anonymous"], response.json()["channel"], response.json()["caller_phone"]) == (
        True,
        "helpline_150",
        "",
    )
    assert Person.objects.count() == persons
    missing = client.post(
        "/api/v1/appeals/helpline/", {"category": "housing", "text": "?"}, content_type=JSON
    )
    assert missing.status_code == 400 and "anonymous" in missing.json()["error"]["fields"]


def test_the_api_walks_an_appeal_to_its_answer(cast, appeal, case):
    client = cast.client(cast.coordinator_a)
    url = f"/api/v1/appeals/{appeal.pk}/"
    assigned = client.post(url + "assign/", {"assignee": str(cast.specialist_a.pk)}, content_type=JSON)
    assert assigned.status_code == 200 and assigned.json()["assignee"] == str(cast.specialist_a.pk)
    assert client.post(url + "start/").json()["status"] == "in_progress"
    linked = client.post(url + "link-case/", {"case": str(case.pk)}, content_type=JSON)
    assert linked.json()["case_number"] == case.number
    assert CaseEvent.objects.filter(case=case, kind="appeal_linked").exists()
    forwarded = client.post(
        url + "forward/", {"organisation": str(cast.ministry.pk), "note": "Әкімдік"}, content_type=JSON
    )
    assert (forwarded.json()["status"], forwarded.json()["forwarded_to"]) == (
        "forwarded",
        str(cast.ministry.pk),
    )
    patched = client.patch(url, {"text": "Пәтер кезегі", "category": "housing"}, content_type=JSON)
    assert patched.status_code == 200 and patched.json()["text"] == "Пәтер кезегі"
    refused = client.patch(
        url, {"due_on": str(timezone.localdate() + dt.timedelta(days=90))}, content_type=JSON
    )
    assert refused.status_code == 403
    resolved = client.post(
        url + "resolve/",
        {"resolution": "Пәтер берілді", "result": "satisfied", "outcome_kind": "flat_allocated"},
        content_type=JSON,
    )
    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["status"] == "resolved"
    assert Outcome.objects.get(appeal=appeal).case == case
    again = client.post(url + "reject/", {"resolution": "—"}, content_type=JSON)
    assert again.status_code == 400 and "status" in again.json()["error"]["fields"]
    withdrawn = client.post(url + "withdraw/", {}, content_type=JSON)
    assert withdrawn.status_code == 400


def test_the_api_lists_appeals_with_filters(cast, person, appeal, appeal_b):
    old = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        category="psychological_help",
        channel="helpline_150",
        caller="анонимді",
        text="?",
        received_at=timezone.now() - dt.timedelta(days=10),
    )
    client = cast.client(cast.coordinator_a)
    numbers = lambda query: [a["number"] for a in client.get(f"/api/v1/appeals/{query}").json()["results"]]  # noqa: E731
    assert set(numbers("")) == {appeal.number, old.number}
    assert numbers("?overdue=true") == [old.number]
    assert numbers("?category=housing") == [appeal.number]
    assert numbers("?channel=helpline_150&status=registered") == [old.number]
    assert numbers(f"?date_to={timezone.localdate() - dt.timedelta(days=5)}") == [old.number]
    assert numbers(f"?person={person.pk}") == [appeal.number]
    assert client.get("/api/v1/appeals/?status=lost").status_code == 400


def test_the_api_edits_the_appeal_deadlines(cast):
    client = cast.client(cast.manager_a)
    rows = client.get("/api/v1/appeal-deadlines/").json()
    assert {r["category"]: r["days"] for r in rows}["psychological_help"] == 3
    response = client.patch("/api/v1/appeal-deadlines/housing/", {"days": 20}, content_type=JSON)
    assert response.status_code == 200
    assert response.json() == {"category": "housing", "days": 20, "default_days": 30, "is_default": False}
    assert (
        client.patch("/api/v1/appeal-deadlines/housing/", {"days": 0}, content_type=JSON).status_code == 400
    )
    assert (
        client.patch("/api/v1/appeal-deadlines/nothing/", {"days": 5}, content_type=JSON).status_code == 400
    )
    assert (
        cast.client(cast.coordinator_a)
        .patch("/api/v1/appeal-deadlines/housing/", {"days": 5}, content_type=JSON)
        .status_code
        == 403
    )
    assert {
        r["category"]: r["days"] for r in cast.client(cast.manager_b).get("/api/v1/appeal-deadlines/").json()
    }["housing"] == 30


def test_the_api_records_aid_one_by_one_and_in_a_batch(cast, families, person, make_family):
    client = cast.client(cast.specialist_a)
    one = client.post(
        "/api/v1/aid-distributions/",
        {"person": str(person.pk), "kind": "clothing", "quantity": 2, "value": "12000.50"},
        content_type=JSON,
    )
    assert one.status_code == 201, one.json()
    assert (one.json()["person"], one.json()["value"], one.json()["family"]) == (
        str(person.pk),
        "12000.50",
        None,
    )
    foreign = make_family("Бековтар", cast.shymkent)
    refused = client.post(
        "/api/v1/aid-distributions/batch/",
        {"kind": "food_package", "families": [str(families[0].pk), str(foreign.pk)]},
        content_type=JSON,
    )
    assert refused.status_code == 400
    [message] = refused.json()["error"]["fields"]["families"]
    assert message.startswith(f"{foreign.pk}: ")
    assert AidDistribution.objects.count() == 1
    batch = client.post(
        "/api/v1/aid-distributions/batch/",
        {
            "kind": "food_package",
            "families": [str(f.pk) for f in families],
            "value": "15000",
            "funding_partner_name": "Samruk-Kazyna Trust",
        },
        content_type=JSON,
    )
    assert batch.status_code == 201, batch.json()
    assert batch.json()["count"] == 2 and len(batch.json()["distributions"]) == 2
    twice = client.post(
        "/api/v1/aid-distributions/batch/",
        {"kind": "food_package", "families": [str(families[1].pk)]},
        content_type=JSON,
    )
    assert twice.status_code == 400 and twice.json()["error"]["fields"]["families"][0].startswith(
        families[1].name
    )
    totals = client.get("/api/v1/aid-distributions/totals/").json()
    assert totals["total"] == {
        "distributions": 3,
        "families": 2,
        "persons": 1,
        "quantity": 4,
        "value": "42000.50",
    }
    listed = client.get(f"/api/v1/aid-distributions/?batch={batch.json()['batch']}").json()["results"]
    assert {r["family_name"] for r in listed} == {f.name for f in families}


def test_the_api_records_and_lists_outcomes(cast, case, appeal):
    client = cast.client(cast.specialist_a)
    from_case = client.post(
        "/api/v1/outcomes/", {"kind": "returned_to_birth_family", "case": str(case.pk)}, content_type=JSON
    )
    assert from_case.status_code == 201, from_case.json()
    assert (from_case.json()["person"], from_case.json()["case_number"]) == (str(case.person_id), case.number)
    assert CaseEvent.objects.filter(case=case, kind="outcome_recorded").exists()
    from_appeal = client.post(
        "/api/v1/outcomes/", {"kind": "job_found", "appeal": str(appeal.pk)}, content_type=JSON
    )
    assert from_appeal.status_code == 201 and from_appeal.json()["appeal_number"] == appeal.number
    nobody = client.post("/api/v1/outcomes/", {"kind": "job_found"}, content_type=JSON)
    assert nobody.status_code == 400 and "person" in nobody.json()["error"]["fields"]
    future = client.post(
        "/api/v1/outcomes/",
        {
            "kind": "job_found",
            "case": str(case.pk),
            "happened_on": str(timezone.localdate() + dt.timedelta(days=2)),
        },
        content_type=JSON,
    )
    assert future.status_code == 400 and "happened_on" in future.json()["error"]["fields"]
    kinds = [o["kind"] for o in client.get("/api/v1/outcomes/?kind=job_found").json()["results"]]
    assert kinds == ["job_found"]


# --- every endpoint: another organisation's record is not found, a role without the right is refused ------


def endpoints(appeal, aid_row, outcome, case, families):
    """(method, url, body) of every support endpoint, with the Almaty centre's records."""
    a = f"/api/v1/appeals/{appeal.pk}/"
    return {
        "lists": [
            ("get", "/api/v1/appeals/", None),
            (
                "post",
                "/api/v1/appeals/",
                {"category": "housing", "channel": "walk_in", "text": "?", "caller": "X"},
            ),
            ("post", "/api/v1/appeals/helpline/", {"category": "housing", "text": "?", "anonymous": True}),
            ("get", "/api/v1/appeal-deadlines/", None),
            ("patch", "/api/v1/appeal-deadlines/housing/", {"days": 5}),
            ("get", "/api/v1/aid-distributions/", None),
            ("get", "/api/v1/aid-distributions/totals/", None),
            ("post", "/api/v1/aid-distributions/", {"kind": "cash", "family": str(families[1].pk)}),
            ("post", "/api/v1/aid-distributions/batch/", {"kind": "cash", "families": [str(families[1].pk)]}),
            ("get", "/api/v1/outcomes/", None),
            ("post", "/api/v1/outcomes/", {"kind": "job_found", "case": str(case.pk)}),
        ],
        "details": [
            ("get", a, None),
            ("patch", a, {"text": "Өзгерді"}),
            ("post", a + "assign/", {"assignee": str(appeal.organisation_id)}),
            ("post", a + "start/", None),
            ("post", a + "forward/", {"organisation": str(case.organisation_id)}),
            ("post", a + "resolve/", {"resolution": "—", "result": "explained"}),
            ("post", a + "reject/", {"resolution": "—"}),
            ("post", a + "withdraw/", {}),
            ("post", a + "link-case/", {"case": str(case.pk)}),
            ("get", f"/api/v1/aid-distributions/{aid_row.pk}/", None),
            ("get", f"/api/v1/outcomes/{outcome.pk}/", None),
        ],
    }


def _call(client, method, url, body):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type=JSON)


def test_every_endpoint_hides_another_organisations_records_and_refuses_other_roles(
    cast, appeal, aid_row, outcome, case, families, analyst_a
):
    calls = endpoints(appeal, aid_row, outcome, case, families)
    for user in (cast.coordinator_b, cast.manager_b, cast.analyst, cast.outsider):
        client = cast.client(user)
        for method, url, body in calls["details"]:
            response = _call(client, method, url, body)
            assert response.status_code == 404, (user, method, url, response.content)
            assert response.json()["error"]["code"] == "not_found"
    for user in (analyst_a, cast.analyst, cast.outsider):
        client = cast.client(user)
        for method, url, body in calls["details"] * (user == analyst_a) + calls["lists"]:
            response = _call(client, method, url, body)
            assert response.status_code == 403, (user, method, url, response.content)
            assert response.json()["error"]["code"] == "permission_denied"
    # Deadlines are a manager's; outcomes a specialist's, not an intake operator's.
    assert (
        _call(
            cast.client(cast.coordinator_a), "patch", "/api/v1/appeal-deadlines/housing/", {"days": 5}
        ).status_code
        == 403
    )
    intake = cast.client(_intake(cast))
    assert (
        _call(intake, "post", "/api/v1/outcomes/", {"kind": "job_found", "case": str(case.pk)}).status_code
        == 403
    )
    assert Appeal.objects.filter(pk=appeal.pk, status="registered", text=appeal.text).exists()


def _intake(cast):
    from tirek.accounts.models import Membership, User

    user = User.objects.create_user(username="operator", active_organisation=cast.almaty)
    Membership.objects.create(user=user, organisation=cast.almaty, role="intake")
    return user


def test_the_lists_cost_the_same_number_of_queries_however_many_rows(
    cast, person, families, django_assert_max_num_queries
):
    client = cast.client(cast.coordinator_a)
    urls = [
        "/api/v1/appeals/",
        "/api/v1/aid-distributions/",
        "/api/v1/outcomes/",
        "/api/v1/aid-distributions/totals/",
    ]

    def add_rows(count):
        for n in range(count):
            appeal = appeal_register(
                actor=cast.coordinator_a,
                organisation=cast.almaty,
                person=person,
                family=families[0],
                category="housing",
                channel="walk_in",
                text=f"№{n}",
                assignee=cast.specialist_a,
            )
            aid_distribute(
                actor=cast.coordinator_a, organisation=cast.almaty, family=families[n % 2], kind="cash"
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
    for url in urls:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
    add_rows(8)
    for url in urls:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


def test_the_api_stores_a_typed_phone_as_the_pages_do(cast, almaty_member):
    client = cast.client(almaty_member("intake"))
    response = client.post(
        "/api/v1/appeals/helpline/",
        {"category": "housing", "text": "Пәтер кезегі", "caller_phone": "8 (701) 765-43-21"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["caller_phone"] == "+77017654321"
    wrong = client.post(
        "/api/v1/appeals/helpline/",
        {"category": "housing", "text": "Пәтер кезегі", "caller_phone": "8 701 123"},
        content_type=JSON,
    )
    assert wrong.status_code == 400 and "caller_phone" in wrong.json()["error"]["fields"]
