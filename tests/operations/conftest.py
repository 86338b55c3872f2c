from __future__ import annotations

import datetime as dt

import pytest

from tirek.operations.demo.people.planning import synthetic_iin


@pytest.fixture
def iin():
    """A maker of valid synthetic IINs for a birth date and sex (the demo's synthesis)."""

    def make_iin(birth: dt.date, sex: str, serial: int = 1) -> str:
        return synthetic_iin(birth, sex, serial)[0]

    return make_iin
