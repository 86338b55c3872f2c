"""The full centre-year (conftest.py `build_centre_year`): every indicator through the API, as each centre's
manager and nationally, against counts made by hand from the story; period edges, age bands, cancelled and
no-show sessions, a person of two organisations, the diagnosis group, the organisation and region splits,
and the suppression of rates."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tirek.reports.catalogue import INDICATORS, Filters

Y = 2024  # the centre-year of conftest.py
A_REGION, B_REGION = "750000000", "790000000"  # Almaty city, Shymkent city (KATO)


def get(client, code: str, query: str = "period=2024") -> dict:
    response = client.get(f"/api/v1/reports/indicators/{code}/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def value(client, code: str, query: str = "period=2024"):
    rows = get(client, code, query)["rows"]
    assert len(rows) == 1
    return rows[0]["value"]


def split(client, code: str, by: str, query: str = "period=2024") -> dict:
    return {row[by]: row["value"] for row in get(client, code, f"{query}&by={by}")["rows"]}


# (code, national, Almaty, Shymkent), counted by hand from the story in conftest.py (base + full).
HAND_COUNTS = [
    # Almaty: P1–P4 (base), P5, P6; Shymkent: P1 (C5), P7–P10. P1 once nationally: 6 + 5 − 1.
    ("persons_served", 10, 6, 5),
    # P4 is the only adult (P4 only at Almaty).
    ("children_served", 9, 5, 5),
    # The Nurlanovs (P2), the Kasymovs (P3 and P4: once), the Seitovs (P1: at Almaty and at Shymkent, once).
    ("families_served", 3, 3, 1),
    # The total counts a person once, whatever the professions that saw them: as persons_served.
    ("persons_served_by_profession", 10, 6, 5),
    # Served per programme with a capacity, over the capacities (a whole year): Almaty 6 / 140 = 4.29 %,
    # Shymkent 5 / 600 = 0.83 %, nationally (6 + 5) / 740 = 1.49 % (P1 takes a place in both programmes).
    ("coverage_rate", 1.5, 4.3, 0.8),
    # P4 in the youth house (March–August), P6 in the shelter from 31.12; P2 moved out on 1 January.
    ("youth_house_residents", 2, 2, 0),
    # C1–C4, C7, C8 at Almaty; C5, C6 (accepted referrals) and C9–C12 at Shymkent.
    ("new_cases", 12, 6, 6),
    # C2 on 30.09.
    ("closed_cases", 1, 1, 0),
    # Open on 31.12: Almaty C1, C3, C4, C7, C8; Shymkent all six.
    ("active_cases", 11, 5, 6),
    # First-plan deadlines in the year (referral day + 45 days + pauses): Almaty C1 29.02 (approved 20.03,
    # late), C2 17.03 (closed 30.09 without a plan: late), C3 15.04, C4 16.06 (no plan), C7 16.05 (approved
    # 10.05), C8 02.08 with its 15-day pause (approved 30.07): 2 of 6 = 33.3 %; Shymkent C5 09.05, C6 16.07,
    # C10 15.04, C11 15.06, C12 15.08 (no plan), C9 17.03 (approved 10.03): 1 of 6 = 16.7 %; 3 of 12 = 25 %.
    ("plans_within_deadline_rate", 25.0, 33.3, 16.7),
    # On 31.12: C1's plan (approved 20.03) was due a review on 20.09, C9's (10.03) on 10.09; C7 was reviewed
    # on 20.11 (next 20.05 of the next year), C8's plan of 30.07 is due on 30.01 of the next year.
    ("reviews_overdue", 2, 1, 1),
    # Almaty: base 7 + C7 2 + C8 2 + P4's legal consultation + the group consultation's 2 attended = 14
    # (the no-show of 24.04 and the cancelled session of 19.06 do not count); Shymkent: base 1 + 4 = 5.
    ("visits_delivered", 19, 14, 5),
    # The seminar and the group consultation; the training was never held.
    ("group_activities", 2, 2, 0),
    # The seminar: C1; the group consultation: C7, C8 and 3 parents from outside.
    ("group_participants", 6, 6, 0),
    # C7's two psychological consultations, C8's one, P4's legal one, the group consultation's two.
    ("consultations", 6, 6, 0),
    # Housing (10.02), legal help (30.11), employment (01.10), psychological help (20.12).
    ("appeals_registered", 4, 4, 0),
    # Housing on 01.03; the employment appeal was resolved in the next year.
    ("appeals_resolved", 1, 1, 0),
    # Open on 31.12 and due before it: legal help (due 10.12), employment (due 31.10, answered in January),
    # psychological help (due 23.12).
    ("appeals_overdue", 3, 3, 0),
    # Families: the Nurlanovs (twice: once) and the Kasymovs; persons: P4.
    ("aid_recipients", 3, 3, 0),
    # P4 job found, P1 returned to the birth family, P6 moved on to kindergarten.
    ("outcomes", 3, 3, 0),
    ("referrals_sent", 2, 2, 0),
    ("referrals_accepted", 2, 0, 2),
    # 7 and 3 days: the median is 5.
    ("referral_days_to_accept", 5.0, None, 5.0),
]


def test_every_indicator_is_checked():
    assert {row[0] for row in HAND_COUNTS} == set(INDICATORS)


@pytest.mark.parametrize(("code", "national", "almaty", "shymkent"), HAND_COUNTS)
def test_every_indicator_equals_the_count_by_hand(
    centre_year_full, cast, settings, code, national, almaty, shymkent
):
    # Each centre's manager sees their own figures, exactly.
    assert value(cast.client(cast.manager_a), code) == almaty
    assert value(cast.client(cast.manager_b), code) == shymkent
    # Nationally, and by region, as an analyst with nothing suppressed (threshold 1).
    settings.TIREK_SMALL_COUNT_THRESHOLD = 1
    analyst = cast.client(cast.analyst)
    assert value(analyst, code) == national
    assert value(analyst, code, f"period=2024&region={B_REGION}") == shymkent
    assert value(analyst, code, f"period=2024&organisation={cast.almaty.pk}") == almaty


def test_splits_by_hand(centre_year_full, cast):
    manager = cast.client(cast.manager_a)
    # Almaty's sessions: centre C1 ×2 + seminar, C3 ×2, C7 10.04, the group consultation ×2; home C2, C8;
    # video C4, C8; phone C7 17.04; messenger P4.
    assert split(manager, "visits_delivered", "mode") == {
        "centre": 8,
        "home": 2,
        "video": 2,
        "phone": 1,
        "messenger": 1,
    }
    assert split(manager, "visits_delivered", "format") == {"individual": 11, "group": 3}
    assert split(manager, "visits_delivered", "profession") == {
        "speech_therapist": 8,
        "psychologist": 5,
        "lawyer": 1,
    }
    assert split(manager, "visits_delivered", "service_type") == {
        "pedagogical": 8,
        "psychological": 5,
        "legal": 1,
    }
    # Speech therapists saw P1, P2, P3, P4 (base) and P6; the psychologist P5 and P6; the lawyer P4.
    assert split(manager, "persons_served_by_profession", "profession") == {
        "speech_therapist": 5,
        "psychologist": 2,
        "lawyer": 1,
    }
    assert split(manager, "consultations", "service_type") == {"psychological": 5, "legal": 1}
    assert split(manager, "consultations", "service") == {
        "psychological_consultation": 3,
        "group_consultation": 2,
        "legal_consultation": 1,
    }
    assert split(manager, "group_participants", "kind") == {"seminar": 1, "group_consultation": 5}
    assert split(manager, "youth_house_residents", "facility_kind") == {"shelter": 1, "youth_house": 1}
    # Against the capacity 140 and the target 100: 6 persons.
    assert split(manager, "coverage_rate", "basis") == {"capacity": 4.3, "target": 6.0}
    assert split(manager, "aid_recipients", "recipient") == {"family": 2, "person": 1}
    assert split(manager, "aid_recipients", "kind") == {"food_package": 2, "hygiene_kit": 1}
    assert split(manager, "appeals_overdue", "category") == {
        "employment": 1,
        "legal_help": 1,
        "psychological_help": 1,
    }
    assert split(manager, "appeals_registered", "channel") == {
        "walk_in": 1,
        "phone": 1,
        "online": 1,
        "helpline_150": 1,
    }
    assert split(manager, "outcomes", "kind") == {
        "job_found": 1,
        "returned_to_birth_family": 1,
        "moved_to_kindergarten": 1,
    }
    assert split(manager, "closed_cases", "closure_reason") == {"moved": 1}
    assert split(manager, "closed_cases", "destination") == {"none": 1}
    # Families with a member served, by the member's sex: P1, P3, P4, P2 … the Kasymovs through both.
    assert split(manager, "families_served", "sex") == {"female": 2, "male": 2}


def test_period_edges_and_cancelled_sessions(centre_year_full, cast):
    manager = cast.client(cast.manager_a)
    # C2's home session on 31.05 at 23:30 local time is May's, not June's.
    assert value(manager, "visits_delivered", "period=2024-05") == 1
    # June: C4 10.06, C8 05.06 and 12.06; the cancelled session of 19.06 does not count.
    assert value(manager, "visits_delivered", "period=2024-06") == 3
    # April: C7 10.04 and 17.04; the no-show of 24.04 does not count.
    assert value(manager, "visits_delivered", "period=2024-04") == 2
    assert value(manager, "consultations", "period=2024-04") == 2
    # The appeal received on 30.11 at 23:30 is November's.
    assert value(manager, "appeals_registered", "period=2024-11") == 1
    # On 30.11 only the employment appeal (due 31.10) is overdue; legal help is due 10.12.
    assert value(manager, "appeals_overdue", "period=2024-11") == 1
    # The move-out day is the first day away: P2 (out on 1 January) lived there in December before.
    assert value(manager, "youth_house_residents", "period=2024-01") == 0
    assert value(manager, "youth_house_residents", "period=2023-12") == 1


def test_age_bands_on_the_counting_date(centre_year_full, cast):
    manager = cast.client(cast.manager_a)
    # P3, born 31.12 of the year before, is 0 at the session of 30.12 and 1 at the one of 31.12.
    assert split(manager, "visits_delivered", "age_band", "period=2024-12") == {"0-1": 1, "1-3": 1}
    # Residents on the period's last day: P4 is 30, P6 (born (Y-3)-11-20) is 3.
    assert split(manager, "youth_house_residents", "age_band") == {"18plus": 1, "3-7": 1}
    assert value(manager, "youth_house_residents", "period=2024&age_band=18plus") == 1


def test_reviews_overdue_as_they_stood_on_the_last_day(centre_year_full, cast):
    manager = cast.client(cast.manager_a)
    # On 15.11 C7's review (due 10.11) had not happened yet (20.11): C1 and C7.
    assert value(manager, "reviews_overdue", "from=2024-01-01&to=2024-11-15") == 2
    assert value(manager, "reviews_overdue", "period=2024-11") == 1
    # Before C1's review fell due (20.09) nothing was overdue.
    assert value(manager, "reviews_overdue", "period=2024-08") == 0


def test_plans_within_deadline_in_a_quarter(centre_year_full, cast):
    body = get(cast.client(cast.manager_a), "plans_within_deadline_rate", "period=2024-Q2")
    # Due in the second quarter: C3 (15.04), C7 (16.05, in time), C4 (16.06): 1 of 3.
    assert body["rows"] == [{"value": 33.3}]


def test_coverage_is_pro_rated_to_the_period(centre_year_full, cast):
    # June at Almaty: P4 and P6 served, the capacity 140 × 30/366 = 11.48 places: 17.4 %.
    assert value(cast.client(cast.manager_a), "coverage_rate", "period=2024-06") == 17.4


def test_a_person_of_two_organisations_counts_once_nationally(centre_year_full, cast):
    analyst = cast.client(cast.analyst)
    body = get(analyst, "persons_served", "period=2024&by=organisation")
    # P1 at both: 6 at Almaty, 5 at Shymkent, 10 in all (nothing below 5, nothing suppressed).
    assert {row["organisation"]: row["value"] for row in body["rows"]} == {
        str(cast.almaty.pk): 6,
        str(cast.shymkent.pk): 5,
    }
    assert body["total"] == 10
    body = get(analyst, "persons_served", "period=2024&by=region")
    assert body["rows"] == [{"region": A_REGION, "value": 6}, {"region": B_REGION, "value": 5}]
    assert body["total"] == 10
    assert value(analyst, "persons_served") == 10


@pytest.mark.parametrize("code", sorted(INDICATORS))
def test_every_indicator_splits_by_organisation_and_region(cast, code):
    assert {"organisation", "region"} <= set(INDICATORS[code].dimensions)
    response = cast.client(cast.analyst).get(f"/api/v1/reports/indicators/{code}/?period=2024&by=region")
    assert response.status_code == 200


def test_the_diagnosis_group_filter(centre_year_full, cast):
    a, b = cast.client(cast.manager_a), cast.client(cast.manager_b)
    # F80–F89: P1 (F84.0); at Shymkent P1 (served there too) and P7 (F84.1).
    assert value(a, "persons_served", "period=2024&diagnosis_group=F80-F89") == 1
    assert value(b, "persons_served", "period=2024&diagnosis_group=f84") == 2
    assert get(b, "persons_served", "period=2024&diagnosis_group=f84")["filters"]["diagnosis_group"] == "F84"
    # G80–G83: P5 (G80), two consultations and the group consultation.
    assert value(a, "persons_served", "period=2024&diagnosis_group=G80-G83") == 1
    assert value(a, "visits_delivered", "period=2024&diagnosis_group=G80-G83") == 3
    assert value(a, "persons_served", "period=2024&diagnosis_group=Q90") == 0


@pytest.mark.parametrize("group", ["F8", "F89-F80", "84", "F80-F89-F99"])
def test_a_bad_diagnosis_group_is_400(cast, group):
    response = cast.client(cast.manager_a).get(
        f"/api/v1/reports/indicators/persons_served/?diagnosis_group={group}"
    )
    assert response.status_code == 400
    assert "diagnosis_group" in response.json()["error"]["fields"]


def test_the_diagnosis_group_is_refused_where_there_is_no_person(cast):
    response = cast.client(cast.manager_a).get(
        "/api/v1/reports/indicators/group_activities/?diagnosis_group=F84"
    )
    assert response.status_code == 400
    assert "diagnosis_group" in response.json()["error"]["fields"]


def test_a_rate_over_few_records_is_hidden_from_analysts(centre_year_full, cast, settings):
    analyst = cast.client(cast.analyst)
    # Over 12 cases (6 and 6 by organisation): shown.
    assert value(analyst, "plans_within_deadline_rate") == 25.0
    body = get(analyst, "plans_within_deadline_rate", "period=2024&by=organisation")
    assert sorted(row["value"] for row in body["rows"]) == [16.7, 33.3]
    # Shymkent's first quarter: only C9 was due (17.03): a rate over one case is hidden …
    query = f"period=2024-Q1&region={B_REGION}"
    assert value(analyst, "plans_within_deadline_rate", query) == "<5"
    # … the manager sees it.
    assert value(cast.client(cast.manager_b), "plans_within_deadline_rate", "period=2024-Q1") == 100.0
    # The coverage of Shymkent is over its 5 persons: shown at 5, hidden at a threshold of 6.
    assert value(analyst, "coverage_rate", f"period=2024&region={B_REGION}") == 0.8
    settings.TIREK_SMALL_COUNT_THRESHOLD = 7
    body = get(analyst, "plans_within_deadline_rate", "period=2024&by=organisation")
    assert [row["value"] for row in body["rows"]] == ["<7", "<7"]
    assert body["total"] is None
    assert value(analyst, "coverage_rate", f"period=2024&region={B_REGION}") == "<7"


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("code", sorted(INDICATORS))
def test_the_query_count_does_not_grow_with_the_full_year(centre_year_full, cast, code):
    client = cast.client(cast.analyst)
    url = f"/api/v1/reports/indicators/{code}/"
    # A median takes two queries per group of its split (by design): compare it unsplit.
    by = "" if INDICATORS[code].measure == "median" else "organisation"
    empty = _queries(client, f"{url}?period=2000&by={by}")
    full = _queries(client, f"{url}?period=2024&by={by}")
    assert full == empty
    assert full <= 12


def test_the_page_takes_the_diagnosis_group_and_the_organisation_split(centre_year_full, cast):
    client = cast.client(cast.manager_b)
    response = client.get("/reports/persons_served/?period=2024&diagnosis_group=F84&by=organisation")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="diagnosis_group"' in html
    assert 'value="F84"' in html
    assert 'data-testid="row-value">2<' in html
    response = client.get("/reports/persons_served/?period=2024&diagnosis_group=F8")
    assert response.status_code == 200
    assert 'value="F8"' in response.content.decode()  # the rejected form keeps what was typed


# -- one figure, three ways ----------------------------------------------------------------------------------


def _xlsx_figures(client, code: str, query: str) -> list[list]:
    response = client.get(f"/api/v1/exports/indicator/{code}/?{query}&format=xlsx")
    assert response.status_code == 200, response.content
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize(
    ("user_name", "page", "threshold", "column"),
    [("manager_a", "/reports/dashboard/", 5, 2), ("analyst", "/reports/dashboard/country/", 1, 1)],
)
def test_the_dashboard_the_api_and_the_xlsx_export_give_the_same_figures(
    centre_year_full, cast, settings, user_name, page, threshold, column
):
    """The dashboard's tiles and its chart of sessions by service type, read from the page's context, equal
    the API's figures and the exported workbook's, and the counts made by hand (Almaty's for its manager,
    the country's for an analyst)."""
    settings.TIREK_SMALL_COUNT_THRESHOLD = threshold
    client = cast.client(getattr(cast, user_name))
    dashboard = client.get(f"{page}?period={Y}").context["data"]
    by_hand = {row[0]: row[column] for row in HAND_COUNTS}
    assert dashboard["tiles"]
    for tile in dashboard["tiles"]:
        code = tile["code"]
        from_api = value(client, code)
        [[_name, _code, from_xlsx]] = _xlsx_figures(client, code, f"period={Y}")
        assert tile["value"] == from_api == from_xlsx == by_hand[code], code
    chart = next(c for c in dashboard["charts"] if c["code"] == "visits_delivered")
    drawn = {row["code"]: row["value"] for row in chart["rows"]}
    assert drawn == split(client, "visits_delivered", "service_type")
    exported = _xlsx_figures(client, "visits_delivered", f"period={Y}&by=service_type")
    assert {row[1]: row[2] for row in exported if row[1]} == drawn
    assert sum(drawn.values()) == by_hand["visits_delivered"]


# -- the total beside a split --------------------------------------------------------------------------------


def test_the_total_beside_every_split_is_the_unsplit_figure(centre_year_full):
    """Whether the total is summed from the split's rows or computed again, it is the unsplit figure: a person
    seen by two professions, or a family served through two members, is not counted twice."""
    year = Filters(date_from=dt.date(Y, 1, 1), date_to=dt.date(Y, 12, 31))
    summed = set()
    for code, indicator in INDICATORS.items():
        unsplit = indicator.compute(year, None)[0]["value"]
        for by in indicator.dimensions:
            rows = indicator.compute(year, by)
            with CaptureQueriesContext(connection) as queries:
                total = indicator.total(year, by, rows)["value"]
            assert total == unsplit, (code, by)
            if not queries.captured_queries:
                summed.add((code, by))
    assert ("visits_delivered", "service_type") in summed  # one scan for the split and its total
    assert ("persons_served_by_profession", "profession") not in summed  # a person has several
    assert ("persons_served", "sex") not in summed  # distinct persons: computed again
