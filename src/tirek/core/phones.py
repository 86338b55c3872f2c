"""Kazakhstan phone numbers as Tirek stores them: +7 and ten digits."""

from __future__ import annotations

import re


def phone_number(value: str | None) -> str | None:
    """The stored form (+77011234567) of a phone typed as people type it (8 701 …, +7 (701) 123-45-67),
    or None when it is not a Kazakhstan number."""
    digits = re.sub(r"[\s()\-]", "", value or "")
    if re.fullmatch(r"(\+7|8)\d{10}", digits):
        return "+7" + digits[-10:]
    return None


def phone_typed(value: str | None) -> str:
    """`value` in the stored form when it is a Kazakhstan number, else as typed (stripped), for the model's
    validator to refuse with its message."""
    return phone_number(value) or (value or "").strip()
