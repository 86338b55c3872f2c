"""Every first-batch indicator over the fictional centre-year (conftest.py), against counts by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from tirek.reports.catalogue import INDICATORS, Filters

Y = 2024  # the centre-year of conftest.py
YEAR = Filters(date_from=dt.date(Y, 1, 1), date_to=dt.date(Y, 12, 31))


def value(code: str, filters: Filters = YEAR, **narrow) -> int | float:
    rows = INDICATORS[code].compute(Filters(**{**filters.__dict__, **narrow}), None)
    assert len(rows) == 1
    return rows[0]["value"]


def split(code: str, by: str, filters: Filters = YEAR, **narrow) -> dict:
    rows = INDICATORS[code].compute(Filters(**{**filters.__dict__, **narrow}), by)
    return {row[by]: row["value"] for row in rows}


def month(m: int) -> Filters:
    last = (dt.date(Y, m % 12 + 1, 1) if m < 12 else dt.date(Y + 1, 1, 1)) - dt.timedelta(days=1)
    return Filters(date_from=dt.date(Y, m, 1), date_to=last)


# (code, national, Almaty, Shymkent) — counted by hand from the story in conftest.py.
HAND_COUNTS = [
    # P1, P2, P3, P4 at Almaty; P1 again at Shymkent (once nationally).
    ("persons_served", 4, 4, 1),
    # P4 is an adult.
    ("children_served", 3, 3, 1),
    # C1–C4 at Almaty; C5, C6 opened by accepting the referrals at Shymkent.
    ("new_cases", 6, 4, 2),
    # C2 closed on 30.09.
    ("closed_cases", 1, 1, 0),
    # Open on 31.12: C1, C3, C4 and C5, C6.
    ("active_cases", 5, 3, 2),
    # Almaty: C1 2 + 1 group, C2 1, C3 2, C4 1 (the cancelled and the no-show do not count); Shymkent: 1.
    ("visits_delivered", 8, 7, 1),
    # The seminar; the training was never held.
    ("group_activities", 1, 1, 0),
    ("appeals_registered", 2, 2, 0),
    ("appeals_resolved", 1, 1, 0),
    # One family (twice food: once) and one person.
    ("aid_recipients", 2, 2, 0),
    ("outcomes", 2, 2, 0),
    # Sent by Almaty, accepted by Shymkent.
    ("referrals_sent", 2, 2, 0),
    ("referrals_accepted", 2, 0, 2),
    # 7 and 3 days.
    ("referral_days_to_accept", 5.0, None, 5.0),
]


@pytest.mark.parametrize(("code", "national", "almaty", "shymkent"), HAND_COUNTS)
def test_indicator_equals_the_count_by_hand(centre_year, cast, code, national, almaty, shymkent):
    assert value(code) == national
    assert value(code, organisation=cast.almaty) == almaty
    assert value(code, organisation=cast.shymkent) == shymkent
    # The region is the organisation's region.
    assert value(code, region=cast.shymkent.region) == shymkent


FIRST_BATCH = {
    "persons_served",
    "children_served",
    "new_cases",
    "closed_cases",
    "active_cases",
    "visits_delivered",
    "group_activities",
    "appeals_registered",
    "appeals_resolved",
    "aid_recipients",
    "outcomes",
    "referrals_sent",
    "referrals_accepted",
    "referral_days_to_accept",
}


def test_every_first_batch_indicator_is_checked(year):
    # The others are checked over the full centre-year in test_reports_centre_year.py.
    assert year == Y
    assert {row[0] for row in HAND_COUNTS} == FIRST_BATCH
    assert set(INDICATORS) >= FIRST_BATCH


def test_splits_by_hand(centre_year, cast):
    assert split("visits_delivered", "mode") == {"centre": 6, "home": 1, "video": 1}
    assert split("visits_delivered", "format") == {"individual": 7, "group": 1}
    assert split("visits_delivered", "service") == {"speech_therapy_session": 7, "group_class": 1}
    assert split("visits_delivered", "profession") == {"speech_therapist": 8}
    assert split("visits_delivered", "service_type") == {"pedagogical": 8}
    assert split("closed_cases", "closure_reason") == {"moved": 1}
    assert split("closed_cases", "destination") == {"none": 1}
    assert split("appeals_registered", "category") == {"housing": 1, "legal_help": 1}
    assert split("appeals_registered", "channel") == {"walk_in": 1, "phone": 1}
    assert split("aid_recipients", "kind") == {"food_package": 1, "hygiene_kit": 1}
    assert split("aid_recipients", "recipient") == {"family": 1, "person": 1}
    assert split("outcomes", "kind") == {"job_found": 1, "returned_to_birth_family": 1}
    assert split("group_activities", "kind") == {"seminar": 1}
    assert split("new_cases", "programme") == {str(cast.programme_a.pk): 4, str(cast.programme_b.pk): 2}
    assert split("persons_served", "sex") == {"female": 2, "male": 2}
    assert split("referral_days_to_accept", "sex") == {"female": 7.0, "male": 3.0}


def test_a_session_at_2330_on_the_last_day_of_a_month_falls_in_that_month(centre_year):
    # C2's home session on 31.05 at 23:30 local time (Asia/Almaty) belongs to May, not to June.
    assert value("visits_delivered", month(5)) == 1
    assert value("visits_delivered", month(6)) == 1  # only C4's video session of 10.06
    assert split("visits_delivered", "mode", month(5)) == {"home": 1}
    # The legal-help appeal received on 30.11 at 23:30 is November's.
    assert value("appeals_registered", month(11)) == 1
    assert value("appeals_registered", month(12)) == 0
    # C3's session on 31.12 at 23:30 is in the year.
    assert value("visits_delivered", month(12)) == 2


def test_cancelled_and_no_show_sessions_do_not_count(centre_year):
    # March: C1 attended 10.03 and 17.03, cancelled 24.03, no-show 31.03.
    assert value("visits_delivered", month(3)) == 2
    assert value("persons_served", month(3)) == 1


def test_a_person_served_by_two_organisations_counts_once_nationally(centre_year, cast):
    april_to_march = Filters(date_from=dt.date(Y, 3, 1), date_to=dt.date(Y, 4, 30))
    # P1 at Almaty in March and at Shymkent in April.
    assert value("persons_served", april_to_march, organisation=cast.almaty) == 1
    assert value("persons_served", april_to_march, organisation=cast.shymkent) == 1
    assert value("persons_served", april_to_march) == 1


def test_age_bands_are_counted_on_the_date_that_counts(centre_year):
    # P3 was born on 31.12 of the year before: aged 0 at the session of 30.12, 1 at the session of 31.12.
    december = month(12)
    assert split("visits_delivered", "age_band", december) == {"0-1": 1, "1-3": 1}
    assert value("visits_delivered", december, age_band="0-1") == 1
    assert value("visits_delivered", december, age_band="1-3") == 1
    # Cases open at the end of the year: P1 (twice), P2 and P3 are 1 or 2 on 31.12; P4 an adult.
    assert split("active_cases", "age_band") == {"1-3": 4, "18plus": 1}
    # A person is counted in every band they were in during the period (P3 in two).
    assert split("persons_served", "age_band") == {"0-1": 1, "1-3": 3, "18plus": 1}
    assert value("children_served", age_band="18plus") == 0
    assert value("persons_served", age_band="18plus") == 1


def test_filters_by_sex_and_programme(centre_year, cast):
    assert value("persons_served", sex="female") == 2
    assert value("visits_delivered", programme=cast.programme_b) == 1
    assert value("new_cases", programme=cast.programme_a) == 4


def test_nothing_outside_the_period(centre_year):
    next_year = Filters(date_from=dt.date(Y + 1, 1, 1), date_to=dt.date(Y + 1, 12, 31))
    for code in INDICATORS:
        expected = None if INDICATORS[code].over_records else 0
        if code == "active_cases":
            expected = 5  # still open
        if code == "coverage_rate":
            expected = 0.0  # nobody served, the capacities are there
        if code == "appeals_overdue":
            expected = 1  # the legal-help appeal of 30.11 is still open, due since 10.12
        assert value(code, next_year) == expected, code
