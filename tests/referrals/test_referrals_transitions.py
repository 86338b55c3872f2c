"""Every state of a referral: accepted (the receiver opens its own case), declined with a reason, completed,
revoked by the sender; each by the right role only, refused from the wrong state, and recorded in the
referral's history and on the timelines of both organisations' cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.audit.models import AuditEvent
from tirek.cases.models import CaseEvent
from tirek.core.errors import NotAllowed
from tirek.notifications.models import Notification
from tirek.people.models import PersonAccess
from tirek.referrals.models import Referral
from tirek.referrals.services import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_record_external,
    referral_revoke,
)


def kinds(referral) -> list[str]:
    return list(referral.events.values_list("kind", flat=True))


def timeline(case) -> list[str]:
    return sorted(
        CaseEvent.objects.filter(case=case, kind__startswith="referral").values_list("kind", flat=True)
    )


def accept(cast, referral, actor=None):
    return referral_accept(actor=actor or cast.coordinator_b, referral=referral, programme=cast.programme_b)


def test_accepting_opens_the_receivers_own_case_from_the_day_it_was_sent(cast, referral, case_a):
    sent_on = timezone.localdate() - dt.timedelta(days=6)
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - dt.timedelta(days=6))
    referral.refresh_from_db()
    accepted = referral_accept(
        actor=cast.coordinator_b,
        referral=referral,
        programme=cast.programme_b,
        coordinator=cast.coordinator_b,
    )
    case_b = accepted.to_case
    assert accepted.status == "accepted"
    assert accepted.days_to_accept == 6
    assert accepted.responded_by == cast.coordinator_b
    assert (case_b.organisation, case_b.programme, case_b.person) == (
        cast.shymkent,
        cast.programme_b,
        case_a.person,
    )
    assert case_b.referral_received_on == sent_on
    assert case_b.referral_source == "organisation"
    assert case_b.coordinator == cast.coordinator_b
    assert timeline(case_b) == ["referral_received"]
    assert timeline(case_a) == ["referral_accepted", "referral_sent"]
    assert kinds(accepted) == ["sent", "accepted"]
    assert AuditEvent.objects.filter(
        object_id=str(referral.pk),
        action="update",
        organisation=cast.shymkent,
        subject_person_id=case_a.person_id,
    ).exists()
    notified = set(Notification.objects.filter(kind="referral_accepted").values_list("recipient", flat=True))
    assert notified == {cast.coordinator_a.pk}  # the sender, who is also the case's coordinator


def test_the_sender_and_the_case_coordinator_hear_of_the_answer(cast, send, case_a):
    referral = send(actor=cast.manager_a)
    accept(cast, referral)
    notified = set(Notification.objects.filter(kind="referral_accepted").values_list("recipient", flat=True))
    assert notified == {cast.manager_a.pk, cast.coordinator_a.pk}
    assert (
        Notification.objects.get(recipient=cast.manager_a, kind="referral_accepted").organisation
        == cast.almaty
    )


def test_declining_needs_a_reason_and_takes_the_person_away_from_the_receiver(cast, referral, case_a):
    with pytest.raises(ValidationError) as error:
        referral_decline(actor=cast.coordinator_b, referral=referral, reason="  ")
    assert "reason" in error.value.message_dict
    declined = referral_decline(actor=cast.manager_b, referral=referral, reason="Орын жоқ")
    assert (declined.status, declined.decline_reason, declined.days_to_accept) == (
        "declined",
        "Орын жоқ",
        None,
    )
    assert not PersonAccess.objects.filter(organisation=cast.shymkent, person=case_a.person).exists()
    assert timeline(case_a) == ["referral_declined", "referral_sent"]
    assert kinds(declined) == ["sent", "declined"]
    assert Notification.objects.filter(kind="referral_declined", recipient=cast.coordinator_a).exists()


def test_completing_is_recorded_on_both_cases(cast, referral, case_a):
    accepted = accept(cast, referral)
    completed = referral_complete(actor=cast.coordinator_b, referral=accepted, note="Курс аяқталды")
    assert (completed.status, completed.completion_note, completed.completed_by) == (
        "completed",
        "Курс аяқталды",
        cast.coordinator_b,
    )
    assert timeline(completed.to_case) == ["referral_completed", "referral_received"]
    assert timeline(case_a) == ["referral_accepted", "referral_completed", "referral_sent"]
    assert kinds(completed) == ["sent", "accepted", "completed"]
    assert Notification.objects.filter(kind="referral_completed", recipient=cast.coordinator_a).exists()


def test_the_sender_revokes_a_sent_referral_and_the_receiver_loses_the_person(cast, referral, case_a):
    with pytest.raises(ValidationError):
        referral_revoke(actor=cast.coordinator_a, referral=referral, reason="")
    revoked = referral_revoke(actor=cast.coordinator_a, referral=referral, reason="Отбасы көшпейтін болды")
    assert (revoked.status, revoked.revoked_by) == ("revoked", cast.coordinator_a)
    assert not PersonAccess.objects.filter(organisation=cast.shymkent, person=case_a.person).exists()
    assert timeline(case_a) == ["referral_revoked", "referral_sent"]
    notified = set(Notification.objects.filter(kind="referral_revoked").values_list("recipient", flat=True))
    assert notified == {cast.coordinator_b.pk, cast.manager_b.pk}


def test_revoking_an_accepted_referral_leaves_the_receivers_own_case(cast, referral, case_a):
    accepted = accept(cast, referral)
    revoked = referral_revoke(actor=cast.manager_a, referral=accepted, reason="Қате жіберілді")
    assert timeline(revoked.to_case) == ["referral_received", "referral_revoked"]
    assert timeline(case_a) == ["referral_accepted", "referral_revoked", "referral_sent"]
    # The receiver opened its own case: that is its own ground to see the person.
    assert PersonAccess.objects.filter(organisation=cast.shymkent, person=case_a.person).exists()


def test_each_answer_belongs_to_the_receiver_and_revoking_to_the_sender(cast, referral, intake_b):
    for actor in (cast.coordinator_a, cast.manager_a, cast.specialist_b, cast.analyst, cast.admin):
        with pytest.raises(NotAllowed):
            accept(cast, referral, actor=actor)
        with pytest.raises(NotAllowed):
            referral_decline(actor=actor, referral=referral, reason="x")
    for actor in (cast.coordinator_b, cast.manager_b, cast.specialist_a, cast.admin):
        with pytest.raises(NotAllowed):
            referral_revoke(actor=actor, referral=referral, reason="x")
    accepted = accept(cast, referral, actor=intake_b)  # intake answers referrals too
    for actor in (cast.coordinator_a, cast.specialist_b):
        with pytest.raises(NotAllowed):
            referral_complete(actor=actor, referral=accepted)
    assert Referral.objects.get().status == "accepted"


def test_illegal_transitions_are_refused_with_a_message_on_the_status(cast, referral):
    with pytest.raises(ValidationError) as error:
        referral_complete(actor=cast.coordinator_b, referral=referral)
    assert "status" in error.value.message_dict
    referral_decline(actor=cast.coordinator_b, referral=referral, reason="Орын жоқ")
    for act in (
        lambda: accept(cast, referral),
        lambda: referral_decline(actor=cast.coordinator_b, referral=referral, reason="x"),
        lambda: referral_complete(actor=cast.coordinator_b, referral=referral),
        lambda: referral_revoke(actor=cast.coordinator_a, referral=referral, reason="x"),
    ):
        with pytest.raises(ValidationError) as error:
            act()
        assert "status" in error.value.message_dict
    assert kinds(referral) == ["sent", "declined"]


def test_a_completed_referral_can_be_neither_revoked_nor_accepted_again(cast, referral):
    referral_complete(actor=cast.coordinator_b, referral=accept(cast, referral))
    for act in (
        lambda: referral_revoke(actor=cast.coordinator_a, referral=referral, reason="x"),
        lambda: accept(cast, referral),
    ):
        with pytest.raises(ValidationError) as error:
            act()
        assert "status" in error.value.message_dict


def test_a_failed_accept_writes_nothing(cast, referral):
    with pytest.raises(ValidationError) as error:
        referral_accept(actor=cast.coordinator_b, referral=referral, programme=cast.programme_a)
    assert "programme" in error.value.message_dict
    referral.refresh_from_db()
    assert (referral.status, referral.to_case) == ("sent", None)
    assert kinds(referral) == ["sent"]


def test_an_external_referral_is_recorded_by_the_receiver_and_answered_like_any_other(cast, intake_b):
    from tirek.people.services import person_register

    person = person_register(
        actor=intake_b,
        organisation=cast.shymkent,
        surname="Сейітов",
        given_name="Нұрислам",
        sex="male",
        birth_date=timezone.localdate() - dt.timedelta(days=300),
        iin_missing_reason="newborn",
    )
    received_on = timezone.localdate() - dt.timedelta(days=3)
    referral = referral_record_external(
        actor=intake_b,
        organisation=cast.shymkent,
        person=person,
        external_source="polyclinic",
        external_source_name="№5 емхана",
        reason="Моторлық даму тежелген",
        received_on=received_on,
    )
    assert (referral.from_organisation, referral.status, referral.external_source) == (
        None,
        "sent",
        "polyclinic",
    )
    assert referral.sender_label.endswith(" · №5 емхана")
    assert kinds(referral) == ["recorded"]
    assert set(Notification.objects.filter(kind="referral_received").values_list("recipient", flat=True)) == {
        cast.coordinator_b.pk,
        cast.manager_b.pk,
    }
    with pytest.raises(ValidationError):
        referral_revoke(actor=cast.manager_b, referral=referral, reason="x")
    accepted = accept(cast, referral)
    assert accepted.days_to_accept == 3
    assert (accepted.to_case.referral_source, accepted.to_case.referral_received_on) == (
        "polyclinic",
        received_on,
    )
    with pytest.raises(ValidationError):
        referral_decline(actor=cast.coordinator_b, referral=accepted, reason="x")


def test_an_external_referral_needs_a_person_the_receiver_sees_and_an_outside_source(cast, child, intake_b):
    fields = {"actor": intake_b, "organisation": cast.shymkent, "reason": "x"}
    with pytest.raises(ValidationError) as error:
        referral_record_external(person=child, external_source="pmpk", **fields)
    assert "person" in error.value.message_dict
    with pytest.raises(NotAllowed):
        referral_record_external(
            actor=cast.specialist_b,
            organisation=cast.shymkent,
            person=child,
            external_source="pmpk",
            reason="x",
        )
    from tirek.people.services import grant_access

    grant_access(person=child, organisation=cast.shymkent, reason="registered")
    with pytest.raises(ValidationError) as error:
        referral_record_external(person=child, external_source="organisation", **fields)
    assert "external_source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        referral_record_external(
            person=child,
            external_source="pmpk",
            received_on=timezone.localdate() + dt.timedelta(days=1),
            **fields,
        )
    assert "received_on" in error.value.message_dict


def test_the_receiver_keeps_the_person_when_it_has_another_ground(cast, send, case_a, child):
    from tirek.cases.services import case_open

    first = send()
    case_open(
        actor=cast.coordinator_b,
        organisation=cast.shymkent,
        person=child,
        programme=cast.programme_b,
        referral_source="self",
    )
    referral_decline(actor=cast.coordinator_b, referral=first, reason="Бізде бар")
    assert PersonAccess.objects.filter(organisation=cast.shymkent, person=child).exists()


def test_every_step_leaves_an_audit_event_about_the_person(cast, send, case_a):
    first = send()
    referral_complete(actor=cast.coordinator_b, referral=accept(cast, first), note="Болды")
    second = send()
    referral_revoke(actor=cast.coordinator_a, referral=second, reason="Қате")
    third = send()
    referral_decline(actor=cast.coordinator_b, referral=third, reason="Орын жоқ")
    for referral, steps in (
        (first, ["create", "update", "update"]),
        (second, ["create", "update"]),
        (third, ["create", "update"]),
    ):
        events = (
            AuditEvent.objects.filter(object_id=str(referral.pk))
            .exclude(action="view")
            .order_by("created_at", "id")
        )
        assert list(events.values_list("action", flat=True)) == steps
        assert set(events.values_list("subject_person_id", flat=True)) == {case_a.person_id}
