"""The report pages: the catalogue grouped, one indicator with its filter form and table, the navigation."""

from __future__ import annotations

from django.conf import settings

from tirek.reports.catalogue import INDICATORS

Y = 2024  # the centre-year of conftest.py


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_catalogue_page_lists_every_indicator(cast):
    response = english(cast.client(cast.analyst)).get("/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in INDICATORS:
        assert f'data-testid="indicator-{code}"' in html
    assert "Sessions and group activities" in html


def test_an_indicator_page_shows_definition_filters_table_and_computed_at(centre_year, cast):
    client = english(cast.client(cast.analyst))
    response = client.get(f"/reports/visits_delivered/?from={Y}-01-01&to={Y}-12-31&by=mode")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="definition"' in html
    assert "Sessions with status attended" in html
    assert 'data-testid="computed-at"' in html
    assert 'id="id_organisation"' in html  # analysts choose the organisation
    assert 'data-code="home"' in html
    assert "At home" in html  # the label of the mode, not its code


def test_a_manager_has_no_organisation_field(centre_year, cast):
    html = cast.client(cast.manager_a).get("/reports/visits_delivered/").content.decode()
    assert 'id="id_organisation"' not in html
    assert 'id="id_region"' in html


def test_a_bad_filter_shows_the_error_and_keeps_the_input(cast):
    response = english(cast.client(cast.analyst)).get(
        "/reports/persons_served/?from=2024-05-01&to=2024-04-30"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-to"' in html
    assert 'value="2024-05-01"' in html
    assert 'data-testid="indicator-table"' not in html


def test_an_unknown_indicator_page_is_404(cast):
    assert cast.client(cast.analyst).get("/reports/happiness/").status_code == 404


def test_reports_are_in_the_navigation_of_managers_and_analysts_only(cast):
    for user, expected in [(cast.manager_a, True), (cast.analyst, True), (cast.specialist_a, False)]:
        html = cast.client(user).get("/").content.decode()
        assert ('href="/reports/"' in html) is expected, user


def test_places_are_shown_by_their_names(centre_year, cast):
    client = english(cast.client(cast.analyst))
    url = f"/reports/visits_delivered/?from={Y}-01-01&to={Y}-12-31"
    by_region = client.get(f"{url}&by=region").content.decode()
    assert 'data-code="750000000"' in by_region and "Almaty city" in by_region
    by_organisation = client.get(f"{url}&by=organisation").content.decode()
    organisation = cast.manager_a.memberships.get().organisation
    assert f'data-code="{organisation.pk}"' in by_organisation and organisation.name in by_organisation
