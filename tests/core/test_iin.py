from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tirek.core.iin import check_digit, is_valid_number, read_layout
from tirek.core.validators import validate_bin, validate_iin

prefixes = st.text(alphabet="0123456789", min_size=11, max_size=11)


def test_the_documented_examples_are_valid():
    assert is_valid_number("791028302728")  # first pass
    assert is_valid_number("061211600012")  # needs the second pass


def test_a_wrong_check_digit_is_invalid():
    assert not is_valid_number("791028302729")
    assert not is_valid_number("79102830272")
    assert not is_valid_number("79102830272a")


@given(prefixes)
def test_a_computed_check_digit_always_validates_and_no_other_digit_does(prefix):
    digit = check_digit(prefix)
    if digit is None:
        assert not any(is_valid_number(f"{prefix}{d}") for d in range(10))
    else:
        assert [d for d in range(10) if is_valid_number(f"{prefix}{d}")] == [digit]


def test_it_reads_birth_date_and_sex_from_the_layout():
    assert read_layout("791028302728").birth_date == dt.date(1979, 10, 28)
    assert read_layout("791028302728").sex == "male"
    assert read_layout("061211600012").birth_date == dt.date(2006, 12, 11)
    assert read_layout("061211600012").sex == "female"
    assert read_layout("991340300000") is None  # month 13


def test_bin_validation_explains_what_is_wrong():
    validate_bin("791028302728")
    with pytest.raises(ValidationError) as wrong_length:
        validate_bin("12345")
    assert wrong_length.value.code == "bin_format"
    with pytest.raises(ValidationError) as wrong_digit:
        validate_bin("791028302729")
    assert wrong_digit.value.code == "bin_checksum"
    with pytest.raises(ValidationError):
        validate_iin("791028302729")
