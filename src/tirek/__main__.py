"""The `tirek` command: Django's manage.py under the project's own name."""

from __future__ import annotations

import os
import secrets
import sys

# Commands that work on the code, not on a deployment: they sign nothing, so without a configured secret
# they run with a throwaway one instead of stopping. Serving and everything else still require the real key.
OFFLINE_COMMANDS = frozenset(
    {"makemigrations", "makemessages", "compilemessages", "spectacular", "showmigrations"}
)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS:
        os.environ.setdefault("TIREK_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
