"""`tirek retention --user USERNAME [--apply]`: anonymise the persons whose retention period has run out.

Without `--apply` it is a dry run: it prints how many persons each organisation would see anonymised and
changes nothing. With `--apply` it anonymises them (README "Retention"); both are audited under the user.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tirek.accounts.models import User
from tirek.core.errors import NotAllowed
from tirek.operations.retention import services as retention


class Command(BaseCommand):
    help = "Anonymise persons whose cases closed longer ago than the retention period (a dry run by default)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The username of an administrator.")
        parser.add_argument("--apply", action="store_true", help="Anonymise; without it nothing changes.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="The language of organisation names in the report.",
        )

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        with translation.override(options["language"]):
            try:
                report = retention.retention_run(actor=user, dry_run=not options["apply"])
            except NotAllowed:
                raise CommandError(f"{user.username} may not run retention (administrators only)") from None
        rules = ", ".join(f"{name} {years} years" for name, years in report.rules.items())
        self.stdout.write(f"Retention on {report.day.isoformat()} ({rules})")
        for figure in report.organisations:
            self.stdout.write(f"  {figure.persons:>6}  {figure.organisation}")
        if report.dry_run:
            self.stdout.write(f"{report.due} person(s) would be anonymised. Run again with --apply to do it.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{report.anonymised} person(s) anonymised."))
