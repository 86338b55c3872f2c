"""`tirek indicators-doc`: write docs/indicators.md from the indicator catalogue."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tirek.reports.docs import indicators_markdown


class Command(BaseCommand):
    help = "Write docs/indicators.md from the indicator catalogue (English, with Kazakh and Russian)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.PROJECT_DIR) / "docs" / "indicators.md"),
            help="Where to write (default: docs/indicators.md of the project); '-' for standard output.",
        )

    def handle(self, *args, output: str, **options):
        text = indicators_markdown()
        if output == "-":
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
