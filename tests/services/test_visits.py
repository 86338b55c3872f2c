from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tirek.accounts.models import Membership
from tirek.audit.models import AuditEvent
from tirek.cases.models import Case
from tirek.cases.services import case_change_status
from tirek.catalog.models import Service
from tirek.core.errors import NotAllowed
from tirek.services.models import Visit
from tirek.services.selectors import case_visit_summary, delivered_visits
from tirek.services.services import visit_log, visit_plan, visit_update, visits_import_delivered


def plan(cast, case, speech, starts_at, *, specialist=None, minutes=45, actor=None):
    return visit_plan(
        actor=actor or cast.coordinator_a,
        case=case,
        starts_at=starts_at,
        minutes=minutes,
        service=speech,
        specialist=specialist or cast.specialist_a,
    )


def tomorrow_at(at, today, hour, minute=0):
    return at(today + dt.timedelta(days=1), hour, minute)


# --- double booking -----------------------------------------------------------------------------------------


def test_an_overlapping_session_is_refused_naming_the_time_and_the_case(
    cast, case, make_case, speech, at, today
):
    first = plan(cast, case, speech, tomorrow_at(at, today, 10))
    other = make_case(surname="Сейітов")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        plan(cast, other, speech, tomorrow_at(at, today, 10, 30))
    message = refused.value.message_dict["starts_at"][0]
    assert case.number in message
    assert "10:00" in message and "10:45" in message
    assert refused.value.error_dict["starts_at"][0].code == "double_booking"
    with translation.override("kk"), pytest.raises(ValidationError) as in_kazakh:
        plan(cast, other, speech, tomorrow_at(at, today, 9, 30))
    assert case.number in in_kazakh.value.message_dict["starts_at"][0]
    assert list(Visit.objects.all()) == [first]


def test_back_to_back_sessions_are_allowed(cast, case, make_case, speech, at, today):
    plan(cast, case, speech, tomorrow_at(at, today, 10))
    other = make_case(surname="Сейітов")
    plan(cast, other, speech, tomorrow_at(at, today, 10, 45))
    plan(cast, other, speech, tomorrow_at(at, today, 9, 15))
    assert Visit.objects.count() == 3


def test_another_specialist_may_take_the_same_time(cast, case, make_case, speech, at, today, psychologist_a):
    plan(cast, case, speech, tomorrow_at(at, today, 10))
    visit = plan(
        cast, make_case(surname="Сейітов"), speech, tomorrow_at(at, today, 10), specialist=psychologist_a
    )
    assert visit.profession.code == "psychologist"


def test_a_cancelled_or_missed_session_frees_the_slot(cast, case, make_case, speech, at, today):
    first = plan(cast, case, speech, tomorrow_at(at, today, 10))
    visit_log(actor=cast.coordinator_a, visit=first, status="cancelled", cancellation_reason="child_ill")
    other = make_case(surname="Сейітов")
    second = plan(cast, other, speech, tomorrow_at(at, today, 10))
    # Reinstating the cancelled one would double-book the specialist now.
    with pytest.raises(ValidationError) as refused:
        visit_log(actor=cast.coordinator_a, visit=first, status="attended")
    assert "status" in refused.value.message_dict
    past = visit_log(
        actor=cast.coordinator_a,
        case=case,
        status="no_show",
        cancellation_reason="no_notice",
        starts_at=at(today - dt.timedelta(days=1), 9),
        minutes=45,
        service=speech,
        specialist=cast.specialist_a,
    )
    visit_log(
        actor=cast.coordinator_a,
        case=other,
        status="attended",
        starts_at=past.starts_at,
        minutes=45,
        service=speech,
        specialist=cast.specialist_a,
    )
    assert second.status == "planned"


def test_a_group_the_specialist_leads_holds_their_time(cast, case, make_case, speech, group_class, at, today):
    from tirek.services.services import group_activity_create

    group_activity_create(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        kind="group_class",
        topic="Сенсорлық ойындар",
        service=group_class,
        starts_at=tomorrow_at(at, today, 11),
        minutes=60,
        facilitators=[cast.specialist_a],
        cases=[case],
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        plan(cast, make_case(surname="Сейітов"), speech, tomorrow_at(at, today, 11, 30))
    assert "Сенсорлық ойындар" in refused.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError):
        group_activity_create(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            kind="seminar",
            topic="Ата-аналарға",
            service=group_class,
            starts_at=tomorrow_at(at, today, 11, 45),
            minutes=30,
            facilitators=[cast.specialist_a],
        )


def test_a_clash_in_another_organisation_does_not_name_its_case(cast, case, case_b, speech, at, today):
    Membership.objects.create(user=cast.specialist_b, organisation=cast.almaty, role="specialist")
    cast.specialist_b.forget_roles()
    plan(
        cast,
        case_b,
        speech,
        tomorrow_at(at, today, 10),
        specialist=cast.specialist_b,
        actor=cast.coordinator_b,
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        plan(cast, case, speech, tomorrow_at(at, today, 10), specialist=cast.specialist_b)
    message = refused.value.message_dict["starts_at"][0]
    assert "another organisation" in message
    assert case_b.number not in message


def test_moving_a_planned_session_onto_another_is_refused(cast, case, make_case, speech, at, today):
    plan(cast, case, speech, tomorrow_at(at, today, 10))
    second = plan(cast, make_case(surname="Сейітов"), speech, tomorrow_at(at, today, 12))
    with pytest.raises(ValidationError) as refused:
        visit_update(actor=cast.coordinator_a, visit=second, starts_at=tomorrow_at(at, today, 10, 15))
    assert "starts_at" in refused.value.message_dict
    second.refresh_from_db()
    moved = visit_update(
        actor=cast.coordinator_a, visit=second, starts_at=tomorrow_at(at, today, 14), minutes=30
    )
    assert moved.ends_at == tomorrow_at(at, today, 14, 30)
    assert [e.kind for e in second.case.events.order_by("happened_at", "id")][-2:] == [
        "visit_planned",
        "visit_planned",
    ]


# --- delivered, cancelled, no-show ------------------------------------------------------------------------


def test_a_cancelled_or_no_show_session_does_not_count_as_delivered(cast, case, speech, at, today):
    yesterday = today - dt.timedelta(days=1)
    common = {"actor": cast.specialist_a, "case": case, "minutes": 45, "service": speech}
    held = visit_log(status="attended", starts_at=at(yesterday, 9), specialist=cast.specialist_a, **common)
    visit_log(
        status="cancelled",
        cancellation_reason="child_ill",
        starts_at=at(yesterday, 10),
        specialist=cast.specialist_a,
        **common,
    )
    visit_log(
        status="no_show",
        cancellation_reason="no_notice",
        starts_at=at(yesterday, 11),
        specialist=cast.specialist_a,
        **common,
    )
    planned = plan(cast, case, speech, at(today + dt.timedelta(days=2), 9))
    assert list(delivered_visits()) == [held]
    assert list(delivered_visits(user=cast.specialist_a)) == [held]
    assert list(delivered_visits(user=cast.specialist_b)) == []
    summary = case_visit_summary(case=case)
    assert summary["by_status"] == {"planned": 1, "attended": 1, "cancelled": 1, "no_show": 1}
    assert summary["delivered_minutes"] == 45
    visit_log(actor=cast.specialist_a, visit=held, status="cancelled", cancellation_reason="family")
    assert not delivered_visits().exists()
    assert not planned.is_delivered


def test_a_session_that_did_not_take_place_needs_a_reason(cast, case, speech, at, today):
    visit = plan(cast, case, speech, at(today, 16))
    with pytest.raises(ValidationError) as refused:
        visit_log(actor=cast.specialist_a, visit=visit, status="no_show")
    assert "cancellation_reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        visit_log(actor=cast.specialist_a, visit=visit, status="planned")
    visit_log(actor=cast.specialist_a, visit=visit, status="no_show", cancellation_reason="transport")
    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_reason) == ("no_show", "transport")
    attended = visit_log(
        actor=cast.specialist_a, visit=visit, status="attended", cancellation_reason="transport"
    )
    assert attended.cancellation_reason == ""


def test_the_timeline_and_audit_trail_follow_a_session(cast, case, speech, at, today):
    visit = plan(cast, case, speech, at(today, 9))
    visit_log(actor=cast.specialist_a, visit=visit, status="attended", note="Дыбыстар [р], [л]")
    visit_log(actor=cast.specialist_a, visit=visit, status="cancelled", cancellation_reason="other")
    kinds = list(case.events.order_by("happened_at", "id").values_list("kind", flat=True))
    assert kinds[-3:] == ["visit_planned", "visit_logged", "visit_cancelled"]
    audits = AuditEvent.objects.filter(object_id=str(visit.pk)).order_by("id")
    assert [a.action for a in audits] == ["create", "update", "update"]
    assert audits[1].changes["status"] == ["planned", "attended"]
    assert all(a.subject_person_id == case.person_id for a in audits)


def test_only_intake_and_active_cases_get_new_sessions(cast, case, speech, at, today):
    # Set directly: how a case closes or is referred is the cases app's business, not this test's.
    for status in ("closed", "referred"):
        Case.objects.filter(pk=case.pk).update(status=status, closed_on=today if status == "closed" else None)
        case.refresh_from_db()
        with pytest.raises(ValidationError) as refused:
            plan(cast, case, speech, at(today + dt.timedelta(days=1), 9))
        assert "case" in refused.value.message_dict
    assert not Visit.objects.exists()


def test_dates_must_make_sense(cast, case, speech, at, today):
    with pytest.raises(ValidationError) as past:
        plan(cast, case, speech, at(today - dt.timedelta(days=1), 9))
    assert "starts_at" in past.value.message_dict
    with pytest.raises(ValidationError) as future:
        visit_log(
            actor=cast.specialist_a,
            case=case,
            status="attended",
            starts_at=at(today + dt.timedelta(days=1), 9),
            minutes=45,
            service=speech,
            specialist=cast.specialist_a,
        )
    assert "status" in future.value.message_dict
    with pytest.raises(ValidationError) as before_opening:
        visit_log(
            actor=cast.specialist_a,
            case=case,
            status="attended",
            starts_at=at(case.opened_on - dt.timedelta(days=1), 9),
            minutes=45,
            service=speech,
            specialist=cast.specialist_a,
        )
    assert "starts_at" in before_opening.value.message_dict
    with pytest.raises(ValidationError) as absurd:
        plan(cast, case, speech, at(dt.date(9999, 12, 31), 23))
    assert "starts_at" in absurd.value.message_dict


def test_a_specialist_records_only_their_own_sessions(cast, case, speech, at, today, psychologist_a):
    with pytest.raises(NotAllowed):
        plan(cast, case, speech, at(today, 15), specialist=psychologist_a, actor=cast.specialist_a)
    own = plan(cast, case, speech, at(today, 15), actor=cast.specialist_a)
    other = plan(cast, case, speech, at(today, 17), specialist=psychologist_a)
    with pytest.raises(NotAllowed):
        visit_log(actor=cast.specialist_a, visit=other, status="attended")
    assert visit_log(actor=cast.specialist_a, visit=own, status="attended").is_delivered


def test_roles_without_the_capability_are_refused(cast, case, speech, at, today, intake_a, analyst_a):
    planned = plan(cast, case, speech, at(today, 9), actor=intake_a)
    with pytest.raises(NotAllowed):
        visit_log(actor=intake_a, visit=planned, status="attended")
    with pytest.raises(NotAllowed):
        plan(cast, case, speech, at(today, 12), actor=analyst_a)
    with pytest.raises(NotAllowed):
        plan(cast, case, speech, at(today, 12), actor=cast.coordinator_b)


def test_the_specialist_must_be_a_member_and_the_service_active(cast, case, speech, at, today):
    with pytest.raises(ValidationError) as stranger:
        plan(cast, case, speech, at(today, 9), specialist=cast.specialist_b)
    assert "specialist" in stranger.value.message_dict
    retired = Service.objects.get(code="massage")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError) as inactive:
        plan(cast, case, retired, at(today, 9))
    assert "service" in inactive.value.message_dict


def test_goals_worked_on_are_kept_with_a_progress_note(cast, case, speech, at, today, plan_goal):
    goal = plan_goal.pk
    visit = visit_log(
        actor=cast.specialist_a,
        case=case,
        status="attended",
        starts_at=at(today, 8),
        minutes=30,
        service=speech,
        specialist=cast.specialist_a,
        participants=["mother", "child"],
        goals=[{"plan_goal_id": goal, "note": "Екі сөзді тіркестер"}],
    )
    assert visit.participants == ["child", "mother"]
    assert [(g.plan_goal_id, g.note) for g in visit.goals.all()] == [(goal, "Екі сөзді тіркестер")]
    with pytest.raises(ValidationError):
        visit_update(
            actor=cast.specialist_a, visit=visit, goals=[{"plan_goal_id": goal}, {"plan_goal_id": goal}]
        )
    visit_update(actor=cast.specialist_a, visit=visit, goals=[])
    assert not visit.goals.exists()


def test_a_session_links_only_goals_of_its_own_cases_plan(
    cast, case, make_case, speech, at, today, plan_goal
):
    other = make_case(surname="Сейітов", given_name="Нұр")
    with pytest.raises(ValidationError) as refused:
        visit_log(
            actor=cast.specialist_a,
            case=other,
            status="attended",
            starts_at=at(today, 8),
            minutes=30,
            service=speech,
            specialist=cast.specialist_a,
            goals=[{"plan_goal_id": plan_goal.pk, "note": "—"}],
        )
    assert "goals" in refused.value.message_dict
    assert not other.visits.exists()


# --- the bulk import ----------------------------------------------------------------------------------------


def test_an_import_writes_every_row_with_one_audit_event(cast, case, make_case, speech, at, today):
    other = make_case(surname="Сейітов")
    day = today - dt.timedelta(days=3)
    rows = [
        {
            "case": case,
            "starts_at": at(day, 9),
            "minutes": 45,
            "service": speech,
            "specialist": cast.specialist_a,
        },
        {
            "case": other,
            "starts_at": at(day, 9, 45),
            "minutes": 45,
            "service": speech,
            "specialist": cast.specialist_a,
        },
        {
            "case": other,
            "status": "cancelled",
            "cancellation_reason": "child_ill",
            "starts_at": at(day, 9, 45),
            "minutes": 45,
            "service": speech,
            "specialist": cast.specialist_a,
            "mode": "video",
        },
    ]
    audits = AuditEvent.objects.count()
    visits = visits_import_delivered(actor=cast.manager_a, organisation=cast.almaty, rows=rows)
    assert len(visits) == Visit.objects.count() == 3
    assert AuditEvent.objects.count() == audits + 1
    assert delivered_visits().count() == 2
    assert other.events.filter(kind="visit_cancelled").count() == 1


def test_an_import_with_a_bad_row_writes_nothing_and_names_the_rows(cast, case, speech, at, today):
    day = today - dt.timedelta(days=3)
    plan_row = {"case": case, "minutes": 45, "service": speech, "specialist": cast.specialist_a}
    rows = [
        {**plan_row, "starts_at": at(day, 9)},
        {**plan_row, "starts_at": at(day, 9, 30)},
        {**plan_row, "starts_at": at(day, 12), "status": "no_show"},
        {**plan_row, "starts_at": at(day, 13), "specialist": cast.specialist_b},
    ]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        visits_import_delivered(actor=cast.manager_a, organisation=cast.almaty, rows=rows)
    messages = refused.value.message_dict["rows"]
    assert any(m.startswith("Row 3:") for m in messages)
    assert any(m.startswith("Row 4:") for m in messages)
    with translation.override("en"), pytest.raises(ValidationError) as clash:
        visits_import_delivered(actor=cast.manager_a, organisation=cast.almaty, rows=rows[:2])
    assert clash.value.message_dict["rows"][0].startswith("Row 2:")
    assert not Visit.objects.exists()


def test_an_import_needs_the_right_to_log(cast, case, speech, at, today, intake_a):
    with pytest.raises(NotAllowed):
        visits_import_delivered(actor=intake_a, organisation=cast.almaty, rows=[])


def test_a_case_made_active_keeps_its_sessions(cast, case, speech, at, today):
    from tirek.people.services import consent_record, family_create, family_member_add, person_register

    mother = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омарова",
        given_name="Сәуле",
        sex="female",
        birth_date=dt.date(1995, 3, 1),
        iin_missing_reason="unknown",
    )
    family = family_create(actor=cast.coordinator_a, organisation=cast.almaty, name="Омаровтар")
    family_member_add(actor=cast.coordinator_a, family=family, person=case.person, role="child")
    family_member_add(
        actor=cast.coordinator_a, family=family, person=mother, role="mother", is_legal_representative=True
    )
    consent_record(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=case.person,
        given_by=mother,
        purposes=["services"],
        given_on=today,
    )
    visit = plan(cast, case, speech, at(today, 9))
    case_change_status(actor=cast.coordinator_a, case=case, status="active")
    assert visit_log(actor=cast.specialist_a, visit=visit, status="attended").is_delivered


def test_an_import_keeps_the_goals_worked_on_and_refuses_another_cases_goal(
    cast, case, make_case, speech, at, today, plan_goal
):
    day = today - dt.timedelta(days=2)
    row = {"case": case, "minutes": 45, "service": speech, "specialist": cast.specialist_a}
    note = {"plan_goal_id": plan_goal.pk, "note": "Алғаш рет өздігінен сұрады"}
    other = make_case(surname="Сейітов")
    with pytest.raises(ValidationError) as refused:
        visits_import_delivered(
            actor=cast.manager_a,
            organisation=cast.almaty,
            rows=[
                {**row, "starts_at": at(day, 9), "goals": [note]},
                {**row, "case": other, "starts_at": at(day, 11), "goals": [note]},
            ],
        )
    assert refused.value.messages == ["Жол 2: Мақсаттарды іс жоспарынан таңдаңыз."]  # Kazakh, the default
    assert not case.visits.exists()
    [visit] = visits_import_delivered(
        actor=cast.manager_a,
        organisation=cast.almaty,
        rows=[{**row, "starts_at": at(day, 9), "goals": [note]}],
    )
    assert [(g.plan_goal, g.note) for g in visit.goals.all()] == [(plan_goal, "Алғаш рет өздігінен сұрады")]
