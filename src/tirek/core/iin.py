"""IIN (individual) and BIN (organisation) numbers: 12 digits ending in a check digit.

The check digit is Σ aᵢ·wᵢ mod 11 over the first 11 digits with weights 1…11; when that gives 10 it is
recomputed with weights 3…11,1,2, and a second 10 means the number is never issued. The layout of an IIN
(birth date, century and sex) is read separately: since 2023 only the check digit is law, so a layout that
disagrees with entered data is a warning for a person to confirm, not an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def check_digit(first_eleven: str) -> int | None:
    """The check digit for an 11-digit prefix, or None when no valid number has that prefix."""
    if len(first_eleven) != 11 or not first_eleven.isdigit():
        raise ValueError("an IIN/BIN prefix is 11 digits")
    digits = [int(ch) for ch in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        value = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if value != 10:
            return value
    return None


def is_valid_number(number: str) -> bool:
    """True when `number` is 12 digits whose last digit is the check digit of the first 11."""
    if len(number) != 12 or not number.isdigit():
        return False
    expected = check_digit(number[:11])
    return expected is not None and expected == int(number[11])


@dataclass(frozen=True)
class IinLayout:
    """What the traditional IIN layout says about its holder."""

    birth_date: dt.date
    sex: str  # "male" or "female"


_CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def read_layout(iin: str) -> IinLayout | None:
    """The birth date and sex encoded in an IIN, or None when the digits do not follow the layout."""
    if len(iin) != 12 or not iin.isdigit() or iin[6] not in _CENTURIES:
        return None
    year = _CENTURIES[iin[6]] + int(iin[0:2])
    try:
        birth_date = dt.date(year, int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None
    return IinLayout(birth_date=birth_date, sex="male" if int(iin[6]) % 2 else "female")
