"""`tirek remind`: the daily reminders — deadlines due soon or overdue, appeals overdue. Safe to run more
often: a reminder already sent is not sent again."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tirek.cases.reminders import deadlines_notify


class Command(BaseCommand):
    help = "Send the day's reminders: deadlines due soon or overdue, appeals overdue."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The day to remind for (YYYY-MM-DD); today by default.")

    def handle(self, *args, on=None, **options):
        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError("--on must be a date such as 2026-11-24.") from None
        deadlines = deadlines_notify(day)
        appeals = appeal_reminders(day)
        self.stdout.write(f"Reminders sent: {deadlines} about deadlines, {appeals} about overdue appeals.")


def appeal_reminders(day) -> int:
    from tirek.support.reminders import appeals_overdue_notify

    return appeals_overdue_notify(day)
