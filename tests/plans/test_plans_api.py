"""The plans API: the same flow as the pages, nested goals and services, scoping, roles, one error shape."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.plans.models import Plan

ZERO = "00000000-0000-0000-0000-000000000000"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_a_plan_is_written_approved_put_in_force_and_reviewed_through_the_api(cast, case):
    coordinator, manager = cast.client(cast.coordinator_a), cast.client(cast.manager_a)
    created = post(
        coordinator,
        "/api/v1/plans/",
        {
            "case": str(case.pk),
            "present_levels": {"communication": "Буындар"},
            "family_concerns": "Сөйлемейді",
        },
    )
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["status"] == "draft" and plan["number"] == 1 and plan["author"] == str(cast.coordinator_a.pk)
    assert plan["present_levels"]["communication"] == "Буындар" and plan["present_levels"]["adaptive"] == ""
    assert plan["coordinator"] == str(cast.coordinator_a.pk)  # the case's, by default
    base = f"/api/v1/plans/{plan['id']}/"
    target = str(timezone.localdate() + dt.timedelta(days=180))
    goal = post(
        coordinator,
        base + "goals/",
        {"domain": "communication", "wording": "10 сөз", "criterion": "5-тен 4", "target_date": target},
    )
    assert goal.status_code == 201 and goal.json()["order"] == 1
    extra = post(
        coordinator,
        base + "goals/",
        {"domain": "physical", "wording": "Жүреді", "criterion": "3 күн", "target_date": target},
    ).json()
    assert (
        patch(coordinator, base + f"goals/{goal.json()['id']}/", {"criterion": "5-тен 5"}).json()["criterion"]
        == "5-тен 5"
    )
    assert coordinator.delete(base + f"goals/{extra['id']}/").status_code == 204
    service = {
        "service": "speech_therapy_session",
        "profession": "speech_therapist",
        "provider": str(cast.specialist_a.pk),
        "frequency": 2,
        "frequency_period": "week",
        "minutes": 30,
        "mode": "video",
        "start_date": str(timezone.localdate()),
    }
    added = post(coordinator, base + "services/", service)
    assert added.status_code == 201 and added.json()["family_consent"] is False
    refused = post(manager, base + "approve/")
    assert refused.status_code == 400 and "services" in refused.json()["error"]["fields"]
    consent = {"family_consent": True, "consent_date": str(timezone.localdate())}
    assert patch(coordinator, base + f"services/{added.json()['id']}/", consent).status_code == 200
    assert post(coordinator, base + "approve/").status_code == 403  # the coordinator wrote it
    approved = post(manager, base + "approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    active = post(coordinator, base + "activate/")
    assert active.status_code == 200 and active.json()["status"] == "active"
    goal_id = goal.json()["id"]
    incomplete = post(coordinator, base + "review/", {"ratings": []})
    assert incomplete.status_code == 400 and list(incomplete.json()["error"]["fields"]) == ["ratings"]
    review = post(coordinator, base + "review/", {"ratings": [{"goal": goal_id, "rating": "achieved"}]})
    assert review.status_code == 201
    assert review.json()["progress"] == [{"goal": goal_id, "rating": "achieved", "note": ""}]
    detail = coordinator.get(base).json()
    assert detail["status"] == "reviewed"
    assert [g["id"] for g in detail["goals"]] == [goal_id]
    assert detail["services"][0]["service"] == "speech_therapy_session"
    assert len(detail["reviews"]) == 1
    copy = post(coordinator, base + "new-version/")
    assert copy.status_code == 201 and copy.json()["number"] == 2 and len(copy.json()["goals"]) == 1
    listed = coordinator.get("/api/v1/plans/", {"case": str(case.pk)}).json()["results"]
    assert {p["number"] for p in listed} == {1, 2}
    assert coordinator.delete(f"/api/v1/plans/{copy.json()['id']}/").status_code == 204
    assert AuditEvent.objects.filter(action="view", object_id=plan["id"]).exists()


def test_a_draft_is_edited_and_errors_share_one_shape(cast, draft):
    plan = draft()
    client = cast.client(cast.coordinator_a)
    changed = patch(client, f"/api/v1/plans/{plan.pk}/", {"family_priorities": "Балабақша"})
    assert changed.status_code == 200 and changed.json()["family_priorities"] == "Балабақша"
    bad = patch(client, f"/api/v1/plans/{plan.pk}/", {"coordinator": str(cast.coordinator_b.pk)})
    assert bad.status_code == 400
    assert (
        set(bad.json()["error"]) == {"code", "message", "fields"}
        and "coordinator" in bad.json()["error"]["fields"]
    )
    bad_service = post(
        client, f"/api/v1/plans/{plan.pk}/services/", {"service": "no-such", "profession": "x"}
    )
    assert bad_service.status_code == 400 and bad_service.json()["error"]["code"] == "invalid"


def endpoints(plan, case) -> list[tuple[str, str, dict | None]]:
    goal, service = plan.goals.first(), plan.services.first()
    base = f"/api/v1/plans/{plan.pk}/"
    return [
        ("get", f"/api/v1/plans/?case={case.pk}", None),
        ("get", base, None),
        ("get", base + "pdf/?language=ru", None),
        ("post", "/api/v1/plans/", {"case": str(case.pk)}),
        ("patch", base, {"family_concerns": "x"}),
        ("delete", base, None),
        ("post", base + "approve/", {}),
        ("post", base + "activate/", {}),
        ("post", base + "review/", {"ratings": []}),
        ("post", base + "new-version/", {}),
        (
            "post",
            base + "goals/",
            {"domain": "adaptive", "wording": "x", "criterion": "y", "target_date": "2030-01-01"},
        ),
        ("patch", base + f"goals/{goal.pk}/", {"wording": "z"}),
        ("delete", base + f"goals/{goal.pk}/", None),
        (
            "post",
            base + "services/",
            {
                "service": "massage",
                "profession": "massage_therapist",
                "frequency": 1,
                "frequency_period": "week",
                "minutes": 20,
                "mode": "centre",
                "start_date": "2030-01-01",
            },
        ),
        ("patch", base + f"services/{service.pk}/", {"minutes": 45}),
        ("delete", base + f"services/{service.pk}/", None),
    ]


def call(client, method, url, body):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type="application/json")


def test_another_organisations_plan_is_not_found_on_every_endpoint(cast, case, draft):
    plan = draft()
    other = cast.client(cast.manager_b)
    for method, url, body in endpoints(plan, case):
        response = call(other, method, url, body)
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["code"] == "not_found"
    assert other.get("/api/v1/plans/").json()["results"] == []
    for url in (f"/api/v1/plans/{ZERO}/", f"/api/v1/plans/{plan.pk}/goals/{ZERO}/"):
        assert call(cast.client(cast.coordinator_a), "patch", url, {"wording": "x"}).status_code == 404
    assert Plan.objects.get(pk=plan.pk).status == "draft" and plan.goals.count() == 1


def test_roles_without_the_right_get_403_on_every_endpoint(cast, case, draft, almaty_member):
    plan = draft()
    specialist = cast.client(cast.specialist_a)
    for method, url, body in endpoints(plan, case):
        response = call(specialist, method, url, body)
        expected = 200 if method == "get" else 403
        assert response.status_code == expected, (method, url, response.content[:200])
    coordinator = cast.client(cast.coordinator_a)
    assert post(coordinator, f"/api/v1/plans/{plan.pk}/approve/").status_code == 403
    # The analyst is refused a plan (403), or told its child's case does not exist (404): the exact status of
    # each is proven by tests/security/test_authorisation_matrix.py.
    for role, refused in (("intake", {403}), ("analyst", {403, 404})):
        client = cast.client(almaty_member(role))
        for method, url, body in endpoints(plan, case):
            response = call(client, method, url, body)
            assert response.status_code in refused, (role, method, url)
        assert client.get("/api/v1/plans/").status_code == 403
    assert Plan.objects.get(pk=plan.pk).status == "draft" and plan.goals.count() == 1


def test_the_plan_list_runs_a_fixed_number_of_queries(cast, case, draft, django_assert_max_num_queries):
    from tirek.plans.services import plan_activate, plan_approve

    for _n in range(5):
        plan = draft(goals=2, services=2)
        plan_approve(actor=cast.manager_a, plan=plan)
        plan_activate(actor=cast.coordinator_a, plan=plan)
    client = cast.client(cast.manager_a)
    with django_assert_max_num_queries(7):
        assert len(client.get("/api/v1/plans/", {"case": str(case.pk)}).json()["results"]) == 5
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/plans/").json()["results"]) == 5
