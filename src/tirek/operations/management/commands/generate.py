"""`tirek generate --persons N`: national-scale fictional data for benchmarks (tirek.operations.generate)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tirek.operations.generate import ForeignData, Scale, generate


class Command(BaseCommand):
    help = (
        "Generate realistic fictional national data (organisations, staff, persons, cases, plans, sessions, "
        "group activities, appeals, aid, outcomes, referrals) into the configured database. Refuses a "
        "database holding data it did not make unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="how many persons (e.g. 250000)")
        parser.add_argument(
            "--organisations", type=int, default=None, help="how many organisations (default: one per 2,500)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="the same seed gives the same data")
        parser.add_argument("--years", type=int, default=3, help="how many years back the work goes")
        parser.add_argument(
            "--visits-per-case", type=int, default=100, help="sessions per case on average (default 100)"
        )
        parser.add_argument("--force", action="store_true", help="generate even beside other data")
        parser.add_argument("--replace", action="store_true", help="remove earlier generated data first")

    def handle(self, *args, **options) -> None:
        if options["persons"] < 1 or options["years"] < 1 or options["visits_per_case"] < 0:
            raise CommandError("--persons and --years must be positive, --visits-per-case not negative.")
        scale = Scale(
            persons=options["persons"],
            organisations=options["organisations"],
            seed=options["seed"],
            years=options["years"],
            visits_per_case=options["visits_per_case"],
        )

        def log(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        try:
            generate(scale, force=options["force"], replace=options["replace"], log=log)
        except ForeignData as refused:
            raise CommandError(str(refused)) from None
