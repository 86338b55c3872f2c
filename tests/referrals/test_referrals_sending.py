"""Sending a referral: the consent gate, a manager's override, the receivers a referral may go to, and what
sending leaves behind (access for the receiver, history, timeline, audit, notifications)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from tirek.audit.models import AuditEvent
from tirek.cases.models import CaseEvent
from tirek.core.errors import NotAllowed
from tirek.directory.models import Partnership
from tirek.notifications.models import Notification
from tirek.people.models import PersonAccess
from tirek.people.services import consent_record, consent_withdraw
from tirek.referrals.models import Referral, ReferralEvent
from tirek.referrals.services import referral_send


def test_a_referral_without_a_covering_consent_is_refused(cast, case_a):
    with pytest.raises(ValidationError) as error:
        referral_send(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            to_organisation=cast.shymkent,
            from_case=case_a,
            reason="Көшіп жатыр",
        )
    assert "consent" in error.value.message_dict
    assert not Referral.objects.exists()
    assert not PersonAccess.objects.filter(organisation=cast.shymkent).exists()


def test_a_consent_for_another_organisation_or_withdrawn_does_not_cover_it(cast, case_a, child):
    other = consent_record(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        given_by=child.mother,
        purposes=["sharing"],
        given_on=timezone.localdate(),
        shared_with=[cast.ministry],
    )
    services_only = consent_record(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        given_by=child.mother,
        purposes=["services"],
        given_on=timezone.localdate(),
        share_with_referral_targets=True,
    )
    kwargs = {"actor": cast.coordinator_a, "organisation": cast.almaty, "from_case": case_a, "reason": "x"}
    for consent in (other, services_only):
        with pytest.raises(ValidationError) as error:
            referral_send(to_organisation=cast.shymkent, consent=consent, **kwargs)
        assert "consent" in error.value.message_dict
    wide = consent_record(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        given_by=child.mother,
        purposes=["sharing"],
        given_on=timezone.localdate(),
        share_with_referral_targets=True,
    )
    consent_withdraw(actor=cast.coordinator_a, consent=wide, withdrawn_by="Мама")
    with pytest.raises(ValidationError):
        referral_send(to_organisation=cast.shymkent, **kwargs)


def test_a_consent_to_share_with_any_referral_target_covers_it(cast, case_a, child):
    consent = consent_record(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        given_by=child.mother,
        purposes=["services", "sharing"],
        given_on=timezone.localdate(),
        share_with_referral_targets=True,
    )
    referral = referral_send(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        to_organisation=cast.shymkent,
        from_case=case_a,
        reason="Көшіп жатыр",
    )
    assert referral.consent == consent


def test_a_manager_may_send_without_consent_giving_a_reason_and_it_is_audited(cast, case_a):
    referral = referral_send(
        actor=cast.manager_a,
        organisation=cast.almaty,
        to_organisation=cast.shymkent,
        from_case=case_a,
        reason="Бала қауіпті жағдайда",
        urgency="emergency",
        consent_override_reason="Ата-анасы хабарласпайды, бала қауіпте",
    )
    assert referral.consent is None
    assert referral.consent_override_reason == "Ата-анасы хабарласпайды, бала қауіпте"
    override = AuditEvent.objects.get(object_id=str(referral.pk), note__startswith="consent override")
    assert override.actor == cast.manager_a
    assert override.subject_person_id == case_a.person_id
    assert override.changes == {"consent_override_reason": [None, referral.consent_override_reason]}


def test_a_coordinator_cannot_override_the_consent(cast, case_a):
    with pytest.raises(NotAllowed):
        referral_send(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            to_organisation=cast.shymkent,
            from_case=case_a,
            reason="x",
            consent_override_reason="Шұғыл",
        )
    assert not Referral.objects.exists()


def test_sending_needs_the_role(cast, case_a, consent_for_b, intake_b):
    for actor in (cast.specialist_a, cast.analyst):
        with pytest.raises(NotAllowed):
            referral_send(
                actor=actor,
                organisation=cast.almaty,
                to_organisation=cast.shymkent,
                from_case=case_a,
                reason="x",
            )


def test_a_referral_goes_neither_to_its_own_organisation_nor_to_an_inactive_one(send, cast):
    with pytest.raises(ValidationError) as error:
        send(to_organisation=cast.almaty)
    assert "to_organisation" in error.value.message_dict
    cast.shymkent.is_active = False
    cast.shymkent.save()
    with pytest.raises(ValidationError) as error:
        send()
    assert "to_organisation" in error.value.message_dict


def test_an_organisation_that_refers_only_to_partners_needs_a_memorandum_in_force(send, cast):
    cast.almaty.referrals_partners_only = True
    cast.almaty.save()
    with pytest.raises(ValidationError) as error:
        send()
    assert "to_organisation" in error.value.message_dict
    today = timezone.localdate()
    expired = Partnership.objects.create(
        title="Ескі меморандум",
        signed_on=today - dt.timedelta(days=800),
        valid_until=today - dt.timedelta(days=1),
    )
    expired.parties.set([cast.almaty, cast.shymkent])
    with pytest.raises(ValidationError):
        send()
    memorandum = Partnership.objects.create(title="Меморандум", signed_on=today - dt.timedelta(days=10))
    memorandum.parties.set([cast.almaty, cast.shymkent])
    assert send().status == "sent"


def test_a_second_open_referral_of_the_same_person_to_the_same_organisation_is_refused(send):
    send()
    with pytest.raises(ValidationError) as error:
        send()
    assert "to_organisation" in error.value.message_dict


def test_only_a_referral_from_a_case_shares_the_case_parts(cast, child, consent_for_b):
    with pytest.raises(ValidationError) as error:
        referral_send(
            actor=cast.coordinator_a,
            organisation=cast.almaty,
            to_organisation=cast.shymkent,
            person=child,
            reason="x",
            shared_parts=["plan"],
        )
    assert "shared_parts" in error.value.message_dict
    referral = referral_send(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        to_organisation=cast.shymkent,
        person=child,
        reason="x",
        shared_parts=["health", "contacts"],
    )
    assert referral.shared_parts == ["contacts", "health"]
    assert referral.from_case is None


def test_sending_leaves_its_history_timeline_audit_access_and_notifications(
    send, cast, case_a, intake_b, member
):
    specialist_b_notified = cast.specialist_b
    referral = send()
    assert referral.number.startswith("T-R-")
    assert referral.status == "sent"
    assert PersonAccess.objects.get(organisation=cast.shymkent, person=case_a.person).reason == "referral"
    assert list(ReferralEvent.objects.filter(referral=referral).values_list("kind", "organisation")) == [
        ("sent", cast.almaty.pk)
    ]
    event = CaseEvent.objects.get(case=case_a, kind="referral_sent")
    assert referral.number in event.data["detail"]
    assert AuditEvent.objects.filter(object_id=str(referral.pk), action="create").exists()
    notified = set(Notification.objects.filter(kind="referral_received").values_list("recipient", flat=True))
    assert notified == {intake_b.pk, cast.coordinator_b.pk, cast.manager_b.pk}
    assert specialist_b_notified.pk not in notified
    notice = Notification.objects.filter(recipient=cast.manager_b).get()
    assert notice.organisation == cast.shymkent
    assert notice.link == f"/referrals/{referral.pk}/"
    assert notice.params["number"] == referral.number
    assert notice.params["counterpart"]["ru"] == cast.almaty.name_ru  # read in the reader's language
    with override("ru"):
        assert referral.number in notice.message and cast.almaty.name_ru in notice.message


def test_referral_numbers_run_per_sending_organisation(send, cast, child):
    first = send()
    second = send(actor=cast.manager_a, to_organisation=cast.ministry, consent_override_reason="Шұғыл")
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"T-R-{year}-00001", f"T-R-{year}-00002")
