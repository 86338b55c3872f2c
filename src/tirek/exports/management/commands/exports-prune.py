"""`tirek exports-prune`: remove the export files (and their jobs) older than TIREK_EXPORT_KEEP_DAYS days.

`tirek worker` does it when it starts and after every export; this command is for a deployment that wants
it from cron as well."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tirek.exports.services import export_files_prune


class Command(BaseCommand):
    help = "Remove export files older than TIREK_EXPORT_KEEP_DAYS days."

    def handle(self, *args, **options):
        removed = export_files_prune()
        self.stdout.write(f"Removed {removed} old export(s).")
