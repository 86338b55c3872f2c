from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tirek.audit.models import AuditEvent
from tirek.core.errors import NotAllowed
from tirek.support.models import AidDistribution
from tirek.support.selectors import aid_list, aid_totals
from tirek.support.services import aid_distribute, aid_distribute_batch


@pytest.fixture
def families(make_family):
    return [make_family(name) for name in ("Омаровтар", "Сейітовтер", "Ивановы")]


def test_a_distribution_goes_to_one_family_or_one_person_the_organisation_serves(
    cast, families, person, person_b, make_family, today
):
    row = aid_distribute(
        actor=cast.specialist_a,
        organisation=cast.almaty,
        family=families[0],
        kind="food_package",
        value=Decimal("15000"),
        funding_partner_name="Samruk-Kazyna Trust",
    )
    assert (row.quantity, row.distributed_on, row.funder) == (1, today, "Samruk-Kazyna Trust")
    assert AuditEvent.objects.filter(object_type="support.aiddistribution", object_id=str(row.pk)).exists()
    personal = aid_distribute(
        actor=cast.specialist_a, organisation=cast.almaty, person=person, kind="clothing"
    )
    assert AuditEvent.objects.filter(object_id=str(personal.pk), subject_person_id=person.pk).exists()
    with pytest.raises(ValidationError):
        aid_distribute(actor=cast.specialist_a, organisation=cast.almaty, kind="cash")
    with pytest.raises(ValidationError):
        aid_distribute(
            actor=cast.specialist_a, organisation=cast.almaty, kind="cash", family=families[0], person=person
        )
    with pytest.raises(ValidationError) as error:
        aid_distribute(actor=cast.specialist_a, organisation=cast.almaty, kind="cash", person=person_b)
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        aid_distribute(
            actor=cast.specialist_a,
            organisation=cast.almaty,
            kind="cash",
            family=make_family("Бековтар", cast.shymkent),
        )
    assert "family" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        aid_distribute(
            actor=cast.specialist_a,
            organisation=cast.almaty,
            kind="cash",
            family=families[0],
            distributed_on=today + dt.timedelta(days=1),
        )
    assert "distributed_on" in error.value.message_dict
    with pytest.raises(NotAllowed):
        aid_distribute(actor=cast.analyst, organisation=cast.almaty, kind="cash", family=families[0])
    assert AidDistribution.objects.count() == 2


def test_a_batch_writes_one_row_per_family_with_one_batch_id(cast, families, intake_a, today):
    rows = aid_distribute_batch(
        actor=intake_a,
        organisation=cast.almaty,
        families=families,
        kind="food_package",
        quantity=2,
        value=Decimal("30000"),
        funding_partner=cast.ministry,
        funding_partner_name="ignored when a directory partner is chosen",
    )
    assert len(rows) == 3 and len({r.batch for r in rows}) == 1
    stored = AidDistribution.objects.filter(batch=rows[0].batch)
    assert {r.family for r in stored} == set(families)
    assert {(r.quantity, r.value, r.funding_partner_id, r.funding_partner_name) for r in stored} == {
        (2, Decimal("30000.00"), cast.ministry.pk, "")
    }
    assert AuditEvent.objects.filter(object_type="support.aiddistribution", action="create").count() == 3


def test_a_batch_writes_nothing_and_names_each_family_that_cannot_receive(cast, families, make_family, today):
    aid_distribute(actor=cast.specialist_a, organisation=cast.almaty, family=families[1], kind="hygiene_kit")
    foreign = make_family("Бековтар", cast.shymkent)
    with pytest.raises(ValidationError) as error:
        aid_distribute_batch(
            actor=cast.specialist_a,
            organisation=cast.almaty,
            families=[families[0], families[1], foreign, families[0]],
            kind="hygiene_kit",
        )
    messages = error.value.message_dict["families"]
    assert len(messages) == 3
    assert messages[0].startswith("Сейітовтер") and messages[1].startswith("Бековтар")
    assert messages[2].startswith("Омаровтар")
    assert AidDistribution.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        aid_distribute_batch(
            actor=cast.specialist_a,
            organisation=cast.almaty,
            families=families,
            kind="hygiene_kit",
            quantity=0,
        )
    assert "quantity" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        aid_distribute_batch(
            actor=cast.specialist_a, organisation=cast.almaty, families=[], kind="school_kit"
        )
    assert "families" in error.value.message_dict
    assert AidDistribution.objects.count() == 1


def test_the_totals_count_families_persons_quantity_and_value_by_kind(
    cast, families, person, make_person, today
):
    aid_distribute_batch(
        actor=cast.specialist_a,
        organisation=cast.almaty,
        families=families,
        kind="food_package",
        value=Decimal("15000"),
    )
    aid_distribute(
        actor=cast.specialist_a,
        organisation=cast.almaty,
        family=families[0],
        kind="food_package",
        quantity=3,
        value=Decimal("45000"),
        distributed_on=today - dt.timedelta(days=1),
    )
    aid_distribute(
        actor=cast.specialist_a, organisation=cast.almaty, person=person, kind="school_kit", quantity=2
    )
    aid_distribute(
        actor=cast.specialist_a, organisation=cast.almaty, person=make_person(surname="Ли"), kind="school_kit"
    )
    totals = aid_totals(aid_list(user=cast.coordinator_a))
    food, school = totals["by_kind"]
    assert (food["kind"], food["distributions"], food["families"], food["persons"]) == (
        "food_package",
        4,
        3,
        0,
    )
    assert (food["quantity"], food["value"]) == (6, Decimal("90000"))
    assert (school["kind"], school["distributions"], school["families"], school["persons"]) == (
        "school_kit",
        2,
        0,
        2,
    )
    assert (school["quantity"], school["value"]) == (3, Decimal("0"))
    assert totals["total"] == {
        "distributions": 6,
        "families": 3,
        "persons": 2,
        "quantity": 9,
        "value": Decimal("90000"),
    }
    assert aid_totals(aid_list(user=cast.coordinator_b))["total"]["distributions"] == 0
    kind_only = aid_totals(aid_list(user=cast.coordinator_a, kind="school_kit"))
    assert [row["kind"] for row in kind_only["by_kind"]] == ["school_kit"]
