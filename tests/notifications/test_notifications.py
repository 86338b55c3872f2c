"""Notifications: the bell, the list, the API, e-mails only after commit, and the deadline reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from tirek.cases.services import case_open
from tirek.notifications.choices import NotificationKind
from tirek.notifications.models import Notification
from tirek.notifications.services import notify
from tirek.people.services import person_register


def send(cast, user=None, **extra):
    return notify(
        recipients=[user or cast.coordinator_a],
        kind=NotificationKind.REFERRAL_RECEIVED,
        organisation=cast.almaty,
        link="/cases/",
        number="R-2026-00001",
        counterpart=cast.shymkent,
        **extra,
    )[0]


def test_the_message_reads_in_the_language_of_the_reader(cast):
    notification = notify(
        recipients=[cast.coordinator_a],
        kind=NotificationKind.REFERRAL_RECEIVED,
        number="R-2026-00001",
        counterpart=cast.shymkent,
    )[0]
    with override("kk"):
        assert cast.shymkent.name_kk in notification.message and "R-2026-00001" in notification.message
    with override("ru"):
        assert cast.shymkent.name_ru in notification.message


def test_e_mails_go_out_after_the_commit_and_never_for_a_rolled_back_act(
    cast, django_capture_on_commit_callbacks
):
    cast.coordinator_a.email = "aigerim@kenes.kz"
    cast.coordinator_a.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = send(cast)
        assert mail.outbox == []  # nothing inside the transaction
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aigerim@kenes.kz"]
    assert "R-2026-00001" in mail.outbox[0].body and "/cases/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send(cast)
        raise RuntimeError("the act failed")
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_a_reminder_with_a_key_reaches_a_user_once(cast):
    first = notify(recipients=[cast.coordinator_a, cast.manager_a], kind="appeal_overdue", dedupe_key="a:1")
    again = notify(recipients=[cast.coordinator_a, cast.manager_a], kind="appeal_overdue", dedupe_key="a:1")
    assert len(first) == 2 and again == []


def test_the_bell_counts_unread_and_opening_one_marks_it_read(cast):
    notification = send(cast)
    send(cast, user=cast.manager_a)
    client = cast.client(cast.coordinator_a)
    bell = client.get(reverse("notifications:bell"))
    assert 'data-testid="notification-count">1<' in bell.content.decode()
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count('data-testid="notification"') == 1  # only one's own
    opened = client.get(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302 and opened.url == "/cases/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert (
        'data-testid="notification-count"' not in client.get(reverse("notifications:bell")).content.decode()
    )


def test_another_users_notification_is_not_found(cast):
    notification = send(cast)
    for user in (cast.manager_a, cast.admin, cast.coordinator_b):
        client = cast.client(user)
        assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
        assert client.get(f"/api/v1/notifications/{notification.pk}/").status_code == 404
        assert client.post(f"/api/v1/notifications/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert cast.client(None).get(reverse("notifications:list")).status_code == 302


def test_read_all_in_the_page_and_the_api(cast):
    send(cast)
    send(cast)
    client = cast.client(cast.coordinator_a)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    listed = client.get("/api/v1/notifications/?unread=true").json()["results"]
    assert len(listed) == 2 and listed[0]["is_read"] is False and "R-2026-00001" in listed[0]["message"]
    read = client.post(f"/api/v1/notifications/{listed[0]['id']}/read/").json()
    assert read["is_read"] is True
    assert client.post("/api/v1/notifications/read-all/").json() == {"unread": 0}
    send(cast)
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=cast.coordinator_a, read_at__isnull=True).exists()


def test_the_list_costs_the_same_queries_however_many_notifications(cast, django_assert_max_num_queries):
    for _ in range(30):
        send(cast)
    client = cast.client(cast.coordinator_a)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_a_first_plan_overdue_reminds_the_coordinator_once(cast):
    from tirek.cases.reminders import deadlines_notify

    child = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омаров",
        given_name="Әли",
        sex="male",
        birth_date=timezone.localdate() - dt.timedelta(days=500),
        iin_missing_reason="newborn",
    )
    day0 = timezone.localdate() - dt.timedelta(days=50)
    case = case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        opened_on=day0,
        referral_received_on=day0,
        coordinator=cast.coordinator_a,
    )
    assert deadlines_notify() >= 1
    reminders = Notification.objects.filter(recipient=cast.coordinator_a, kind="deadline_overdue")
    first_plan = [n for n in reminders if "first_plan" in n.dedupe_key]
    assert len(first_plan) == 1 and first_plan[0].link == reverse("cases:case_detail", args=[case.pk])
    with override("kk"):
        assert case.number in first_plan[0].message
    assert deadlines_notify() == 0  # sent once


def test_the_remind_command_sends_deadlines_and_overdue_appeals_once(cast):
    from io import StringIO

    from django.core.management import call_command

    from tirek.support.services import appeal_register

    child = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Сейітов",
        given_name="Нұр",
        sex="male",
        birth_date=timezone.localdate() - dt.timedelta(days=400),
        iin_missing_reason="newborn",
    )
    day0 = timezone.localdate() - dt.timedelta(days=60)
    case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        opened_on=day0,
        referral_received_on=day0,
        coordinator=cast.coordinator_a,
    )
    appeal = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        category="housing",
        channel="walk_in",
        text="Баспана кезегі туралы",
        received_at=timezone.now() - dt.timedelta(days=90),
        assignee=cast.coordinator_a,
    )
    assert appeal.due_on < timezone.localdate()
    output = StringIO()
    call_command("remind", stdout=output)
    kinds = set(Notification.objects.filter(recipient=cast.coordinator_a).values_list("kind", flat=True))
    assert {"deadline_overdue", "appeal_overdue"} <= kinds
    count = Notification.objects.count()
    call_command("remind", stdout=StringIO())
    assert Notification.objects.count() == count
    assert "Reminders sent" in output.getvalue()
