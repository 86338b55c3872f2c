"""Residence: occupancy never exceeds a facility's places without a confirmation; a person lives in one
place at a time; the pages and API follow the same rules, scoped to the organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tirek.accounts.models import Membership, User
from tirek.audit.models import AuditEvent
from tirek.core.errors import NotAllowed
from tirek.people.services import person_register
from tirek.residence.models import Facility, Residence
from tirek.residence.services import facility_create, facility_update, residence_move_in, residence_move_out


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def leaver(cast):
    """make a care leaver of an organisation: leaver(given_name, organisation=almaty)."""

    def register(given_name: str, organisation=None):
        organisation = organisation or cast.almaty
        return person_register(
            actor=cast.coordinator_b if organisation == cast.shymkent else cast.coordinator_a,
            organisation=organisation,
            surname="Жұмабаев",
            given_name=given_name,
            sex="male",
            birth_date=dt.date(2005, 3, 1),
            iin_missing_reason="unknown",
        )

    return register


@pytest.fixture
def house(cast):
    """A youth house of the Almaty organisation with two places."""
    return facility_create(
        actor=cast.manager_a, organisation=cast.almaty, name="Жастар үйі", kind="youth_house", places=2
    )


def move_in(cast, facility, person, day, **extra):
    return residence_move_in(
        actor=cast.coordinator_a, facility=facility, person=person, moved_in_on=day, **extra
    )


def test_a_full_facility_refuses_a_move_in_without_confirmation(cast, house, leaver, today):
    for name in ("Арман", "Бекзат"):
        move_in(cast, house, leaver(name), today - dt.timedelta(days=10))
    third = leaver("Дамир")
    with pytest.raises(ValidationError) as error:
        move_in(cast, house, third, today)
    assert error.value.error_dict["confirm_over_capacity"][0].code == "over_capacity"
    assert Residence.objects.count() == 2
    confirmed = move_in(cast, house, third, today, confirm_over_capacity=True)
    assert Residence.objects.filter(facility=house).on(today).count() == 3
    event = AuditEvent.objects.get(object_id=str(confirmed.pk), action="create")
    assert event.note == "over_capacity" and event.subject_person_id == third.pk


def test_a_backdated_move_in_counts_the_residents_who_came_later(cast, house, leaver, today):
    move_in(cast, house, leaver("Арман"), today - dt.timedelta(days=30))
    move_in(cast, house, leaver("Бекзат"), today - dt.timedelta(days=5))
    # On the day 40 days ago the house was empty, but from 5 days ago on it would hold three.
    with pytest.raises(ValidationError):
        move_in(cast, house, leaver("Дамир"), today - dt.timedelta(days=40))


def test_a_place_freed_by_a_move_out_is_taken_without_confirmation(cast, house, leaver, today):
    first = move_in(cast, house, leaver("Арман"), today - dt.timedelta(days=30))
    move_in(cast, house, leaver("Бекзат"), today - dt.timedelta(days=30))
    residence_move_out(actor=cast.coordinator_a, residence=first, moved_out_on=today - dt.timedelta(days=1))
    move_in(cast, house, leaver("Дамир"), today - dt.timedelta(days=1))
    assert Residence.objects.filter(facility=house).on(today).count() == 2


def test_fewer_places_than_residents_needs_a_confirmation(cast, house, leaver, today):
    move_in(cast, house, leaver("Арман"), today)
    move_in(cast, house, leaver("Бекзат"), today)
    with pytest.raises(ValidationError) as error:
        facility_update(actor=cast.manager_a, facility=house, places=1)
    assert "confirm_over_capacity" in error.value.message_dict
    facility_update(actor=cast.manager_a, facility=house, places=1, confirm_over_capacity=True)
    house.refresh_from_db()
    assert house.places == 1


def test_overlapping_residences_of_a_person_are_refused(cast, house, leaver, today):
    person = leaver("Арман")
    other = facility_create(
        actor=cast.manager_a,
        organisation=cast.almaty,
        name="Әлеуметтік пәтер",
        kind="social_apartment",
        places=4,
    )
    stay = move_in(cast, house, person, today - dt.timedelta(days=20))
    with pytest.raises(ValidationError) as error:
        move_in(cast, other, person, today - dt.timedelta(days=10))
    assert "person" in error.value.message_dict
    residence_move_out(actor=cast.coordinator_a, residence=stay, moved_out_on=today - dt.timedelta(days=10))
    # The move-out day is the first day away: moving elsewhere that day does not overlap.
    move_in(cast, other, person, today - dt.timedelta(days=10))
    with pytest.raises(ValidationError):  # and the earlier stay cannot be entered again
        move_in(cast, house, person, today - dt.timedelta(days=15))


def test_moving_out_is_audited_and_done_once(cast, house, leaver, today):
    stay = move_in(cast, house, leaver("Арман"), today - dt.timedelta(days=20))
    with pytest.raises(ValidationError):
        residence_move_out(
            actor=cast.coordinator_a, residence=stay, moved_out_on=today - dt.timedelta(days=21)
        )
    residence_move_out(actor=cast.coordinator_a, residence=stay, note="Пәтер алды")
    event = AuditEvent.objects.get(object_id=str(stay.pk), action="update")
    assert (
        event.changes["moved_out_on"] == [None, today.isoformat()]
        and event.subject_person_id == stay.person_id
    )
    with pytest.raises(ValidationError):
        residence_move_out(actor=cast.coordinator_a, residence=stay)


def test_only_persons_the_organisation_serves_move_in(cast, house, leaver, today):
    with pytest.raises(ValidationError) as error:
        move_in(cast, house, leaver("Бекзат", organisation=cast.shymkent), today)
    assert "person" in error.value.message_dict


def test_roles_without_the_capability_are_refused(cast, house, leaver, today):
    person = leaver("Арман")
    for actor in (cast.specialist_a, cast.coordinator_b):
        with pytest.raises(NotAllowed):
            residence_move_in(actor=actor, facility=house, person=person)
    with pytest.raises(NotAllowed):
        facility_create(actor=cast.specialist_a, organisation=cast.almaty, name="x", kind="shelter", places=3)


# --- pages and API ---------------------------------------------------------------------------------------


def test_the_pages_show_occupancy_and_move_residents_in_and_out(cast, house, leaver, today):
    first, second, third = leaver("Арман"), leaver("Бекзат"), leaver("Дамир")
    client = cast.client(cast.coordinator_a)
    for person in (first, second):
        response = client.post(
            reverse("residence:move_in", args=[house.pk]),
            {"person": person.pk, "moved_in_on": today.isoformat()},
        )
        assert response.status_code == 302
    listing = client.get(reverse("residence:list"))
    assert 'data-testid="occupancy">2 / 2<' in listing.content.decode()
    full = client.post(
        reverse("residence:move_in", args=[house.pk]), {"person": third.pk, "moved_in_on": today.isoformat()}
    )
    assert full.status_code == 200 and "confirm_over_capacity" in full.context["form"].errors
    assert Residence.objects.count() == 2
    client.post(
        reverse("residence:move_in", args=[house.pk]),
        {"person": third.pk, "moved_in_on": today.isoformat(), "confirm_over_capacity": "on"},
    )
    assert Residence.objects.count() == 3
    stay = Residence.objects.get(person=first)
    client.post(reverse("residence:move_out", args=[stay.pk]), {"moved_out_on": today.isoformat()})
    page = client.get(reverse("residence:detail", args=[house.pk]))
    assert {r.person for r in page.context["residents"]} == {second, third}
    assert [r.person for r in page.context["history"]] == [first]


def test_the_facility_form_creates_and_edits(cast):
    client = cast.client(cast.manager_a)
    client.post(
        reverse("residence:new"), {"name": "Баспана", "kind": "shelter", "places": 12, "is_active": "on"}
    )
    facility = Facility.objects.get()
    assert (facility.organisation, facility.places) == (cast.almaty, 12)
    client.post(
        reverse("residence:edit", args=[facility.pk]),
        {"name": "Баспана", "kind": "shelter", "places": 14, "is_active": "on"},
    )
    facility.refresh_from_db()
    assert facility.places == 14


def test_pages_answer_404_to_another_organisation_and_403_to_a_role(cast, house, leaver, today):
    stay = move_in(cast, house, leaver("Арман"), today)
    pages = [
        reverse("residence:detail", args=[house.pk]),
        reverse("residence:edit", args=[house.pk]),
        reverse("residence:move_in", args=[house.pk]),
        reverse("residence:move_out", args=[stay.pk]),
    ]
    allowed = cast.client(cast.coordinator_a)
    for url in [reverse("residence:list"), reverse("residence:new"), *pages]:
        assert allowed.get(url).status_code == 200, url
    other, specialist = cast.client(cast.manager_b), cast.client(cast.specialist_a)
    for url in pages:
        assert other.get(url).status_code == 404, url
    assert specialist.get(pages[0]).status_code == 200
    for url in [reverse("residence:new"), *pages[1:]]:
        assert specialist.get(url).status_code == 403, url
    assert list(other.get(reverse("residence:list")).context["facilities"]) == []


def test_the_api_moves_in_with_a_confirmation_and_out(cast, house, leaver, today):
    client = cast.client(cast.coordinator_a)
    people = [leaver(name) for name in ("Арман", "Бекзат", "Дамир")]
    for person in people[:2]:
        response = client.post(
            "/api/v1/residences/",
            {"facility": str(house.pk), "person": str(person.pk)},
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
    over = client.post(
        "/api/v1/residences/",
        {"facility": str(house.pk), "person": str(people[2].pk)},
        content_type="application/json",
    )
    assert over.status_code == 400 and list(over.json()["error"]["fields"]) == ["confirm_over_capacity"]
    confirmed = client.post(
        "/api/v1/residences/",
        {"facility": str(house.pk), "person": str(people[2].pk), "confirm_over_capacity": True},
        content_type="application/json",
    )
    assert confirmed.status_code == 201
    assert client.get(f"/api/v1/facilities/{house.pk}/").json()["occupied"] == 3
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert client.get("/api/v1/facilities/", {"date": yesterday}).json()["results"][0]["occupied"] == 0
    page = client.get(reverse("residence:list"), {"date": yesterday})
    assert [f.occupied for f in page.context["facilities"]] == [0]
    moved = client.post(
        f"/api/v1/residences/{confirmed.json()['id']}/move-out/", {}, content_type="application/json"
    )
    assert moved.json()["moved_out_on"] == today.isoformat()
    current = client.get("/api/v1/residences/", {"current": "true", "facility": str(house.pk)}).json()[
        "results"
    ]
    assert {r["person"] for r in current} == {str(p.pk) for p in people[:2]}
    read = client.get(f"/api/v1/residences/{confirmed.json()['id']}/")
    assert read.status_code == 200
    assert AuditEvent.objects.filter(object_id=confirmed.json()["id"], action="view").exists()


def test_the_api_answers_404_to_another_organisation_and_403_to_a_role(cast, house, leaver, today):
    person = leaver("Арман")
    stay = move_in(cast, house, leaver("Бекзат"), today)
    other, specialist = cast.client(cast.manager_b), cast.client(cast.specialist_a)
    for url in (f"/api/v1/facilities/{house.pk}/", f"/api/v1/residences/{stay.pk}/"):
        assert other.get(url).status_code == 404
        assert specialist.get(url).status_code == 200
    writes = [
        ("patch", f"/api/v1/facilities/{house.pk}/", {"places": 5}),
        ("post", "/api/v1/residences/", {"facility": str(house.pk), "person": str(person.pk)}),
        ("post", f"/api/v1/residences/{stay.pk}/move-out/", {}),
    ]
    for method, url, data in writes:
        assert getattr(other, method)(url, data, content_type="application/json").status_code == 404, url
        assert getattr(specialist, method)(url, data, content_type="application/json").status_code == 403, url
    create = specialist.post(
        "/api/v1/facilities/", {"name": "x", "kind": "shelter", "places": 3}, content_type="application/json"
    )
    assert create.status_code == 403
    assert other.get("/api/v1/residences/").json()["results"] == []


def test_the_lists_run_a_fixed_number_of_queries(cast, leaver, today, django_assert_max_num_queries):
    def add(number):
        facility = facility_create(
            actor=cast.manager_a, organisation=cast.almaty, name=f"Үй {number}", kind="youth_house", places=5
        )
        move_in(cast, facility, leaver(f"Тұрғын {number}"), today)
        return facility

    first = add(0)
    client = cast.client(cast.coordinator_a)
    measured = {}
    urls = [
        reverse("residence:list"),
        reverse("residence:detail", args=[first.pk]),
        "/api/v1/facilities/",
        "/api/v1/residences/",
    ]
    for url in urls:
        with django_assert_max_num_queries(12) as queries:
            client.get(url)
        measured[url] = len(queries.captured_queries)
    for number in range(1, 5):
        add(number)
        move_in(cast, first, leaver(f"Көрші {number}"), today, confirm_over_capacity=True)
    for url in urls:
        with django_assert_max_num_queries(measured[url]):
            assert client.get(url).status_code == 200


def test_the_menu_shows_residence_to_organisations_with_a_facility(cast, house):
    from tirek.web.navigation import navigation_for

    def labels(user):
        user.forget_roles()
        with translation.override("en"):
            return [str(label) for _url, label in navigation_for(user)["nav_items"]]

    assert "Residence" not in labels(cast.manager_a)  # an early-intervention centre: never
    cast.almaty.kind = "ngo"
    cast.almaty.save()
    assert "Residence" in labels(User.objects.get(pk=cast.manager_a.pk))
    Facility.objects.all().delete()
    assert "Residence" not in labels(User.objects.get(pk=cast.manager_a.pk))
    youth_house = type(cast.almaty).objects.create(
        name_kk="Жастар үйі", name_ru="Дом молодёжи", kind="youth_house", region=cast.almaty.region
    )
    manager = User.objects.create_user(username="yh", active_organisation=youth_house)
    Membership.objects.create(user=manager, organisation=youth_house, role="manager")
    assert "Residence" in labels(manager) and "Courses" in labels(manager)
