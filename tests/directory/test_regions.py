"""The first-level KATO units loaded by directory.0002_regions (domain-kz.md §3)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tirek.directory.models import Region

# ISO 3166-2 code → KATO code of the 17 regions and 3 cities of republican significance since 8 June 2022.
EXPECTED = {
    "KZ-10": "100000000",
    "KZ-11": "110000000",
    "KZ-15": "150000000",
    "KZ-19": "190000000",
    "KZ-23": "230000000",
    "KZ-27": "270000000",
    "KZ-31": "310000000",
    "KZ-33": "330000000",
    "KZ-35": "350000000",
    "KZ-39": "390000000",
    "KZ-43": "430000000",
    "KZ-47": "470000000",
    "KZ-55": "550000000",
    "KZ-59": "590000000",
    "KZ-61": "610000000",
    "KZ-62": "620000000",
    "KZ-63": "630000000",
    "KZ-71": "710000000",
    "KZ-75": "750000000",
    "KZ-79": "790000000",
}


@pytest.mark.django_db
def test_exactly_twenty_first_level_units():
    assert Region.objects.count() == 20
    assert dict(Region.objects.values_list("iso_code", "kato")) == EXPECTED


@pytest.mark.django_db
def test_kato_codes_are_nine_digits_starting_with_the_iso_number():
    for region in Region.objects.all():
        assert re.fullmatch(r"\d{9}", region.kato), region.kato
        assert re.fullmatch(r"KZ-\d{2}", region.iso_code), region.iso_code
        assert region.kato[:2] == region.iso_code[3:], region


@pytest.mark.django_db
def test_almaty_city():
    almaty = Region.objects.get(kato="750000000")
    assert almaty.iso_code == "KZ-75"
    assert almaty.name_kk == "Алматы қаласы"
    assert almaty.name_ru == "город Алматы"
    assert almaty.valid_from is None
    assert almaty.valid_to is None


@pytest.mark.django_db
def test_regions_formed_in_2022_carry_their_start_date():
    new = Region.objects.filter(valid_from=datetime.date(2022, 6, 8))
    assert sorted(new.values_list("iso_code", flat=True)) == ["KZ-10", "KZ-33", "KZ-62"]
    assert Region.objects.filter(valid_from__isnull=True).count() == 17
    assert not Region.objects.filter(valid_to__isnull=False).exists()
    # The new regions use the official Russian form "область …".
    assert Region.objects.get(iso_code="KZ-10").name_ru == "область Абай"
    assert Region.objects.get(iso_code="KZ-33").name_ru == "область Жетісу"
    assert Region.objects.get(iso_code="KZ-62").name_ru == "область Ұлытау"


@pytest.mark.django_db
def test_no_region_name_is_empty():
    for region in Region.objects.all():
        for field in ("name_kk", "name_ru", "name_en"):
            assert getattr(region, field).strip(), (region.kato, field)
    assert Region.objects.values("name_kk").distinct().count() == 20
    assert Region.objects.values("name_ru").distinct().count() == 20
    assert Region.objects.values("name_en").distinct().count() == 20


@pytest.mark.serial
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_regions_migration_is_reversible():
    executor = MigrationExecutor(connection)
    executor.migrate([("directory", "0001_initial")])
    assert Region.objects.count() == 0

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Region.objects.count() == 20
    assert Region.objects.get(kato="750000000").name_ru == "город Алматы"
