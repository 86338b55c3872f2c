"""On PostgreSQL the audit table itself refuses UPDATE and DELETE (a trigger), whatever code runs them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from tirek.audit.models import AuditEvent
from tirek.directory.services import programme_update

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
UPDATE = "UPDATE audit_auditevent SET note = %s WHERE id = %s"
DELETE_ONE = "DELETE FROM audit_auditevent WHERE id = %s"
DELETE_ALL = "DELETE FROM audit_auditevent"
append_only = importlib.import_module(
    "tirek.audit.migrations.0004_audit_table_refuses_update_and_delete_on_postgresql"
)


@pytest.fixture
def event(cast) -> AuditEvent:
    programme_update(actor=cast.manager_a, programme=cast.programme_a, yearly_target=3)
    return AuditEvent.objects.get(action="update")


def raw(sql: str, params=()) -> None:
    # A savepoint, so that the refused statement does not abort the test's own transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_raw_update_is_refused_by_the_database(event):
    assert AuditEvent._meta.db_table == "audit_auditevent"
    with pytest.raises(DatabaseError, match="audit events are append-only: UPDATE"):
        raw(UPDATE, ["tampered", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_a_raw_delete_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="audit events are append-only: DELETE"):
        raw(DELETE_ONE, [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw(DELETE_ALL)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_events_are_still_written(cast, event):
    programme_update(actor=cast.manager_a, programme=cast.programme_a, yearly_target=4)
    assert AuditEvent.objects.filter(action="update").count() == 2


def test_the_migration_removes_and_restores_the_trigger(event):
    # DDL is transactional on PostgreSQL: the test's rollback leaves the trigger as it was.
    with connection.schema_editor(atomic=True) as editor:
        append_only.drop_trigger(apps, editor)
    raw(UPDATE, ["unguarded", event.pk])
    with connection.schema_editor(atomic=True) as editor:
        append_only.create_trigger(apps, editor)
    with pytest.raises(DatabaseError, match="append-only"):
        raw(UPDATE, ["again", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == "unguarded"
