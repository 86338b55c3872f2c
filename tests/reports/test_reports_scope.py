"""Who sees which figures: managers their own organisation exactly, analysts and administrators any, with
small counts suppressed; nobody else."""

from __future__ import annotations

import json

import pytest

from tirek.reports.scope import suppress_counts, suppress_medians

Y = 2024  # the centre-year of conftest.py
PERIOD = f"from={Y}-01-01&to={Y}-12-31"


def get(client, code: str, query: str = ""):
    return client.get(f"/api/v1/reports/indicators/{code}/?{PERIOD}{'&' + query if query else ''}")


# -- the suppression rule itself --------------------------------------------------------------------------


def test_counts_from_one_to_four_are_hidden_zero_and_five_shown():
    rows, hidden = suppress_counts([{"k": "a", "value": 0}, {"k": "b", "value": 5}, {"k": "c", "value": 17}])
    assert [r["value"] for r in rows] == [0, 5, 17]
    assert hidden is False
    rows, hidden = suppress_counts([{"k": "a", "value": 3}, {"k": "b", "value": 4}, {"k": "c", "value": 9}])
    assert [r["value"] for r in rows] == ["<5", "<5", 9]
    assert hidden is True


def test_a_single_hidden_cell_takes_the_next_smallest_with_it():
    rows, _ = suppress_counts(
        [{"k": "a", "value": 30}, {"k": "b", "value": 2}, {"k": "c", "value": 8}, {"k": "d", "value": 0}]
    )
    # total − 30 − 8 would reveal b; with c hidden too only b + c = 10 is known.
    assert [r["value"] for r in rows] == [30, "<5", "<5", 0]


def test_the_threshold_is_a_setting(settings):
    settings.TIREK_SMALL_COUNT_THRESHOLD = 10
    rows, _ = suppress_counts([{"value": 9}])
    assert rows == [{"value": "<10"}]


def test_a_median_over_few_records_is_hidden():
    rows, hidden = suppress_medians([{"value": 3.0, "n": 2}, {"value": 6.0, "n": 12}])
    assert [r["value"] for r in rows] == ["<5", 6.0]
    assert hidden is True


# -- through the API --------------------------------------------------------------------------------------


def test_an_analyst_sees_small_counts_as_less_than_five_and_never_names(centre_year, cast):
    client = cast.client(cast.analyst)
    response = get(client, "persons_served", "by=sex")
    assert response.status_code == 200
    body = response.json()
    # 2 women, 2 men, 4 in all: every cell hidden, and so the total.
    assert body["rows"] == [{"sex": "female", "value": "<5"}, {"sex": "male", "value": "<5"}]
    assert body["total"] is None
    assert get(client, "visits_delivered").json()["rows"] == [{"value": 8}]
    assert get(client, "referral_days_to_accept").json()["rows"] == [{"value": "<5"}]
    text = json.dumps([get(client, code).json() for code in ("persons_served", "appeals_registered")])
    for person in (centre_year.p1, centre_year.p2, centre_year.p3, centre_year.p4):
        assert person.surname not in text
        assert str(person.pk) not in text
    for case in (centre_year.c1, centre_year.c5):
        assert str(case.pk) not in text
        assert case.number not in text


def test_an_analyst_splits_with_secondary_suppression(centre_year, cast):
    body = get(cast.client(cast.analyst), "visits_delivered", "by=mode").json()
    # centre 6, home 1, video 1: both small ones hidden; the total, 8, is not shown.
    assert body["rows"] == [
        {"mode": "centre", "value": 6},
        {"mode": "home", "value": "<5"},
        {"mode": "video", "value": "<5"},
    ]
    assert body["total"] is None


def test_an_analyst_chooses_any_organisation_or_region(centre_year, cast):
    client = cast.client(cast.analyst)
    assert get(client, "visits_delivered", f"organisation={cast.almaty.pk}").json()["rows"] == [{"value": 7}]
    assert get(client, "visits_delivered", f"region={cast.shymkent.region.kato}").json()["rows"] == [
        {"value": "<5"}
    ]


def test_a_manager_is_forced_to_their_organisation_and_sees_exact_figures(centre_year, cast):
    body = get(cast.client(cast.manager_b), "visits_delivered", f"organisation={cast.almaty.pk}").json()
    assert body["filters"]["organisation"] == str(cast.shymkent.pk)
    assert body["rows"] == [{"value": 1}]
    body = get(cast.client(cast.manager_a), "persons_served", "by=sex").json()
    assert body["filters"]["organisation"] == str(cast.almaty.pk)
    assert body["rows"] == [{"sex": "female", "value": 2}, {"sex": "male", "value": 2}]
    assert body["total"] == 4


def test_the_administrator_sees_everything_suppressed_like_an_analyst(centre_year, cast):
    assert get(cast.client(cast.admin), "persons_served").json()["rows"] == [{"value": "<5"}]


@pytest.mark.parametrize("who", ["specialist_a", "coordinator_a", "outsider"])
def test_other_roles_get_403(cast, who):
    client = cast.client(getattr(cast, who))
    for url in ("/api/v1/reports/indicators/", "/api/v1/reports/indicators/persons_served/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "error" in response.json()
    for url in ("/reports/", "/reports/persons_served/"):
        assert client.get(url).status_code == 403


def test_an_analyst_member_of_a_centre_is_not_limited_to_it(centre_year, cast, django_user_model):
    from tirek.accounts.models import Membership

    analyst = django_user_model.objects.create_user(username="arman", active_organisation=cast.almaty)
    Membership.objects.create(user=analyst, organisation=cast.almaty, role="analyst")
    body = get(cast.client(analyst), "visits_delivered").json()
    assert body["filters"]["organisation"] is None
    assert body["rows"] == [{"value": 8}]


def test_anonymous_requests_are_refused(cast):
    assert cast.client(None).get("/api/v1/reports/indicators/").status_code in (401, 403)
    assert cast.client(None).get("/reports/").status_code == 302
