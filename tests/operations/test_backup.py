"""`tirek backup` and `tirek restore`: the round trip gives back the database exactly, on whichever database
the suite runs (SQLite or PostgreSQL); a damaged or foreign dump is refused with nothing changed; a table that
differs from the manifest after a restore is reported.

pg_dump and pg_restore work in sessions of their own, which see only committed data: these tests commit
(transactional) and so run alone, after the parallel suite, emptying the database when done."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tirek.accounts.models import User
from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.directory.models import Organisation, Region
from tirek.operations.backup import (
    BackupError,
    BackupRefused,
    backup_create,
    backup_restore,
    backup_verify,
    manifest_compute,
)
from tirek.people.models import Person

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore serve PostgreSQL only"
)


def contents() -> dict[str, list[dict]]:
    """Every row of every model, by table, in primary-key order (audit events apart: see the tests)."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or model is AuditEvent:
            continue
        tables[model._meta.db_table] = list(model.objects.order_by("pk").values())
    return tables


def audit_rows() -> list[dict]:
    return list(AuditEvent.objects.order_by("pk").values())


def change_everything(cast, case) -> None:
    """Alter, delete and add rows across several tables after the backup was made."""
    Person.objects.filter(pk=case.person_id).update(surname="Changed")
    User.objects.filter(pk=cast.outsider.pk).delete()
    Organisation.objects.create(name_kk="Жаңа", name_ru="Новая", kind="state_body", region=cast.almaty.region)


@pytest.fixture
def backed_up(cast, make_case, tmp_path):
    """A database with the cast and two cases, backed up into tmp_path/backup; returns (case, contents, audit
    rows, manifest) as they were at the backup."""
    case = make_case()
    make_case(surname="Сейітов", given_name="Дана", organisation=cast.shymkent)
    before, audit_before = contents(), audit_rows()
    manifest = backup_create(destination=tmp_path / "backup")
    return case, before, audit_before, manifest


def test_it_restores_the_database_exactly_as_it_was_backed_up(cast, backed_up, tmp_path):
    case, before, audit_before, manifest = backed_up
    change_everything(cast, case)
    assert contents() != before

    mismatches = backup_restore(source=tmp_path / "backup")

    assert mismatches == []
    assert contents() == before
    assert Person.objects.get(pk=case.person_id).surname == "Омаров"
    assert User.objects.filter(username="charlie").exists()
    # The audit trail is the backup's, plus the event of the restore itself (written after the check).
    restored_audit = audit_rows()
    assert restored_audit[: len(audit_before)] == audit_before
    assert [event["action"] for event in restored_audit[len(audit_before) :]] == [AuditAction.RESTORE]
    now = manifest_compute()
    assert {name: state for name, state in now.tables.items() if name != "audit_auditevent"} == {
        name: state for name, state in manifest.tables.items() if name != "audit_auditevent"
    }
    assert now.migrations == manifest.migrations


def test_the_manifest_covers_every_model_table_with_counts_and_migrations(cast, backed_up, tmp_path):
    _, before, _, manifest = backed_up
    written = json.loads((tmp_path / "backup" / "manifest.json").read_text())

    assert written["vendor"] == connection.vendor
    assert written["tirek_version"]
    assert written["created_at"]
    assert written["migrations"]["people"] == manifest.migrations["people"]
    assert {"auth", "contenttypes", "people", "cases", "audit"} <= written["migrations"].keys()
    assert set(before) | {"audit_auditevent"} <= written["tables"].keys()
    assert {"auth_permission", "django_content_type", "accounts_user"} <= written["tables"].keys()
    assert written["tables"]["people_person"]["rows"] == 2
    assert written["tables"]["accounts_user"]["rows"] == User.objects.count()
    for table, rows in before.items():
        assert written["tables"][table]["rows"] == len(rows), table
    assert written["totals"]["rows"] == sum(state["rows"] for state in written["tables"].values())
    assert len(written["dump"]["sha256"]) == 64


def test_a_table_checksum_does_not_depend_on_where_rows_lie(cast, backed_up):
    _, _, _, manifest = backed_up
    used = Organisation.objects.values("region")
    region = Region.objects.exclude(pk__in=used).order_by("pk").first()
    fields = {field.attname: getattr(region, field.attname) for field in Region._meta.concrete_fields}
    # Put the row back with the same values: it now lies after the others on disk.
    Region.objects.filter(pk=region.pk).delete()
    Region.objects.create(**fields)

    again = manifest_compute().tables["directory_region"]

    assert again == manifest.tables["directory_region"]
    Region.objects.filter(pk=region.pk).update(name_en="Almaty")
    assert manifest_compute().tables["directory_region"].checksum != again.checksum


def test_the_backup_is_private_to_its_owner(backed_up, tmp_path):
    directory = tmp_path / "backup"

    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert sorted(path.name for path in directory.iterdir()) == sorted(
        ["manifest.json", {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]]
    )
    for path in directory.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_the_backup_and_the_restore_are_audited(cast, backed_up, tmp_path):
    _, _, _, manifest = backed_up
    backup_event = AuditEvent.objects.get(action=AuditAction.BACKUP)
    assert backup_event.actor is None
    assert str(tmp_path / "backup") in backup_event.note
    assert f"{manifest.total_rows} rows" in backup_event.note

    backup_restore(source=tmp_path / "backup")

    restore_event = AuditEvent.objects.get(action=AuditAction.RESTORE)
    assert restore_event.actor is None
    assert str(tmp_path / "backup") in restore_event.note
    assert "0 tables differ" in restore_event.note
    # The backup's own event was written after the dump, so the restored trail no longer holds it.
    assert not AuditEvent.objects.filter(action=AuditAction.BACKUP).exists()


def damage(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))


def test_a_damaged_dump_is_refused_and_nothing_changes(cast, backed_up, tmp_path):
    case, _, _, manifest = backed_up
    change_everything(cast, case)
    changed, audit_changed = contents(), audit_rows()
    damage(tmp_path / "backup" / manifest.dump_file)

    with pytest.raises(BackupRefused, match="does not match the checksum"):
        backup_restore(source=tmp_path / "backup")
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("restore", str(tmp_path / "backup"), interactive=False)

    assert contents() == changed
    assert audit_rows() == audit_changed
    assert Person.objects.get(pk=case.person_id).surname == "Changed"


def test_a_backup_of_another_database_vendor_is_refused(cast, backed_up, tmp_path):
    case, _, _, _ = backed_up
    change_everything(cast, case)
    changed = contents()
    manifest_path = tmp_path / "backup" / "manifest.json"
    written = json.loads(manifest_path.read_text())
    written["vendor"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest_path.write_text(json.dumps(written))

    with pytest.raises(CommandError, match=r"is of a \w+ database; the configured database is"):
        call_command("restore", str(tmp_path / "backup"), interactive=False)

    assert contents() == changed


def test_a_directory_without_a_manifest_is_refused(cast, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(BackupRefused, match=r"no readable manifest\.json"):
        backup_restore(source=tmp_path / "empty")


def test_a_table_differing_from_the_manifest_after_restore_is_reported(cast, backed_up, tmp_path, capsys):
    manifest_path = tmp_path / "backup" / "manifest.json"
    written = json.loads(manifest_path.read_text())
    written["tables"]["people_person"]["rows"] += 1
    written["tables"]["directory_region"]["checksum"] = "0" * 64
    manifest_path.write_text(json.dumps(written))

    mismatches = backup_restore(source=tmp_path / "backup")

    assert [mismatch.table for mismatch in mismatches] == ["directory_region", "people_person"]
    assert "expected 3 rows" in str(mismatches[1]) and "found 2 rows" in str(mismatches[1])
    with pytest.raises(CommandError, match="2 tables differ"):
        call_command("restore", str(tmp_path / "backup"), interactive=False)
    printed = capsys.readouterr().err
    assert "people_person" in printed and "directory_region" in printed


def test_the_restore_asks_before_replacing_the_database(cast, backed_up, tmp_path):
    case, _, _, _ = backed_up
    change_everything(cast, case)
    changed = contents()

    with mock.patch("builtins.input", return_value="no"), pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(tmp_path / "backup"))
    assert contents() == changed

    with mock.patch("builtins.input", return_value="yes"):
        call_command("restore", str(tmp_path / "backup"))
    assert Person.objects.get(pk=case.person_id).surname == "Омаров"


def test_the_commands_back_up_verify_and_restore(cast, make_case, tmp_path, capsys):
    case = make_case()
    call_command("backup", str(tmp_path / "backup"))
    assert "Written to" in capsys.readouterr().out

    call_command("backup", verify=str(tmp_path / "backup"))
    assert "matches its manifest" in capsys.readouterr().out

    Person.objects.filter(pk=case.person_id).update(surname="Changed")
    call_command("restore", str(tmp_path / "backup"), interactive=False)
    assert "every table matches the manifest" in capsys.readouterr().out
    assert Person.objects.get(pk=case.person_id).surname == "Омаров"


def test_verify_refuses_a_damaged_dump(cast, backed_up, tmp_path):
    _, _, _, manifest = backed_up
    assert backup_verify(source=tmp_path / "backup") == []
    damage(tmp_path / "backup" / manifest.dump_file)

    with pytest.raises(CommandError, match="does not match the checksum"):
        call_command("backup", verify=str(tmp_path / "backup"))


def test_by_default_a_backup_goes_into_a_new_directory_of_the_backup_dir(cast, tmp_path, monkeypatch):
    monkeypatch.setenv("TIREK_BACKUP_DIR", str(tmp_path / "backups"))

    manifest = backup_create()

    assert manifest.location.parent == tmp_path / "backups"
    assert manifest.location.name.startswith("tirek-")
    assert (manifest.location / "manifest.json").is_file()


def test_a_backup_refuses_a_directory_holding_files(cast, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("keep me")

    with pytest.raises(BackupError, match="not an empty directory"):
        backup_create(destination=tmp_path / "taken")
    assert (tmp_path / "taken" / "notes.txt").read_text() == "keep me"


@postgresql_only
def test_pg_dump_and_pg_restore_take_the_credentials_from_the_environment(cast, tmp_path):
    real_run = subprocess.run
    calls = []

    def spy(arguments, **options):
        calls.append((arguments, options["env"]))
        return real_run(arguments, **options)

    with mock.patch("tirek.operations.backup.subprocess.run", side_effect=spy):
        backup_create(destination=tmp_path / "backup")
        backup_restore(source=tmp_path / "backup")

    password = connection.settings_dict["PASSWORD"]
    assert [Path(arguments[0]).name for arguments, _ in calls] == ["pg_dump", "pg_restore"]
    for arguments, environment in calls:
        assert password not in arguments
        assert not any(argument.startswith(("postgres:", "postgresql:")) for argument in arguments)
        assert environment["PGPASSWORD"] == password
        assert f"--dbname={connection.settings_dict['NAME']}" in arguments
    assert "--format=custom" in calls[0][0]
    assert {"--clean", "--if-exists", "--no-owner"} <= set(calls[1][0])


@postgresql_only
def test_the_restored_audit_table_still_refuses_changes(cast, backed_up, tmp_path):
    backup_restore(source=tmp_path / "backup")

    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = 'rewritten'")
