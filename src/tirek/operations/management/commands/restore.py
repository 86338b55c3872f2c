"""`tirek restore PATH`: replace the database with a backup made by `tirek backup`, then check every table
against the backup's manifest (see tirek.operations.backup). Stop Tirek's server and worker first."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tirek.operations.backup import BackupError, backup_inspect, backup_restore, migrations_differing


class Command(BaseCommand):
    help = (
        "Restore the database from a backup directory made by `tirek backup`, replacing everything in it, "
        "then compare each table's row count and checksum with the backup's manifest. Refuses a damaged "
        "dump or one of another database vendor."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="the backup directory (holding manifest.json)")
        parser.add_argument(
            "--yes",
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, **options) -> None:
        source = options["source"]
        try:
            manifest = backup_inspect(source=source)
        except BackupError as refusal:
            raise CommandError(f"Restore refused, nothing changed: {refusal}") from None
        self.stdout.write(
            f"Backup of a {manifest.vendor} database made {manifest.created_at} by Tirek "
            f"{manifest.tirek_version}: {manifest.summary()}."
        )
        if options["interactive"]:
            answer = input("This replaces EVERYTHING in the configured database. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled, nothing changed.")
        try:
            mismatches = backup_restore(source=source)
        except BackupError as failure:
            raise CommandError(f"Restore failed: {failure}") from None
        for mismatch in mismatches:
            self.stderr.write(f"Mismatch: {mismatch}")
        if mismatches:
            raise CommandError(f"Restored, but {len(mismatches)} tables differ from the backup's manifest.")
        self.stdout.write(f"Restored {manifest.summary()}; every table matches the manifest.")
        differing = migrations_differing(manifest)
        if differing:
            self.stdout.write(
                "The backup predates this version's migrations for: "
                + ", ".join(differing)
                + ". Run `tirek migrate` now."
            )
