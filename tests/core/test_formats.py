from __future__ import annotations

import datetime as dt

from django.utils import formats, translation


def test_kazakh_dates_are_day_month_year_and_numbers_group_with_spaces():
    with translation.override("kk"):
        assert formats.date_format(dt.date(2026, 3, 8), "SHORT_DATE_FORMAT") == "08.03.2026"
        assert formats.number_format(1289000, use_l10n=True, force_grouping=True) == "1\xa0289\xa0000"
        assert formats.number_format(12.5, decimal_pos=1, use_l10n=True) == "12,5"
        assert formats.sanitize_separators("08.03.2026") == "08.03.2026"


def test_kazakh_date_input_accepts_the_local_form():
    from django import forms

    field = forms.DateField()
    with translation.override("kk"):
        assert field.clean("08.03.2026") == dt.date(2026, 3, 8)


def test_russian_uses_the_same_local_forms():
    with translation.override("ru"):
        assert formats.date_format(dt.date(2026, 3, 8), "SHORT_DATE_FORMAT") == "08.03.2026"
