"""`tirek refresh-aggregates`: recompute the dashboards' snapshots (for cron, e.g. every night)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tirek.directory.models import Organisation
from tirek.reports.aggregates import aggregates_refresh


class Command(BaseCommand):
    help = (
        "Recompute the stale snapshots of the dashboards (of every organisation that changed, then of the "
        "regions and the country); --all recomputes every snapshot, changed or not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", help="Only this organisation (its id), then its region and the country."
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="force",
            help="Recompute everything, also what looks fresh (after a bulk load written without audit).",
        )

    def handle(self, *args, organisation: str | None, force: bool, **options):
        chosen = None
        if organisation:
            chosen = Organisation.objects.filter(pk=organisation).first() if _is_uuid(organisation) else None
            if chosen is None:
                raise CommandError(f"No organisation with the id {organisation}.")
        written = aggregates_refresh(organisation=chosen, force=force)
        self.stdout.write(f"Wrote {written} snapshots.")


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
