"""Backups of the whole database, and their restore, each checked against a manifest.

A backup is one directory, private to the operating-system user running Tirek (0700, files 0600: it holds
children's data), containing

- the dump: `database.sqlite3` (SQLite's online backup, a complete database file) or `database.pgdump`
  (`pg_dump --format=custom`), and
- `manifest.json`: the Tirek version, the database vendor, when it was made, the last applied migration of
  each app, the sha256 of the dump, and for every table of the installed apps' models its row count and a
  checksum of its contents.

A table's checksum is the sha256 of its rows, one line each, in primary-key order (byte order for text
keys), each row rendered by the database itself: SQLite's `quote()` of every column (the stored value with
its storage class), PostgreSQL's text form of the row (`ROW(r.*)::text`, with the session's output settings
fixed). It depends on the rows' values only, never on where they lie on disk, so a restored database has
the same checksums as the one that was backed up. The manifest describes exactly the dump: on SQLite it is
computed from the dump file, on PostgreSQL inside the same snapshot `pg_dump` reads (`--snapshot`).

Restoring refuses, before touching anything, a dump whose sha256 differs from the manifest or one made on
another database vendor; afterwards it computes the counts and checksums again and returns the tables that
differ. Both acts leave an audit event, the restore's written after the check so that it survives.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

import tirek
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.core.env import env_str

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_FETCH_ROWS = 2000
_HASH_CHUNK = 1024 * 1024
# PostgreSQL renders values according to these; fixing them makes a row's text the same in every session.
_POSTGRES_OUTPUT = (
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
)
_POSTGRES_TEXT_TYPES = {"text", "character varying", "character"}


class BackupError(Exception):
    """A backup or restore could not be done; the message says why, for the operator."""


class BackupRefused(BackupError):
    """A restore (or a check) refused before changing anything: the backup is damaged or does not fit."""


@dataclasses.dataclass(frozen=True)
class TableState:
    """One table's row count and content checksum."""

    rows: int
    checksum: str


@dataclasses.dataclass(frozen=True)
class Manifest:
    """What a backup holds; the dump fields and location are empty for a database's live state."""

    tirek_version: str
    vendor: str
    created_at: str
    migrations: dict[str, str]
    tables: dict[str, TableState]
    dump_file: str = ""
    dump_sha256: str = ""
    # The backup's directory, when the manifest belongs to one (not written into the file).
    location: Path | None = dataclasses.field(default=None, compare=False)

    @property
    def total_rows(self) -> int:
        return sum(state.rows for state in self.tables.values())

    def summary(self) -> str:
        return f"{len(self.tables)} tables, {self.total_rows} rows"

    def as_json(self) -> str:
        document = {
            "format": MANIFEST_FORMAT,
            "tirek_version": self.tirek_version,
            "vendor": self.vendor,
            "created_at": self.created_at,
            "dump": {"file": self.dump_file, "sha256": self.dump_sha256},
            "migrations": self.migrations,
            "tables": {
                name: {"rows": state.rows, "checksum": state.checksum} for name, state in self.tables.items()
            },
            "totals": {"tables": len(self.tables), "rows": self.total_rows},
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            document = json.loads(text)
            if document["format"] != MANIFEST_FORMAT:
                raise BackupRefused(f"manifest format {document['format']!r} is not one this Tirek reads")
            dump_file = str(document["dump"]["file"])
            if Path(dump_file).name != dump_file or dump_file in ("", ".", ".."):
                raise BackupRefused(f"the manifest names an unsafe dump file {dump_file!r}")
            return cls(
                tirek_version=str(document["tirek_version"]),
                vendor=str(document["vendor"]),
                created_at=str(document["created_at"]),
                migrations={str(app): str(name) for app, name in document["migrations"].items()},
                tables={
                    str(name): TableState(rows=int(state["rows"]), checksum=str(state["checksum"]))
                    for name, state in document["tables"].items()
                },
                dump_file=dump_file,
                dump_sha256=str(document["dump"]["sha256"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupRefused(f"the manifest is not readable ({exc.__class__.__name__}: {exc})") from None


@dataclasses.dataclass(frozen=True)
class Mismatch:
    """A table whose restored contents differ from the manifest."""

    table: str
    expected: TableState | None
    found: TableState | None

    def __str__(self) -> str:
        if self.found is None:
            return f"{self.table}: in the backup ({self.expected.rows} rows) but missing after the restore"
        if self.expected is None:
            return f"{self.table}: not in the backup but holds {self.found.rows} rows after the restore"
        return (
            f"{self.table}: expected {self.expected.rows} rows (checksum {self.expected.checksum[:12]}), "
            f"found {self.found.rows} rows (checksum {self.found.checksum[:12]})"
        )


# Computing the state of a database ------------------------------------------------------------------------


def _model_tables() -> dict[str, str]:
    """{table: primary-key column} of every concrete model of the installed apps, m2m tables included."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        tables.setdefault(meta.db_table, meta.pk.column)
    return dict(sorted(tables.items()))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows_sqlite(cursor, table: str, key: str) -> Iterator[str]:
    cursor.execute(f"PRAGMA table_info({_quote(table)})")
    columns = [row[1] for row in cursor.fetchall()]
    order = _quote(key) if key in columns else ", ".join(_quote(column) for column in columns)
    rendered = ", ".join(f"quote({_quote(column)})" for column in columns)
    # Table and column names come from the models and the schema, quoted; no value is interpolated.
    cursor.execute(f"SELECT {rendered} FROM {_quote(table)} ORDER BY {order}")  # noqa: S608  # nosec B608
    while batch := cursor.fetchmany(_FETCH_ROWS):
        for row in batch:
            yield ",".join(row)


def _rows_postgresql(cursor, table: str, key: str) -> Iterator[str]:
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    types = dict(cursor.fetchall())
    if key in types:
        order = _quote(key) + (' COLLATE "C"' if types[key] in _POSTGRES_TEXT_TYPES else "")
    else:
        order = ", ".join(
            _quote(column) + (' COLLATE "C"' if kind in _POSTGRES_TEXT_TYPES else "")
            for column, kind in types.items()
        )
    rows = connection.chunked_cursor()
    try:
        # Table and column names from the models and the schema, quoted; no value is interpolated.
        rows.execute(f"SELECT ROW(r.*)::text FROM {_quote(table)} AS r ORDER BY {order}")  # noqa: S608  # nosec B608
        while batch := rows.fetchmany(_FETCH_ROWS):
            for (text,) in batch:
                yield text
    finally:
        rows.close()


def _table_state(rows: Iterator[str]) -> TableState:
    digest = hashlib.sha256()
    count = 0
    for text in rows:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
        count += 1
    return TableState(rows=count, checksum=digest.hexdigest())


def _last_migrations(cursor, present: set[str]) -> dict[str, str]:
    if "django_migrations" not in present:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(cursor.fetchall())  # rows in the order applied: the last of each app wins


def _state(cursor, vendor: str, present: set[str], rows: Callable) -> Manifest:
    tables = {
        table: _table_state(rows(cursor, table, key))
        for table, key in _model_tables().items()
        if table in present
    }
    return Manifest(
        tirek_version=tirek.__version__,
        vendor=vendor,
        created_at=timezone.now().isoformat(timespec="seconds"),
        migrations=_last_migrations(cursor, present),
        tables=tables,
    )


def _sqlite_table_names(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in cursor.fetchall()}


def manifest_compute() -> Manifest:
    """The row counts, checksums and migration state of the configured database as it is now."""
    vendor = connection.vendor
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            return _state(cursor, vendor, _sqlite_table_names(cursor), _rows_sqlite)
    if vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in _POSTGRES_OUTPUT:
                cursor.execute(statement)
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
            present = {row[0] for row in cursor.fetchall()}
            return _state(cursor, vendor, present, _rows_postgresql)
    raise BackupError(f"backups are made of SQLite or PostgreSQL databases, not {vendor}")


def _sqlite_file_state(path: Path) -> Manifest:
    """The state of an SQLite database file, read without Django (a dump, for instance)."""
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        cursor = source.cursor()
        return _state(cursor, "sqlite", _sqlite_table_names(cursor), _rows_sqlite)
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"{path} is not a readable SQLite database ({exc})") from None
    finally:
        source.close()


def manifest_compare(expected: Manifest, found: Manifest) -> list[Mismatch]:
    """Tables whose count or checksum differs; a table missing on either side counts when it holds rows."""
    mismatches = []
    for table in sorted(expected.tables.keys() | found.tables.keys()):
        before, after = expected.tables.get(table), found.tables.get(table)
        if before == after:
            continue
        if before is None and after.rows == 0:
            continue
        mismatches.append(Mismatch(table=table, expected=before, found=after))
    return mismatches


# Files ----------------------------------------------------------------------------------------------------


def backup_directory() -> Path:
    """Where backups go unless told otherwise (TIREK_BACKUP_DIR, by default <data dir>/backups)."""
    return Path(env_str("TIREK_BACKUP_DIR", str(Path(settings.DATA_DIR) / "backups")))


def _private_file(path: Path) -> int:
    """Create `path` readable by its owner only and return its descriptor (refuses an existing file)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _prepare_destination(destination: Path | None) -> tuple[Path, bool]:
    """The backup directory, made private; True when this call created it (and may remove it on failure)."""
    if destination is None:
        base = backup_directory()
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        destination = base / f"tirek-{timezone.now():%Y%m%dT%H%M%SZ}"
    destination = Path(destination)
    if destination.exists():
        if not destination.is_dir() or any(destination.iterdir()):
            raise BackupError(f"{destination} exists and is not an empty directory; choose another place")
        destination.chmod(0o700)
        return destination, False
    destination.mkdir(mode=0o700, parents=True)
    destination.chmod(0o700)
    return destination, True


def _not_in_transaction(act: str) -> None:
    if connection.in_atomic_block:
        raise BackupError(f"a {act} cannot run inside a database transaction")


# PostgreSQL tools -----------------------------------------------------------------------------------------


def _postgres_environment() -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as libpq variables: the password never on a command line."""
    settings_dict = connection.settings_dict
    _, extra = connection.client.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (it comes with the PostgreSQL client package)")
    return found


def _run(arguments: list[str], **options) -> subprocess.CompletedProcess:
    completed = subprocess.run(  # noqa: S603 (fixed tool, arguments from settings, no shell)
        arguments, env=_postgres_environment(), stderr=subprocess.PIPE, check=False, **options
    )
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip()
        raise BackupError(f"{Path(arguments[0]).name} failed: {message}")
    return completed


# Backup ---------------------------------------------------------------------------------------------------


def _backup_sqlite(dump: Path) -> Manifest:
    os.close(_private_file(dump))
    target = sqlite3.connect(dump)
    try:
        connection.ensure_connection()
        connection.connection.backup(target)
    finally:
        target.close()
    return _sqlite_file_state(dump)


def _backup_postgresql(dump: Path) -> Manifest:
    pg_dump = _postgres_tool("pg_dump")
    # pg_dump reads the snapshot this transaction exports, so the manifest counts exactly what it dumps.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        descriptor = _private_file(dump)
        try:
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--dbname={connection.settings_dict['NAME']}",
                ],
                stdout=descriptor,
            )
        finally:
            os.close(descriptor)
        return manifest_compute()


def backup_create(*, destination: Path | str | None = None) -> Manifest:
    """Back up the configured database into `destination` (a new or empty directory; by default a new
    `tirek-<UTC time>` directory in TIREK_BACKUP_DIR) and return the manifest written beside the dump."""
    _not_in_transaction("backup")
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"backups are made of SQLite or PostgreSQL databases, not {vendor}")
    directory, created = _prepare_destination(Path(destination) if destination else None)
    dump = directory / DUMP_NAMES[vendor]
    try:
        state = _backup_sqlite(dump) if vendor == "sqlite" else _backup_postgresql(dump)
        manifest = dataclasses.replace(
            state, created_at=timezone.now().isoformat(timespec="seconds"), dump_file=dump.name
        )
        manifest = dataclasses.replace(manifest, dump_sha256=_sha256_of(dump), location=directory)
        descriptor = _private_file(directory / MANIFEST_NAME)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(manifest.as_json())
    except BaseException:
        for made in (directory / MANIFEST_NAME, dump):
            made.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.BACKUP,
            object_type="database",
            object_repr=vendor,
            note=f"backup {directory}: {manifest.summary()}",
        )
    return manifest


# Checking and restoring -----------------------------------------------------------------------------------


def backup_inspect(*, source: Path | str) -> Manifest:
    """The manifest of the backup in `source`, after checking the dump against it and the vendor against the
    configured database. Raises BackupRefused, having changed nothing, when either does not match."""
    directory = Path(source)
    try:
        text = (directory / MANIFEST_NAME).read_text(encoding="utf-8")
    except OSError as exc:
        raise BackupRefused(f"no readable {MANIFEST_NAME} in {directory} ({exc.strerror})") from None
    manifest = dataclasses.replace(Manifest.from_json(text), location=directory)
    if manifest.vendor != connection.vendor:
        raise BackupRefused(
            f"the backup is of a {manifest.vendor} database; the configured database is {connection.vendor}"
        )
    dump = directory / manifest.dump_file
    if not dump.is_file():
        raise BackupRefused(f"the dump {dump} is missing")
    if _sha256_of(dump) != manifest.dump_sha256:
        raise BackupRefused(f"the dump {dump} does not match the checksum in its manifest: it is damaged")
    return manifest


def backup_verify(*, source: Path | str) -> list[Mismatch]:
    """Check a backup without restoring it: its dump against the manifest's checksum (BackupRefused when
    not), then, for SQLite, the dump's tables against the manifest's counts and checksums; for PostgreSQL,
    that pg_restore can read the archive's table of contents."""
    manifest = backup_inspect(source=source)
    dump = Path(source) / manifest.dump_file
    if manifest.vendor == "sqlite":
        return manifest_compare(manifest, _sqlite_file_state(dump))
    _run([_postgres_tool("pg_restore"), "--list", str(dump)], stdout=subprocess.DEVNULL)
    return []


def _restore_sqlite(dump: Path) -> None:
    source = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        # The backup API writes into the live connection's database, so an in-memory one works too.
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    pg_restore = _postgres_tool("pg_restore")
    connection.close()  # hold no session of ours while pg_restore replaces the tables
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        stdout=subprocess.DEVNULL,
    )


def backup_restore(*, source: Path | str) -> list[Mismatch]:
    """Replace the configured database with the backup in `source`, then compare every table with the
    manifest and return the mismatches (none when the restore is exact). Refuses (BackupRefused, nothing
    changed) a damaged dump or one of another vendor."""
    from django.contrib.contenttypes.models import ContentType

    _not_in_transaction("restore")
    manifest = backup_inspect(source=source)
    dump = Path(source) / manifest.dump_file
    if manifest.vendor == "sqlite":
        _restore_sqlite(dump)
    else:
        _restore_postgresql(dump)
    ContentType.objects.clear_cache()
    mismatches = manifest_compare(manifest, manifest_compute())
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.RESTORE,
            object_type="database",
            object_repr=manifest.vendor,
            note=(
                f"restore from {Path(source)} (made {manifest.created_at}): {manifest.summary()}; "
                f"{len(mismatches)} tables differ from the manifest"
            ),
        )
    return mismatches


def migrations_differing(manifest: Manifest) -> list[str]:
    """Apps whose last migration in the backup is not this code's latest (run `tirek migrate` after)."""
    from django.db.migrations.loader import MigrationLoader

    latest: dict[str, str] = {}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes():
        latest[app] = name
    return sorted(app for app in latest if manifest.migrations.get(app) != latest[app])
