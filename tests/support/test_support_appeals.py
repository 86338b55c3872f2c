from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.models import CaseEvent
from tirek.core.errors import NotAllowed
from tirek.notifications.models import Notification
from tirek.people.models import Person
from tirek.support.choices import AppealStatus
from tirek.support.models import Appeal, AppealEvent, Outcome
from tirek.support.services import (
    appeal_assign,
    appeal_deadline_set,
    appeal_forward,
    appeal_link_case,
    appeal_register,
    appeal_register_helpline,
    appeal_reject,
    appeal_resolve,
    appeal_start,
    appeal_update,
    appeal_withdraw,
)


def received(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def test_the_due_date_follows_the_categorys_default_deadline(cast, person, today):
    for category, days in (("housing", 30), ("legal_help", 10), ("psychological_help", 3), ("other", 15)):
        appeal = appeal_register(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            person=person,
            category=category,
            channel="walk_in",
            text="Көмек сұрайды",
        )
        assert appeal.due_on == today + dt.timedelta(days=days)
    late = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        category="financial_aid",
        channel="letter",
        text="Хат",
        received_at=received(4),
    )
    assert late.due_on == timezone.localdate(late.received_at) + dt.timedelta(days=15)


def test_an_edited_deadline_sets_the_due_date_of_new_appeals_only(cast, appeal, person, today):
    deadline = appeal_deadline_set(actor=cast.manager_a, organisation=cast.almaty, category="housing", days=7)
    assert AuditEvent.objects.filter(
        object_type="support.appealdeadline", object_id=str(deadline.pk)
    ).exists()
    again = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        category="housing",
        channel="walk_in",
        text="Тағы да",
    )
    assert again.due_on == today + dt.timedelta(days=7)
    appeal.refresh_from_db()
    assert appeal.due_on == today + dt.timedelta(days=30)
    other = appeal_register(
        actor=cast.coordinator_b,
        organisation=cast.shymkent,
        category="housing",
        channel="phone",
        text="Шымкент",
    )
    assert other.due_on == today + dt.timedelta(days=30)


def test_only_managers_set_deadlines_and_within_a_year(cast):
    with pytest.raises(NotAllowed):
        appeal_deadline_set(actor=cast.coordinator_a, organisation=cast.almaty, category="housing", days=7)
    with pytest.raises(ValidationError) as error:
        appeal_deadline_set(actor=cast.manager_a, organisation=cast.almaty, category="housing", days=400)
    assert "days" in error.value.message_dict
    with pytest.raises(ValidationError):
        appeal_deadline_set(actor=cast.manager_a, organisation=cast.almaty, category="nonsense", days=7)


def test_appeals_are_numbered_per_organisation_and_year(cast, person, person_b, appeal, appeal_b):
    year = timezone.localdate().year
    assert appeal.number == f"A-{year}-00001" and appeal_b.number == f"A-{year}-00001"
    second = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        category="documents",
        channel="online",
        text="Туу туралы куәлік",
    )
    assert second.number == f"A-{year}-00002"


def test_an_anonymous_helpline_call_never_creates_a_person(cast, intake_a, today):
    persons = Person.objects.count()
    appeal = appeal_register_helpline(
        actor=intake_a,
        organisation=cast.almaty,
        category="psychological_help",
        text="Жалғыз қалдым, не істерімді білмеймін.",
        anonymous=True,
        caller_name="анонимді, түлек, 19",
        caller_phone="+77011234567",
    )
    assert Person.objects.count() == persons
    assert appeal.person is None and appeal.is_anonymous
    assert (appeal.channel, appeal.caller, appeal.caller_phone) == ("helpline_150", "анонимді, түлек, 19", "")
    assert appeal.due_on == today + dt.timedelta(days=3)
    named = appeal_register_helpline(
        actor=intake_a,
        organisation=cast.almaty,
        category="housing",
        text="Жатақхана",
        channel="helpline_111",
        caller_name="Дана",
        caller_phone="+77017654321",
    )
    assert Person.objects.count() == persons and named.person is None
    assert (named.caller, named.caller_phone) == ("Дана", "+77017654321")


def test_a_helpline_call_needs_a_caller_or_anonymous(cast, intake_a, person):
    with pytest.raises(ValidationError) as error:
        appeal_register_helpline(actor=intake_a, organisation=cast.almaty, category="housing", text="?")
    assert "anonymous" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        appeal_register_helpline(
            actor=intake_a,
            organisation=cast.almaty,
            category="housing",
            text="?",
            anonymous=True,
            person=person,
        )
    assert "person" in error.value.message_dict
    linked = appeal_register_helpline(
        actor=intake_a, organisation=cast.almaty, category="housing", text="Пәтер", person=person
    )
    assert linked.person == person


def test_registration_refuses_what_the_organisation_does_not_serve(cast, person_b, person):
    with pytest.raises(ValidationError) as error:
        appeal_register(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            person=person_b,
            category="housing",
            channel="walk_in",
            text="?",
        )
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        appeal_register(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            person=person,
            category="housing",
            channel="walk_in",
            text="?",
            received_at=timezone.now() + dt.timedelta(days=1),
        )
    assert "received_at" in error.value.message_dict
    with pytest.raises(NotAllowed):
        appeal_register(
            actor=cast.analyst, organisation=cast.almaty, category="housing", channel="walk_in", text="?"
        )


def test_the_assignee_must_be_a_member_and_is_notified(cast, appeal, analyst_a):
    with pytest.raises(ValidationError) as error:
        appeal_assign(actor=cast.coordinator_a, appeal=appeal, assignee=cast.specialist_b)
    assert "assignee" in error.value.message_dict
    with pytest.raises(ValidationError):
        appeal_assign(actor=cast.coordinator_a, appeal=appeal, assignee=cast.outsider)
    with pytest.raises(ValidationError):
        appeal_assign(actor=cast.coordinator_a, appeal=appeal, assignee=analyst_a)
    appeal_assign(actor=cast.coordinator_a, appeal=appeal, assignee=cast.specialist_a)
    appeal.refresh_from_db()
    assert appeal.assignee == cast.specialist_a
    notice = Notification.objects.get(recipient=cast.specialist_a)
    assert notice.kind == "appeal_assigned" and notice.params["number"] == appeal.number
    assert notice.link == f"/support/appeals/{appeal.pk}/"
    assert appeal.events.filter(kind="assigned").count() == 1
    assert AuditEvent.objects.filter(
        object_id=str(appeal.pk), action="update", changes__has_key="assignee"
    ).exists()
    appeal_assign(actor=cast.coordinator_a, appeal=appeal, assignee=cast.specialist_a)
    assert Notification.objects.filter(recipient=cast.specialist_a).count() == 1


def test_registering_with_an_assignee_notifies_them(cast, person):
    appeal = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        category="employment",
        channel="walk_in",
        text="Жұмыс іздейді",
        assignee=cast.specialist_a,
    )
    assert Notification.objects.filter(recipient=cast.specialist_a, kind="appeal_assigned").count() == 1
    assert list(appeal.events.order_by("id").values_list("kind", flat=True)) == ["registered", "assigned"]


def test_starting_takes_the_appeal_and_moves_it_into_work(cast, appeal):
    appeal_start(actor=cast.specialist_a, appeal=appeal)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assignee) == ("in_progress", cast.specialist_a)
    with pytest.raises(ValidationError) as error:
        appeal_start(actor=cast.specialist_a, appeal=appeal)
    assert "status" in error.value.message_dict


def test_every_transition_is_allowed_or_refused_by_the_flow(cast, person, make_person):
    other = cast.shymkent

    def fresh():
        return appeal_register(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            person=person,
            category="benefits",
            channel="walk_in",
            text="Жәрдемақы",
        )

    acts = {
        "in_progress": lambda a: appeal_start(actor=cast.coordinator_a, appeal=a),
        "forwarded": lambda a: appeal_forward(
            actor=cast.coordinator_a, appeal=a, to_organisation=other, note="Әкімдік"
        ),
        "resolved": lambda a: appeal_resolve(
            actor=cast.coordinator_a, appeal=a, resolution="Жәрдемақы тағайындалды", result="satisfied"
        ),
        "rejected": lambda a: appeal_reject(actor=cast.coordinator_a, appeal=a, resolution="Құқығы жоқ"),
        "withdrawn": lambda a: appeal_withdraw(actor=cast.coordinator_a, appeal=a, note="Өзі бас тартты"),
    }
    reach = {
        "registered": [],
        "in_progress": ["in_progress"],
        "forwarded": ["forwarded"],
        "resolved": ["resolved"],
        "rejected": ["rejected"],
        "withdrawn": ["withdrawn"],
    }
    allowed = {
        "registered": {"in_progress", "forwarded", "resolved", "rejected", "withdrawn"},
        "in_progress": {"forwarded", "resolved", "rejected", "withdrawn"},
        "forwarded": {"in_progress", "resolved", "rejected", "withdrawn"},
        "resolved": set(),
        "rejected": set(),
        "withdrawn": set(),
    }
    for start, path in reach.items():
        for target, act in acts.items():
            appeal = fresh()
            for step in path:
                acts[step](appeal)
            assert appeal.status == start
            if target in allowed[start]:
                act(appeal)
                appeal.refresh_from_db()
                assert appeal.status == target, (start, target)
                assert appeal.events.filter(kind={"in_progress": "started"}.get(target, target)).exists()
                assert AuditEvent.objects.filter(
                    object_id=str(appeal.pk), changes__status=[start, target]
                ).exists()
            else:
                with pytest.raises(ValidationError):
                    act(appeal)
                appeal.refresh_from_db()
                assert appeal.status == start, (start, target)


def test_closing_records_the_answer_and_the_day(cast, appeal, today):
    with pytest.raises(ValidationError) as error:
        appeal_resolve(actor=cast.coordinator_a, appeal=appeal, resolution="", result="")
    assert {"resolution", "result"} <= set(error.value.message_dict)
    appeal.refresh_from_db()
    appeal_resolve(
        actor=cast.coordinator_a, appeal=appeal, resolution="Кезекке қойылды", result="partly_satisfied"
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.result, appeal.closed_on) == ("resolved", "partly_satisfied", today)
    assert not appeal.is_open and not appeal.is_overdue


def test_forwarding_needs_another_organisation(cast, appeal):
    with pytest.raises(ValidationError) as error:
        appeal_forward(actor=cast.coordinator_a, appeal=appeal, to_organisation=cast.almaty)
    assert "forwarded_to" in error.value.message_dict
    appeal_forward(
        actor=cast.coordinator_a, appeal=appeal, to_organisation=cast.ministry, note="Министрлікке"
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.forwarded_to, appeal.forward_note) == (
        "forwarded",
        cast.ministry,
        "Министрлікке",
    )
    assert appeal.is_open


def test_a_role_without_the_capability_handles_nothing(cast, appeal, analyst_a):
    for act in (
        lambda: appeal_start(actor=analyst_a, appeal=appeal),
        lambda: appeal_assign(actor=analyst_a, appeal=appeal, assignee=cast.specialist_a),
        lambda: appeal_reject(actor=analyst_a, appeal=appeal, resolution="—"),
        lambda: appeal_update(actor=analyst_a, appeal=appeal, text="—"),
        lambda: appeal_start(actor=cast.coordinator_b, appeal=appeal),
    ):
        with pytest.raises(NotAllowed):
            act()
    appeal.refresh_from_db()
    assert appeal.status == "registered"


def test_resolving_with_an_outcome_records_it_on_the_appeal_and_the_case(cast, appeal, case, today):
    appeal_link_case(actor=cast.coordinator_a, appeal=appeal, case=case)
    linked = CaseEvent.objects.get(case=case, kind="appeal_linked")
    assert linked.data == {"appeal": str(appeal.pk), "detail": appeal.number}
    appeal_resolve(
        actor=cast.coordinator_a,
        appeal=appeal,
        resolution="Әкімдік пәтер берді",
        result="satisfied",
        outcome_kind="flat_allocated",
    )
    outcome = Outcome.objects.get(appeal=appeal)
    assert (outcome.person, outcome.case, outcome.kind, outcome.happened_on) == (
        appeal.person,
        case,
        "flat_allocated",
        today,
    )
    assert CaseEvent.objects.filter(case=case, kind="outcome_recorded").exists()
    assert AppealEvent.objects.filter(appeal=appeal, kind="outcome_recorded").exists()
    assert AuditEvent.objects.filter(
        object_id=str(outcome.pk), action="create", subject_person_id=appeal.person_id
    ).exists()


def test_an_intake_operator_resolves_without_recording_an_outcome(cast, appeal, intake_a):
    with pytest.raises(NotAllowed):
        appeal_resolve(
            actor=intake_a, appeal=appeal, resolution="Берілді", result="satisfied", outcome_kind="job_found"
        )
    appeal.refresh_from_db()
    assert appeal.status == "registered" and not Outcome.objects.exists()
    appeal_resolve(actor=intake_a, appeal=appeal, resolution="Кеңес берілді", result="explained")
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.RESOLVED


def test_an_anonymous_appeal_has_no_outcome_or_case(cast, intake_a, case):
    appeal = appeal_register_helpline(
        actor=intake_a, organisation=cast.almaty, category="legal_help", text="?", anonymous=True
    )
    with pytest.raises(ValidationError) as error:
        appeal_resolve(
            actor=cast.coordinator_a,
            appeal=appeal,
            resolution="—",
            result="explained",
            outcome_kind="job_found",
        )
    assert "outcome_kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        appeal_link_case(actor=cast.coordinator_a, appeal=appeal, case=case)
    assert "case" in error.value.message_dict


def test_a_case_of_another_person_cannot_be_linked(cast, appeal, make_person):
    from tirek.cases.services import case_open

    other = case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=make_person(surname="Сейітов"),
        programme=cast.programme_a,
        referral_source="self",
        opened_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        appeal_link_case(actor=cast.coordinator_a, appeal=appeal, case=other)
    assert not CaseEvent.objects.filter(kind="appeal_linked").exists()


def test_updating_corrects_details_and_moving_the_due_date_needs_a_manager(cast, appeal, today):
    appeal_update(actor=cast.coordinator_a, appeal=appeal, category="documents", text="Құжаттар")
    appeal.refresh_from_db()
    assert (appeal.category, appeal.text) == ("documents", "Құжаттар")
    assert appeal.events.filter(kind="updated", data__fields=["category", "text"]).exists()
    with pytest.raises(NotAllowed):
        appeal_update(actor=cast.coordinator_a, appeal=appeal, due_on=today + dt.timedelta(days=60))
    appeal_update(actor=cast.manager_a, appeal=appeal, due_on=today + dt.timedelta(days=60))
    appeal.refresh_from_db()
    assert appeal.due_on == today + dt.timedelta(days=60)
    with pytest.raises(ValidationError):
        appeal_update(actor=cast.coordinator_a, appeal=appeal, number="X")
    appeal_withdraw(actor=cast.coordinator_a, appeal=appeal)
    with pytest.raises(ValidationError):
        appeal_update(actor=cast.coordinator_a, appeal=appeal, text="Кеш")


def test_every_appeal_write_leaves_an_audit_event(cast, appeal, case):
    assert AuditEvent.objects.filter(
        object_type="support.appeal",
        object_id=str(appeal.pk),
        action="create",
        subject_person_id=appeal.person_id,
    ).exists()
    before = AuditEvent.objects.filter(object_id=str(appeal.pk)).count()
    appeal_assign(actor=cast.coordinator_a, appeal=appeal, assignee=cast.specialist_a)
    appeal_start(actor=cast.specialist_a, appeal=appeal)
    appeal_link_case(actor=cast.coordinator_a, appeal=appeal, case=case)
    appeal_update(actor=cast.coordinator_a, appeal=appeal, text="Жаңа мәтін")
    appeal_forward(actor=cast.coordinator_a, appeal=appeal, to_organisation=cast.ministry)
    appeal_withdraw(actor=cast.coordinator_a, appeal=appeal, note="Кетті")
    assert AuditEvent.objects.filter(object_id=str(appeal.pk)).count() == before + 6
    kinds = list(appeal.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["registered", "assigned", "started", "case_linked", "updated", "forwarded", "withdrawn"]


def test_an_appeal_answered_earlier_is_closed_on_that_day(cast, person):
    appeal = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        category="housing",
        channel="letter",
        text="Хат",
        received_at=received(20),
    )
    received_on = timezone.localdate(appeal.received_at)
    for wrong in (received_on - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            appeal_reject(actor=cast.coordinator_a, appeal=appeal, resolution="—", closed_on=wrong)
        assert "closed_on" in error.value.message_dict
    appeal.refresh_from_db()
    appeal_resolve(
        actor=cast.coordinator_a,
        appeal=appeal,
        resolution="Кезекке қойылды",
        result="satisfied",
        outcome_kind="rent_support",
        closed_on=received_on + dt.timedelta(days=5),
    )
    appeal.refresh_from_db()
    assert appeal.closed_on == received_on + dt.timedelta(days=5)
    assert Outcome.objects.get(appeal=appeal).happened_on == appeal.closed_on
