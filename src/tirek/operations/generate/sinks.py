"""Where the generated rows go: COPY on PostgreSQL, `bulk_create` in batches elsewhere."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

from tirek.operations.generate.vocabulary import BIG_TABLE, CHUNK


class Sink:
    """Where the rows go: `write(model, columns, rows)` with columns as attnames (e.g. "case_id")."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, model, columns: list[str], rows: Iterable[tuple], expected: int = 0) -> int:
        raise NotImplementedError

    def finish(self) -> None:
        pass


class OrmSink(Sink):
    """bulk_create in batches (SQLite and other engines: small numbers)."""

    def write(self, model, columns, rows, expected=0) -> int:
        made = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, 2_000)):
            model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in batch])
            made += len(batch)
        self.counts[model._meta.label] += made
        return made


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if kind is bool:
        return "t" if value else "f"
    if kind is list or kind is dict:
        return _copy_text(json.dumps(value, ensure_ascii=False))
    if kind is dt.datetime or kind is dt.date:
        return value.isoformat()
    return str(value)


class CopySink(Sink):
    """PostgreSQL COPY: every row a line of text; the indexes and foreign keys of a big table are dropped
    before and rebuilt after it is loaded (faster than keeping them up to date row by row)."""

    def write(self, model, columns, rows, expected=0) -> int:
        now = timezone.now()
        fields = [
            f
            for f in model._meta.concrete_fields
            if not (f.primary_key and isinstance(f, models.fields.AutoFieldMixin)) or f.attname in columns
        ]
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        missing = [f for f in fields if f.attname not in columns]
        extra = []
        for f in missing:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                extra.append(now)
            else:
                extra.append(f.get_default())
        names = [by_attname[c].column for c in columns] + [f.column for f in missing]
        suffix = "".join("\t" + _copy_text(v) for v in extra)
        table = model._meta.db_table
        sql = f'COPY "{table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) FROM STDIN'
        big = expected >= BIG_TABLE
        made = 0
        started = time.perf_counter()
        with connection.cursor() as cursor:
            raw = cursor.cursor
            saved = self._drop_indexes(raw, table) if big else None
            convert = _copy_text
            with raw.copy(sql) as copy:
                iterator = iter(rows)
                while batch := list(islice(iterator, CHUNK)):
                    copy.write("".join("\t".join([convert(v) for v in row]) + suffix + "\n" for row in batch))
                    made += len(batch)
                    if big and made % (CHUNK * 25) == 0:
                        elapsed = time.perf_counter() - started
                        self.log(f"    {table}: {made:,} rows in {elapsed:.0f} s")
            if saved is not None:
                self._restore_indexes(raw, table, saved)
        self.counts[model._meta.label] += made
        return made

    def _drop_indexes(self, raw, table: str) -> tuple[list, list]:
        # Check the rows loaded so far now: a table with pending deferred checks cannot be altered.
        raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        raw.execute("SET CONSTRAINTS ALL DEFERRED")
        raw.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign = raw.fetchall()
        raw.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)",
            [table, table],
        )
        indexes = raw.fetchall()
        for name, _definition in foreign:
            raw.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            raw.execute(f'DROP INDEX "{name}"')
        return foreign, indexes

    def _restore_indexes(self, raw, table: str, saved: tuple[list, list]) -> None:
        foreign, indexes = saved
        started = time.perf_counter()
        raw.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            raw.execute(definition)
        for name, definition in foreign:
            raw.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        self.log(
            f"    {table}: {len(indexes)} indexes and {len(foreign)} foreign keys rebuilt in "
            f"{time.perf_counter() - started:.0f} s"
        )
