from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tirek.audit.models import AuditEvent
from tirek.services.models import GroupActivity, Visit
from tirek.services.services import group_activity_create, visit_plan


@pytest.fixture
def planned(cast, case, speech, at, today):
    """A session of the Almaty specialist planned today at 10:00."""
    return visit_plan(
        actor=cast.coordinator_a,
        case=case,
        starts_at=at(today, 10),
        minutes=45,
        service=speech,
        specialist=cast.specialist_a,
    )


@pytest.fixture
def activity(cast, case, group_class, at, today):
    return group_activity_create(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        kind="group_class",
        topic="Сенсорлық ойындар",
        service=group_class,
        starts_at=at(today, 12),
        minutes=60,
        facilitators=[cast.specialist_a],
        cases=[case],
    )


def test_the_day_lists_the_specialists_sessions_of_today(
    cast, planned, activity, make_case, speech, at, today
):
    other_day = visit_plan(
        actor=cast.coordinator_a,
        case=make_case(surname="Сейітов"),
        starts_at=at(today + dt.timedelta(days=1), 10),
        minutes=45,
        service=speech,
        specialist=cast.specialist_a,
    )
    response = cast.client(cast.specialist_a).get(reverse("services:day"))
    assert response.status_code == 200
    visits = [e["visit"] for e in response.context["entries"] if "visit" in e]
    groups = [e["group"] for e in response.context["entries"] if "group" in e]
    assert visits == [planned]
    assert groups == [activity]
    page = response.content.decode()
    assert planned.case.number in page and 'data-testid="log-attended"' in page
    assert str(other_day.pk) not in page
    tomorrow = cast.client(cast.specialist_a).get(
        reverse("services:day"), {"date": (today + dt.timedelta(days=1)).isoformat()}
    )
    assert [e["visit"] for e in tomorrow.context["entries"]] == [other_day]


def test_one_click_logs_a_planned_session(cast, planned):
    client = cast.client(cast.specialist_a)
    day = reverse("services:day")
    response = client.post(
        reverse("services:visit_log", args=[planned.pk]),
        {"status": "attended", "next": day, "one_click": "1"},
    )
    assert response.status_code == 302 and response.url == day
    planned.refresh_from_db()
    assert planned.status == "attended"


def test_one_click_with_htmx_answers_the_row(cast, planned):
    response = cast.client(cast.specialist_a).post(
        reverse("services:visit_log", args=[planned.pk]),
        {"status": "no_show", "cancellation_reason": "no_notice", "one_click": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="visit-{planned.pk}"' in response.content.decode()
    planned.refresh_from_db()
    assert (planned.status, planned.cancellation_reason) == ("no_show", "no_notice")


def test_one_click_without_a_reason_keeps_the_session_and_says_why(cast, planned):
    response = cast.client(cast.specialist_a).post(
        reverse("services:visit_log", args=[planned.pk]),
        {"status": "cancelled", "one_click": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.context["errors"]
    planned.refresh_from_db()
    assert planned.status == "planned"


def test_the_day_logs_a_session_in_one_post(cast, case, speech, today):
    client = cast.client(cast.specialist_a)
    page = client.get(reverse("services:day"))
    assert case in page.context["form"].fields["case"].queryset
    response = client.post(
        reverse("services:day"),
        {
            "quick-case": case.pk,
            "quick-time": "09:00",
            "quick-minutes": 40,
            "quick-service": speech.pk,
            "quick-mode": "home",
            "quick-participants": ["child", "mother"],
            "quick-status": "attended",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.case, visit.specialist, visit.status, visit.mode, visit.minutes) == (
        case,
        cast.specialist_a,
        "attended",
        "home",
        40,
    )
    assert visit.starts_at.date() == today or visit.starts_at.astimezone().date() == today
    # The next session defaults to the last one's service, minutes and mode.
    form = client.get(reverse("services:day")).context["form"]
    assert (form.initial["service"], form.initial["minutes"], form.initial["mode"]) == (speech.pk, 40, "home")


def test_the_day_shows_a_clash_on_the_form(cast, planned, make_case, speech):
    other = make_case(surname="Сейітов")
    response = cast.client(cast.coordinator_a).post(
        reverse("services:day") + f"?specialist={cast.specialist_a.pk}",
        {
            "quick-case": other.pk,
            "quick-time": "10:15",
            "quick-minutes": 45,
            "quick-service": speech.pk,
            "quick-mode": "centre",
            "quick-status": "attended",
        },
    )
    assert response.status_code == 200
    assert planned.case.number in str(response.context["form"].non_field_errors())
    assert Visit.objects.count() == 1


def test_managers_see_any_specialists_day_and_specialists_only_their_own(cast, planned):
    url = reverse("services:day") + f"?specialist={cast.specialist_a.pk}"
    response = cast.client(cast.manager_a).get(url)
    assert [e["visit"] for e in response.context["entries"]] == [planned]
    assert cast.client(cast.coordinator_a).get(url).status_code == 200
    own = cast.client(cast.specialist_a).get(url)
    assert own.status_code == 200
    from tirek.accounts.models import Membership

    colleague = Membership.objects.create(
        user=cast.outsider, organisation=cast.almaty, role="specialist"
    ).user
    assert cast.client(colleague).get(url).status_code == 403
    assert cast.client(cast.manager_b).get(url).status_code == 404
    assert (
        cast.client(cast.manager_a).get(reverse("services:day") + "?specialist=nonsense").status_code == 404
    )


def test_the_week_shows_seven_days(cast, planned, make_case, speech, at, today):
    monday = today - dt.timedelta(days=today.weekday())
    later = visit_plan(
        actor=cast.coordinator_a,
        case=make_case(surname="Сейітов"),
        starts_at=at(today + dt.timedelta(days=7), 9),
        minutes=45,
        service=speech,
        specialist=cast.specialist_a,
    )
    response = cast.client(cast.specialist_a).get(reverse("services:week"))
    assert response.status_code == 200
    days = response.context["days"]
    assert [day for day, _entries in days] == [monday + dt.timedelta(days=n) for n in range(7)]
    assert [e["visit"] for _day, entries in days for e in entries] == [planned]
    next_week = cast.client(cast.specialist_a).get(
        reverse("services:week"), {"start": (monday + dt.timedelta(days=7)).isoformat()}
    )
    assert later in [e["visit"] for _day, entries in next_week.context["days"] for e in entries]
    assert (
        cast.client(cast.specialist_a).get(reverse("services:week"), {"start": "0001-01-01"}).status_code
        == 200
    )


def test_plan_a_session_from_the_case(cast, case, speech, today):
    client = cast.client(cast.coordinator_a)
    url = reverse("services:visit_new") + f"?case={case.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "status": "planned",
            "date": (today + dt.timedelta(days=2)).isoformat(),
            "time": "11:00",
            "minutes": 45,
            "service": speech.pk,
            "specialist": cast.specialist_a.pk,
            "format": "individual",
            "mode": "centre",
            "participants": ["child"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    visit = Visit.objects.get()
    assert (visit.status, visit.profession.code) == ("planned", "speech_therapist")
    assert response.url == reverse("services:case_visits", args=[case.pk])
    listing = client.get(response.url)
    assert listing.status_code == 200 and str(visit.pk) in listing.content.decode()


def test_the_visit_page_is_audited_and_editable(cast, planned, today):
    client = cast.client(cast.specialist_a)
    response = client.get(reverse("services:visit_detail", args=[planned.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=str(planned.pk)).count() == 1
    edit = reverse("services:visit_edit", args=[planned.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "date": today.isoformat(),
            "time": "15:00",
            "minutes": 30,
            "service": planned.service_id,
            "specialist": cast.specialist_a.pk,
            "format": "individual",
            "mode": "video",
            "participants": ["mother"],
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.mode, planned.minutes, planned.participants) == ("video", 30, ["mother"])
    log = reverse("services:visit_log", args=[planned.pk])
    assert client.get(log).status_code == 200
    assert client.post(log, {"status": "attended", "minutes": 35, "note": "Жақсы"}).status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.minutes, planned.note) == ("attended", 35, "Жақсы")


def test_groups_are_listed_created_and_their_attendance_recorded(cast, case, make_case, group_class, today):
    other = make_case(surname="Сейітов")
    client = cast.client(cast.specialist_a)
    assert client.get(reverse("services:group_new")).status_code == 200
    response = client.post(
        reverse("services:group_new"),
        {
            "kind": "seminar",
            "topic": "Ата-аналарға арналған семинар",
            "service": group_class.pk,
            "date": today.isoformat(),
            "time": "07:00",
            "minutes": 60,
            "mode": "centre",
            "facilitators": [cast.specialist_a.pk],
            "cases": [case.pk, other.pk],
            "others_count": 3,
        },
    )
    assert response.status_code == 302
    activity = GroupActivity.objects.get()
    assert client.get(reverse("services:group_list")).status_code == 200
    detail = reverse("services:group_detail", args=[activity.pk])
    assert client.get(detail).context["form"] is not None
    response = client.post(detail, {"attended": [str(case.pk)], "others_count": 4})
    assert response.status_code == 302
    page = client.get(detail)
    assert page.context["served"] == 1 + 4
    edit = reverse("services:group_edit", args=[activity.pk])
    assert client.get(edit).status_code == 200


PAGES = [
    ("services:day", None),
    ("services:week", None),
    ("services:case_visits", "case"),
    ("services:visit_new", None),
    ("services:visit_detail", "visit"),
    ("services:visit_edit", "visit"),
    ("services:visit_log", "visit"),
    ("services:group_list", None),
    ("services:group_new", None),
    ("services:group_detail", "group"),
    ("services:group_edit", "group"),
]


def _url(name, arg, planned, activity):
    obj = {"case": planned.case, "visit": planned, "group": activity}.get(arg)
    return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)


def test_another_organisation_gets_404_on_every_record_page(cast, planned, activity):
    client = cast.client(cast.manager_b)
    for name, arg in PAGES:
        if arg is None:
            continue
        url = _url(name, arg, planned, activity)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert client.get(reverse("services:visit_new") + f"?case={planned.case.pk}").status_code == 404


def test_a_role_without_casework_gets_403_on_every_page(cast, planned, activity, analyst_a):
    # Refused (403), or, where the page names a case the analyst may not see at all, missing (404); the exact
    # status of each is proven by tests/security/test_authorisation_matrix.py.
    client = cast.client(analyst_a)
    for name, arg in PAGES:
        url = _url(name, arg, planned, activity)
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {}).status_code in (403, 404), url


def test_intake_may_plan_but_not_log_nor_run_groups(cast, planned, activity, intake_a):
    client = cast.client(intake_a)
    assert client.get(reverse("services:visit_new")).status_code == 200
    assert client.get(reverse("services:day")).status_code == 200
    assert client.post(reverse("services:day"), {}).status_code == 403
    for name in ("services:visit_log",):
        assert client.post(reverse(name, args=[planned.pk]), {"status": "attended"}).status_code == 403
    assert client.get(reverse("services:group_new")).status_code == 403
    assert client.post(reverse("services:group_detail", args=[activity.pk]), {}).status_code == 403
    assert client.get(reverse("services:group_edit", args=[activity.pk])).status_code == 403
    planned.refresh_from_db()
    assert planned.status == "planned"


def test_signed_out_people_are_sent_to_sign_in(client, planned):
    assert client.get(reverse("services:day")).status_code == 302


def test_the_day_runs_a_fixed_number_of_queries(
    cast, make_case, speech, at, today, django_assert_max_num_queries
):
    for n in range(20):
        case = make_case(surname=f"Бала{n}")
        visit_plan(
            actor=cast.coordinator_a,
            case=case,
            starts_at=at(today, 0) + dt.timedelta(minutes=30 * n),
            minutes=30,
            service=speech,
            specialist=cast.specialist_a,
        )
    client = cast.client(cast.specialist_a)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("services:day"))
    assert len(response.context["entries"]) == 20
    manager = cast.client(cast.manager_a)
    with django_assert_max_num_queries(13):
        assert manager.get(reverse("services:day") + f"?specialist={cast.specialist_a.pk}").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("services:week")).status_code == 200


def test_logging_a_session_ticks_the_plan_goals_it_worked_on_with_a_note(cast, planned, plan_goal):
    client = cast.client(cast.specialist_a)
    url = reverse("services:visit_log", args=[planned.pk])
    key = f"goal_{plan_goal.pk.hex}"
    form = client.get(url).context["form"]
    assert form.fields[key].label.endswith(plan_goal.wording)
    response = client.post(
        url,
        {"status": "attended", "participants": ["child"], key: "on", f"{key}_note": "Үш сөзбен сұрады"},
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == "attended"
    assert [(g.plan_goal, g.note) for g in planned.goals.all()] == [(plan_goal, "Үш сөзбен сұрады")]
    page = client.get(reverse("services:visit_detail", args=[planned.pk])).content.decode()
    assert 'data-testid="visit-goal"' in page and plan_goal.wording in page
    # Editing the session keeps the ticked goal and its note in the form.
    edit = client.get(reverse("services:visit_edit", args=[planned.pk])).context["form"]
    assert edit.fields[key].initial is True and edit.fields[f"{key}_note"].initial == "Үш сөзбен сұрады"
