"""No lost updates: persons, cases, plans and appeals carry a version, and a save based on an older version
than the stored one is refused — in the UI with what the user typed kept and the other person's changes shown,
in the API with 409 in the one error shape — and nothing of it is written."""

from __future__ import annotations

from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from tirek.audit.models import AuditEvent
from tirek.audit.writes import check_version
from tirek.cases.models import Case
from tirek.core.errors import Conflict
from tirek.people.models import Person
from tirek.people.services import person_update
from tirek.plans.models import Plan
from tirek.plans.services import plan_create
from tirek.support.models import Appeal
from tirek.support.services import appeal_register


@dataclass
class Scenario:
    """One versioned record edited on its page and through the API by two users at once."""

    edit_url: str
    a_types: dict[str, Any]  # what A changes on the page
    b_types: dict[str, Any]  # what B changes on the page, from the same loaded version
    b_field: str  # the model field B's change lands in
    b_value: Any
    a_field: str  # the model field A's change lands in, listed to B
    a_label: str  # its name as B reads it (English)
    api_url: str
    api_method: str
    api_body: dict[str, Any]  # B's API change (without version)
    api_field: str
    api_value: Any


def _person(cast, make_case) -> tuple[Person, Scenario]:
    person = make_case().person
    return person, Scenario(
        edit_url=reverse("people:person_edit", args=[person.pk]),
        a_types={"notes": "Анасы жұмысқа шықты."},
        b_types={"phone": "+77011234567"},
        b_field="phone",
        b_value="+77011234567",
        a_field="notes",
        a_label="Notes",
        api_url=f"/api/v1/persons/{person.pk}/",
        api_method="patch",
        api_body={"locality": "Қаскелең"},
        api_field="locality",
        api_value="Қаскелең",
    )


def _case(cast, make_case) -> tuple[Case, Scenario]:
    case = make_case()
    return case, Scenario(
        edit_url=reverse("cases:case_outcomes", args=[case.pk]),
        a_types={"social": 3, "knowledge": 3, "needs": 3},
        b_types={"social": 5, "knowledge": 5, "needs": 5},
        b_field="entry_social",
        b_value=5,
        a_field="entry_social",
        a_label="Entry rating: social relationships",
        api_url=f"/api/v1/cases/{case.pk}/outcomes/",
        api_method="post",
        api_body={"social": 6, "knowledge": 6, "needs": 6},
        api_field="entry_needs",
        api_value=6,
    )


def _plan(cast, make_case) -> tuple[Plan, Scenario]:
    case = make_case()
    plan = plan_create(actor=cast.manager_a, case=case, coordinator=cast.coordinator_a)
    return plan, Scenario(
        edit_url=reverse("plans:plan_edit", args=[plan.pk]),
        a_types={"family_concerns": "Баласы әлі сөйлемейді."},
        b_types={"family_priorities": "Балабақшаға бару."},
        b_field="family_priorities",
        b_value="Балабақшаға бару.",
        a_field="family_concerns",
        a_label="The family's concerns",
        api_url=f"/api/v1/plans/{plan.pk}/",
        api_method="patch",
        api_body={"transition_steps": "Мектепке дайындық."},
        api_field="transition_steps",
        api_value="Мектепке дайындық.",
    )


def _appeal(cast, make_case) -> tuple[Appeal, Scenario]:
    person = make_case().person
    appeal = appeal_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=person,
        category="housing",
        channel="walk_in",
        text="Пәтер кезегіне тұру үшін көмек сұрайды.",
    )
    return appeal, Scenario(
        edit_url=reverse("support:appeal_edit", args=[appeal.pk]),
        a_types={"text": "Пәтер кезегі: құжаттар тапсырылды."},
        b_types={"caller": "Анасы"},
        b_field="caller",
        b_value="Анасы",
        a_field="text",
        a_label="What the appeal is about",
        api_url=f"/api/v1/appeals/{appeal.pk}/",
        api_method="patch",
        api_body={"caller": "Әкесі"},
        api_field="caller",
        api_value="Әкесі",
    )


RECORDS = {"person": _person, "case": _case, "plan": _plan, "appeal": _appeal}


@pytest.fixture(params=list(RECORDS))
def record(request, cast, make_case):
    return RECORDS[request.param](cast, make_case)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def loaded_form(client, url: str) -> dict[str, Any]:
    """The form's fields as the page shows them: what a browser would send back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    return bound_values(response.context["form"])


def bound_values(form) -> dict[str, Any]:
    values = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        values[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return values


def updates(instance) -> int:
    return AuditEvent.objects.filter(
        action="update", object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).count()


def test_a_stale_save_on_the_page_is_refused_keeping_what_was_typed(cast, record):
    instance, scenario = record
    a, b = english(cast.client(cast.manager_a)), english(cast.client(cast.coordinator_a))
    seen_by_a, seen_by_b = loaded_form(a, scenario.edit_url), loaded_form(b, scenario.edit_url)
    assert int(seen_by_b["version"]) == instance.version

    assert a.post(scenario.edit_url, {**seen_by_a, **scenario.a_types}).status_code == 302
    instance.refresh_from_db()
    after_a = (instance.version, getattr(instance, scenario.a_field), updates(instance))

    response = b.post(scenario.edit_url, {**seen_by_b, **scenario.b_types})

    assert response.status_code == 409
    html = unescape(response.content.decode())
    assert "Someone else saved this record while you were editing it." in html
    assert 'data-testid="version-conflict"' in html
    assert scenario.a_label in html
    form = response.context["form"]
    for name, value in scenario.b_types.items():
        assert str(form[name].value()) == str(value)  # what B typed is still there
    assert int(form["version"].value()) == after_a[0]  # the next save is based on the current version
    instance.refresh_from_db()
    assert (instance.version, getattr(instance, scenario.a_field), updates(instance)) == after_a
    assert getattr(instance, scenario.b_field) != scenario.b_value

    again = b.post(scenario.edit_url, bound_values(form))

    assert again.status_code == 302
    instance.refresh_from_db()
    assert instance.version == after_a[0] + 1
    assert getattr(instance, scenario.b_field) == scenario.b_value
    assert updates(instance) == after_a[2] + 1


def test_a_stale_save_through_the_api_is_refused_with_409(cast, record):
    instance, scenario = record
    a, b = cast.client(cast.manager_a), cast.client(cast.coordinator_a)
    loaded = instance.version
    send = getattr(b, scenario.api_method)
    response = getattr(a, scenario.api_method)(
        scenario.api_url, {**scenario.api_body, "version": loaded}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == loaded + 1
    instance.refresh_from_db()
    events = updates(instance)
    b_body = {name: _other(value) for name, value in scenario.api_body.items()}

    stale = send(scenario.api_url, {**b_body, "version": loaded}, content_type="application/json")

    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict"
    assert error["current_version"] == loaded + 1
    assert error["changes"][scenario.api_field][1] == scenario.api_value
    assert error["message"]
    assert error["fields"] == {}
    instance.refresh_from_db()
    assert getattr(instance, scenario.api_field) == scenario.api_value
    assert (instance.version, updates(instance)) == (loaded + 1, events)

    current = send(scenario.api_url, {**b_body, "version": loaded + 1}, content_type="application/json")

    assert current.status_code == 200, current.json()
    assert current.json()["version"] == loaded + 2
    instance.refresh_from_db()
    assert getattr(instance, scenario.api_field) == _other(scenario.api_value)
    assert updates(instance) == events + 1


def _other(value):
    return value + 1 if isinstance(value, int) else f"{value} (өзгертілді)"


def test_a_save_without_a_version_still_goes_through_and_moves_the_version_on(cast, make_case):
    person = make_case().person
    response = cast.client(cast.coordinator_a).patch(
        f"/api/v1/persons/{person.pk}/", {"notes": "Жаңа"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_the_version_is_read_under_a_row_lock_so_two_saves_cannot_both_pass(cast, make_case):
    """Both saves loaded version 1. The first takes the row's lock, writes version 2 and commits; the second,
    which waited on the lock (on SQLite: runs after it), reads version 2 under its own lock and is refused,
    its text not written."""
    person = make_case().person
    first, second = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)

    with transaction.atomic():
        assert check_version(first, 1) == {"version": [1, 2]}
        first.notes = "Бірінші"
        first.save()

    second.notes = "Екінші"
    with pytest.raises(Conflict) as refused, transaction.atomic():
        check_version(second, 1)
    assert (refused.value.expected_version, refused.value.current_version) == (1, 2)
    person.refresh_from_db()
    assert (person.notes, person.version) == ("Бірінші", 2)


def test_the_lock_is_taken_with_select_for_update(cast, make_case, monkeypatch):
    from django.db.models.query import QuerySet

    person = make_case().person
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    person_update(actor=cast.manager_a, person=person, notes="Жаңа", expected_version=1)
    assert Person in locked
    assert Person.objects.get(pk=person.pk).version == 2


def test_health_changes_are_not_shown_to_whom_may_not_see_them(cast, make_case):
    """The conflict lists what changed, but never health data to a user outside the case team."""
    case = make_case()
    person = case.person
    person_update(actor=cast.manager_a, person=person, disability_status="group_2", notes="Жаңа")
    with pytest.raises(Conflict) as refused:
        person_update(
            actor=cast.specialist_a,
            person=Person.objects.get(pk=person.pk),
            notes="Ескі",
            expected_version=1,
        )
    assert "notes" in refused.value.changes
    assert "disability_status" not in refused.value.changes
