from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tirek.core.errors import NotAllowed
from tirek.services.models import Visit
from tirek.services.selectors import delivered_visits, group_served_count
from tirek.services.services import (
    group_activity_create,
    group_activity_set_attendance,
    group_activity_update,
    visit_plan,
)


@pytest.fixture
def three_cases(case, make_case):
    return [case, make_case(surname="Сейітов"), make_case(surname="Ким", given_name="Тимур")]


def create_group(cast, cases, service, starts_at, **extra):
    return group_activity_create(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        kind=extra.pop("kind", "group_class"),
        topic=extra.pop("topic", "Сенсорлық ойындар"),
        service=service,
        starts_at=starts_at,
        minutes=60,
        facilitators=extra.pop("facilitators", [cast.specialist_a]),
        cases=cases,
        **extra,
    )


def test_each_attended_participant_counts_as_served_once(cast, three_cases, group_class, at, today):
    activity = create_group(
        cast, three_cases, group_class, at(today - dt.timedelta(days=1), 11), others_count=2
    )
    present = three_cases[:2]
    for _ in range(2):  # saving the same attendance again changes nothing
        group_activity_set_attendance(
            actor=cast.specialist_a, activity=activity, attended=[c.pk for c in present]
        )
    assert activity.status == "held"
    assert group_served_count(activity=activity) == 2 + 2
    delivered = delivered_visits()
    assert sorted(v.case_id for v in delivered) == sorted(c.pk for c in present)
    assert {(v.format, v.group_activity_id, v.specialist_id) for v in delivered} == {
        ("group", activity.pk, cast.specialist_a.pk)
    }
    absent = Visit.objects.get(case=three_cases[2])
    assert (absent.status, absent.is_delivered) == ("no_show", False)
    for case in present:
        assert case.events.filter(kind="group_attended").count() == 1
    assert not three_cases[2].events.filter(kind="group_attended").exists()


def test_attendance_can_be_corrected(cast, three_cases, group_class, at, today):
    activity = create_group(cast, three_cases, group_class, at(today, 8))
    group_activity_set_attendance(actor=cast.specialist_a, activity=activity, attended=[three_cases[0]])
    group_activity_set_attendance(
        actor=cast.specialist_a, activity=activity, attended=[three_cases[1]], others_count=5
    )
    assert [v.case_id for v in delivered_visits()] == [three_cases[1].pk]
    assert Visit.objects.filter(group_activity=activity).count() == 3
    assert group_served_count(activity=activity) == 1 + 5


def test_attendance_waits_for_the_activity(cast, three_cases, group_class, at, today):
    activity = create_group(cast, three_cases, group_class, at(today + dt.timedelta(days=1), 11))
    with pytest.raises(ValidationError):
        group_activity_set_attendance(actor=cast.specialist_a, activity=activity, attended=[three_cases[0]])
    assert group_served_count(activity=activity) == 0


def test_only_participants_can_be_marked_present(cast, three_cases, group_class, at, today):
    activity = create_group(cast, three_cases[:1], group_class, at(today, 8))
    with pytest.raises(ValidationError):
        group_activity_set_attendance(actor=cast.specialist_a, activity=activity, attended=[three_cases[1]])


def test_participants_are_open_cases_of_the_organisation(cast, case, case_b, group_class, at, today):
    with pytest.raises(ValidationError) as foreign:
        create_group(cast, [case, case_b], group_class, at(today, 8))
    assert "cases" in foreign.value.message_dict
    with pytest.raises(ValidationError) as twice:
        create_group(cast, [case, case], group_class, at(today, 8))
    assert "cases" in twice.value.message_dict
    with pytest.raises(ValidationError) as nobody:
        create_group(cast, [case], group_class, at(today, 8), facilitators=[])
    assert "facilitators" in nobody.value.message_dict


def test_a_participant_with_recorded_attendance_stays(cast, three_cases, group_class, at, today):
    activity = create_group(cast, three_cases, group_class, at(today, 8))
    group_activity_set_attendance(actor=cast.specialist_a, activity=activity, attended=[three_cases[0]])
    with pytest.raises(ValidationError) as refused:
        group_activity_update(actor=cast.coordinator_a, activity=activity, cases=three_cases[1:])
    assert "cases" in refused.value.message_dict
    with pytest.raises(ValidationError):
        group_activity_update(actor=cast.coordinator_a, activity=activity, status="cancelled")


def test_changes_follow_into_the_participants_sessions(
    cast, three_cases, group_class, at, today, psychologist_a
):
    activity = create_group(cast, three_cases, group_class, at(today, 8))
    group_activity_set_attendance(actor=cast.specialist_a, activity=activity, attended=three_cases)
    group_activity_update(
        actor=cast.coordinator_a,
        activity=activity,
        starts_at=at(today, 7),
        minutes=30,
        mode="video",
        facilitators=[psychologist_a],
    )
    assert set(Visit.objects.values_list("starts_at", "minutes", "mode", "specialist_id")) == {
        (at(today, 7), 30, "video", psychologist_a.pk)
    }


def test_a_cancelled_activity_frees_its_facilitators(cast, three_cases, group_class, speech, at, today):
    starts = at(today + dt.timedelta(days=1), 11)
    activity = create_group(cast, three_cases, group_class, starts)
    fields = {"minutes": 45, "service": speech, "specialist": cast.specialist_a, "starts_at": starts}
    with pytest.raises(ValidationError):
        visit_plan(actor=cast.coordinator_a, case=three_cases[0], **fields)
    group_activity_update(actor=cast.coordinator_a, activity=activity, status="cancelled")
    visit_plan(actor=cast.coordinator_a, case=three_cases[0], **fields)
    with pytest.raises(ValidationError):  # planning it again would double-book
        group_activity_update(actor=cast.coordinator_a, activity=activity, status="planned")
    with pytest.raises(ValidationError):
        group_activity_set_attendance(actor=cast.coordinator_a, activity=activity, attended=[])


def test_groups_need_the_right_to_manage_them(cast, case, group_class, at, today, intake_a):
    with pytest.raises(NotAllowed):
        group_activity_create(
            actor=intake_a,
            organisation=cast.almaty,
            kind="seminar",
            topic="Ата-аналарға",
            service=group_class,
            starts_at=at(today, 8),
            minutes=60,
            facilitators=[cast.specialist_a],
        )
    activity = create_group(cast, [case], group_class, at(today, 8))
    with pytest.raises(NotAllowed):
        group_activity_set_attendance(actor=intake_a, activity=activity, attended=[case])
    with pytest.raises(NotAllowed):
        group_activity_update(actor=cast.manager_b, activity=activity, topic="x")


def test_a_joint_event_is_held_under_a_memorandum_the_organisation_signed(cast, case, group_class, at, today):
    from tirek.directory.models import Partnership

    signed = Partnership.objects.create(title="Кеңес — SOS", signed_on=today - dt.timedelta(days=90))
    signed.parties.set([cast.almaty, cast.ministry])
    foreign = Partnership.objects.create(title="Шымкент", signed_on=today - dt.timedelta(days=90))
    foreign.parties.set([cast.shymkent, cast.ministry])
    fields = {
        "actor": cast.coordinator_a,
        "organisation": cast.almaty,
        "kind": "seminar",
        "topic": "Ата-аналарға арналған семинар",
        "service": group_class,
        "starts_at": at(today, 15),
        "minutes": 60,
        "facilitators": [cast.specialist_a],
        "cases": [case],
    }
    with pytest.raises(ValidationError) as refused:
        group_activity_create(**fields, partnership=foreign)
    assert "partnership" in refused.value.message_dict
    activity = group_activity_create(**fields, partnership=signed)
    assert activity.partnership == signed
    page = cast.client(cast.coordinator_a).get(f"/visits/groups/{activity.pk}/").content.decode()
    assert 'data-testid="group-partnership"' in page and "Кеңес — SOS" in page
    api = cast.client(cast.coordinator_a).patch(
        f"/api/v1/group-activities/{activity.pk}/",
        {"partnership": str(foreign.pk)},
        content_type="application/json",
    )
    assert api.status_code == 400 and "partnership" in api.json()["error"]["fields"]
    activity.refresh_from_db()
    assert activity.partnership == signed
