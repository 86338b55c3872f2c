"""`tirek worker`: runs the background tasks queued in the database (exports written in the background,
the refresh of report aggregates). django-tasks-db's `db_worker` under Tirek's name, with its options
(--batch to run what is queued and stop, --interval, --queue-name …); it first removes the export files kept
longer than TIREK_EXPORT_KEEP_DAYS (every finished export does so too)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from tirek.exports.services import export_files_prune


class Command(DatabaseWorkerCommand):
    help = "Run Tirek's background tasks (exports, report aggregates) queued in the database."

    def handle(self, *args, **options):
        removed = export_files_prune()
        if removed and options.get("verbosity", 1) > 0:
            self.stdout.write(f"Removed {removed} old export(s).")
        return super().handle(*args, **options)
