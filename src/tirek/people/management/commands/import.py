"""`tirek import persons FILE --organisation ORG --user USERNAME`: import a journal of children and families.

All rows or none: on any problem it prints one line per problem and exits non-zero, having written nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tirek.accounts.models import User
from tirek.core.errors import NotAllowed
from tirek.directory.models import Organisation
from tirek.people import importing


class Command(BaseCommand):
    help = "Import a journal of children and families (XLSX or CSV) into an organisation."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["persons"], help="What the file holds.")
        parser.add_argument("file", type=Path, help="An .xlsx or .csv file with the template's columns.")
        parser.add_argument("--organisation", required=True, help="The organisation's id (UUID) or BIN.")
        parser.add_argument("--user", required=True, help="The username of the coordinator or manager.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and write nothing.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of the report.",
        )

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            self._import(options)

    def _import(self, options) -> None:
        path: Path = options["file"]
        try:
            file_bytes = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        organisation = _organisation(options["organisation"])
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        # The user acts in the organisation named here, whichever one they last chose in the web UI; nothing
        # is saved on the user.
        user.active_organisation = organisation
        try:
            result = importing.import_persons(
                actor=user,
                organisation=organisation,
                file_bytes=file_bytes,
                filename=path.name,
                dry_run=options["dry_run"],
            )
        except NotAllowed:
            raise CommandError(
                f"{user.username} may not import persons into {organisation.name_en or organisation.name}"
            ) from None
        if not result.ok:
            for line in result.problems:
                where = ", ".join(
                    part
                    for part in (
                        str(line["row"]) if line["row"] is not None else "",
                        line["header"] or line["column"],
                        repr(line["value"]) if line["value"] else "",
                    )
                    if part
                )
                self.stderr.write(f"{path.name}:{where}: {line['message']}" if where else line["message"])
            raise CommandError(
                f"{len(result.problems)} problem(s) in {path.name}; nothing was imported.", returncode=1
            )
        self.stdout.write(result.summary())


def _organisation(value: str) -> Organisation:
    try:
        lookup = {"pk": uuid.UUID(value)}
    except ValueError:
        lookup = {"bin": value}
    organisation = Organisation.objects.filter(is_active=True, **lookup).first() if value else None
    if organisation is None:
        raise CommandError(f"no active organisation with the id or BIN {value!r}")
    return organisation
