"""What this app adds to the main navigation."""

from __future__ import annotations


def items(user, active) -> list[tuple[str, str]]:
    """(url, label) pairs for `user` whose active membership is `active` (None when there is none)."""
    return []
