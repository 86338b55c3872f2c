"""`tirek backup [DESTINATION]`: the whole database and its manifest into one private directory;
`tirek backup --verify PATH` checks an existing backup without restoring it (see tirek.operations.backup)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tirek.operations.backup import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup; PostgreSQL: pg_dump, custom format) with a manifest of "
        "row counts and checksums into a new directory, by default TIREK_BACKUP_DIR/tirek-<time>. "
        "With --verify PATH, check an existing backup instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "destination", nargs="?", default=None, help="a new or empty directory for the backup"
        )
        parser.add_argument("--verify", metavar="PATH", help="check the backup in PATH; change nothing")

    def handle(self, *args, **options) -> None:
        try:
            if options["verify"]:
                self._verify(options["verify"])
                return
            manifest = backup_create(destination=options["destination"])
        except BackupError as failure:
            raise CommandError(str(failure)) from None
        self.stdout.write(f"Backup of the {manifest.vendor} database: {manifest.summary()}.")
        self.stdout.write(f"Written to {manifest.location}")

    def _verify(self, path: str) -> None:
        mismatches = backup_verify(source=path)
        for mismatch in mismatches:
            self.stderr.write(str(mismatch))
        if mismatches:
            raise CommandError(f"{len(mismatches)} tables of the dump differ from the manifest.")
        self.stdout.write(f"{path}: the dump matches its manifest.")
