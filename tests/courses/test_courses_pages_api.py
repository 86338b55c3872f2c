"""The course pages and API: the same services, another organisation's course is not found, a role without
the capability is refused, lists cost a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from tirek.accounts.models import Membership, User
from tirek.courses.models import Course, CourseEnrolment
from tirek.courses.services import course_create, course_enrol, course_set_attendance
from tirek.support.models import Outcome


@pytest.fixture
def intake(cast):
    """An intake operator of the Almaty centre: may read courses, not run them."""
    user = User.objects.create_user(username="ilyas", active_organisation=cast.almaty)
    Membership.objects.create(user=user, organisation=cast.almaty, role="intake")
    return user


def test_the_course_page_shows_the_attendance_grid(cast, course, enrolment, sessions):
    course_set_attendance(actor=cast.specialist_a, session=sessions[1], present=[enrolment])
    response = cast.client(cast.specialist_a).get(reverse("courses:detail", args=[course.pk]))
    assert response.status_code == 200
    [(row, marks)] = response.context["grid"]["rows"]
    assert row == enrolment and marks == [False, True, False]
    html = response.content.decode()
    assert f'data-testid="attendance-{sessions[0].pk}"' in html
    assert f'data-testid="complete-{enrolment.pk}"' in html


def test_the_pages_create_a_course_add_a_session_enrol_mark_and_complete(cast, person, today):
    client = cast.client(cast.coordinator_a)
    assert client.get(reverse("courses:new")).status_code == 200
    response = client.post(
        reverse("courses:new"),
        {
            "title": "Өмір дағдылары",
            "kind": "care_leaver_skills",
            "starts_on": (today - dt.timedelta(days=10)).isoformat(),
            "sessions_required": 1,
            "status": "running",
            "facilitators": [cast.coordinator_a.pk],
        },
    )
    assert response.status_code == 302
    course = Course.objects.get()
    client.post(
        reverse("courses:session_new", args=[course.pk]),
        {
            "date": (today - dt.timedelta(days=2)).isoformat(),
            "time": "15:00",
            "minutes": 90,
            "topic": "Бюджет",
        },
    )
    session = course.sessions.get()
    search = client.get(reverse("courses:enrol", args=[course.pk]), {"q": "Ахмет"})
    assert list(search.context["form"].fields["person"].queryset) == [person]
    client.post(
        reverse("courses:enrol", args=[course.pk]), {"person": person.pk, "enrolled_on": today.isoformat()}
    )
    enrolment = CourseEnrolment.objects.get()
    # Enrolled today, present at a session two days ago: the course allows it (the list is what was kept).
    client.post(reverse("courses:attendance", args=[session.pk]), {"present": [str(enrolment.pk)]})
    assert list(enrolment.attendance.values_list("session_id", flat=True)) == [session.pk]
    done = client.post(reverse("courses:complete", args=[enrolment.pk]), {"completed_on": today.isoformat()})
    assert done.status_code == 302
    assert Outcome.objects.filter(person=person, kind="course_completed").exists()


def test_a_refused_completion_keeps_the_form_with_the_reason_field(cast, enrolment, today):
    client = cast.client(cast.specialist_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("courses:complete", args=[enrolment.pk]), {"completed_on": today.isoformat()}
    )
    assert response.status_code == 200
    assert "override_reason" in response.context["form"].errors
    assert "Attended 0 of the 2 sessions required" in response.content.decode()
    assert not Outcome.objects.exists()


def test_another_organisation_gets_404_and_a_role_without_the_capability_403(
    cast, course, enrolment, sessions, intake
):
    pages = [
        reverse("courses:detail", args=[course.pk]),
        reverse("courses:edit", args=[course.pk]),
        reverse("courses:session_new", args=[course.pk]),
        reverse("courses:enrol", args=[course.pk]),
        reverse("courses:attendance", args=[sessions[0].pk]),
        reverse("courses:complete", args=[enrolment.pk]),
        reverse("courses:drop", args=[enrolment.pk]),
    ]
    allowed = cast.client(cast.specialist_a)
    for url in [reverse("courses:list"), reverse("courses:new"), *pages]:
        assert allowed.get(url).status_code == 200, url
    other = cast.client(cast.manager_b)
    for url in pages:
        assert other.get(url).status_code == 404, url
    refused = cast.client(intake)
    assert refused.get(pages[0]).status_code == 200
    for url in [reverse("courses:new"), *pages[1:]]:
        assert refused.get(url).status_code == 403, url
    assert cast.client(cast.manager_b).get(reverse("courses:list")).context["page"].object_list == []


def test_the_api_runs_a_course_from_creation_to_completion(cast, person, today):
    client = cast.client(cast.specialist_a)
    created = client.post(
        "/api/v1/courses/",
        {
            "title": "Ата-аналар курсы",
            "kind": "parenting",
            "starts_on": (today - dt.timedelta(days=14)).isoformat(),
            "sessions_required": 1,
            "status": "running",
            "facilitators": [str(cast.specialist_a.pk)],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/courses/{created.json()['id']}/"
    starts = f"{(today - dt.timedelta(days=7)).isoformat()}T18:00:00+05:00"
    session = client.post(
        f"{url}sessions/",
        {"starts_at": starts, "minutes": 90, "topic": "Қарым-қатынас"},
        content_type="application/json",
    ).json()["sessions"][0]
    body = client.post(
        f"{url}enrolments/",
        {"person": str(person.pk), "enrolled_on": (today - dt.timedelta(days=10)).isoformat()},
        content_type="application/json",
    ).json()
    enrolment = body["participants"][0]
    assert enrolment["person_name"] == person.full_name
    refused = client.post(f"{url}complete/", {"enrolment": enrolment["id"]}, content_type="application/json")
    assert refused.status_code == 400 and "override_reason" in refused.json()["error"]["fields"]
    marked = client.post(
        f"{url}attendance/",
        {"session": session["id"], "present": [enrolment["id"]]},
        content_type="application/json",
    )
    assert marked.json()["sessions"][0]["present"] == [enrolment["id"]]
    completed = client.post(
        f"{url}complete/", {"enrolment": enrolment["id"]}, content_type="application/json"
    )
    participant = completed.json()["participants"][0]
    assert participant["status"] == "completed" and participant["attended"] == 1
    assert Outcome.objects.get(pk=participant["outcome"]).kind == "course_completed"
    listed = client.get("/api/v1/courses/").json()["results"]
    assert listed[0]["completed_count"] == 1 and listed[0]["session_count"] == 1


def test_the_api_refuses_foreign_persons_and_drops_participants(cast, course, enrolment, make_person):
    client = cast.client(cast.coordinator_a)
    foreign = make_person("Бекова", "Аяла", organisation=cast.shymkent)
    refused = client.post(
        f"/api/v1/courses/{course.pk}/enrolments/",
        {"person": str(foreign.pk)},
        content_type="application/json",
    )
    assert refused.status_code == 400 and list(refused.json()["error"]["fields"]) == ["person"]
    dropped = client.post(
        f"/api/v1/courses/{course.pk}/drop/",
        {"enrolment": str(enrolment.pk), "reason": "Жұмысқа кетті"},
        content_type="application/json",
    )
    assert dropped.json()["participants"][0]["status"] == "dropped_out"


def test_the_api_answers_404_to_another_organisation_and_403_to_a_role(
    cast, course, enrolment, sessions, intake
):
    url = f"/api/v1/courses/{course.pk}/"
    writes = {
        url: ("patch", {"title": "x"}),
        f"{url}sessions/": (
            "post",
            {"starts_at": sessions[0].starts_at.isoformat(), "minutes": 60, "topic": "x"},
        ),
        f"{url}enrolments/": ("post", {"person": str(enrolment.person_id)}),
        f"{url}attendance/": ("post", {"session": str(sessions[0].pk), "present": []}),
        f"{url}complete/": ("post", {"enrolment": str(enrolment.pk), "override_reason": "x"}),
        f"{url}drop/": ("post", {"enrolment": str(enrolment.pk)}),
    }
    other, refused = cast.client(cast.manager_b), cast.client(intake)
    assert other.get(url).status_code == 404
    assert refused.get(url).status_code == 200
    for path, (method, data) in writes.items():
        assert getattr(other, method)(path, data, content_type="application/json").status_code == 404, path
        assert getattr(refused, method)(path, data, content_type="application/json").status_code == 403, path
    create = refused.post(
        "/api/v1/courses/",
        {"title": "x", "kind": "other", "starts_on": "2026-01-01"},
        content_type="application/json",
    )
    assert create.status_code == 403


def test_the_lists_run_a_fixed_number_of_queries(cast, make_person, today, django_assert_max_num_queries):
    def add(number):
        course = course_create(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            title=f"Курс {number}",
            kind="parenting",
            starts_on=today,
            facilitators=[cast.specialist_a, cast.coordinator_a],
        )
        course_enrol(
            actor=cast.coordinator_a, course=course, person=make_person("Ахметова", f"Дана {number}")
        )
        return course

    first = add(0)
    client = cast.client(cast.specialist_a)
    with django_assert_max_num_queries(12) as page:
        client.get(reverse("courses:list"))
    with django_assert_max_num_queries(8) as api:
        client.get("/api/v1/courses/")
    with django_assert_max_num_queries(14) as detail:
        client.get(reverse("courses:detail", args=[first.pk]))
    for number in range(1, 5):
        add(number)
        course_enrol(actor=cast.coordinator_a, course=first, person=make_person("Сейітова", f"Әлия {number}"))
    with django_assert_max_num_queries(len(page.captured_queries)):
        assert len(client.get(reverse("courses:list")).context["page"]) == 5
    with django_assert_max_num_queries(len(api.captured_queries)):
        assert len(client.get("/api/v1/courses/").json()["results"]) == 5
    with django_assert_max_num_queries(len(detail.captured_queries)):
        assert len(client.get(reverse("courses:detail", args=[first.pk])).context["grid"]["rows"]) == 5
    with django_assert_max_num_queries(8):
        assert len(client.get(f"/api/v1/courses/{first.pk}/").json()["participants"]) == 5
