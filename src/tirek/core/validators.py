"""Field validators shared by the apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tirek.core.iin import is_valid_number


def validate_bin(value: str) -> None:
    """A BIN is 12 digits whose last digit is the IIN/BIN check digit."""
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(_("A BIN has exactly 12 digits."), code="bin_format")
    if not is_valid_number(value):
        raise ValidationError(
            _("This BIN's check digit is wrong: please check the number."), code="bin_checksum"
        )


def validate_iin(value: str) -> None:
    """An IIN is 12 digits whose last digit is the IIN/BIN check digit."""
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(_("An IIN has exactly 12 digits."), code="iin_format")
    if not is_valid_number(value):
        raise ValidationError(
            _("This IIN's check digit is wrong: please check the number."), code="iin_checksum"
        )
