"""Load the 20 first-level KATO units: 17 regions and 3 cities of republican significance (since 8 June 2022).

KATO codes follow the rule "first two digits = ISO 3166-2 number"; check them against the current KATO file.
KATO changes over time, so regions are a reference table with validity dates, not an enum.
"""

import datetime

from django.db import migrations

# Abai, Zhetisu and Ulytau regions were formed on 8 June 2022.
NEW_REGIONS_FROM = datetime.date(2022, 6, 8)

# (kato, iso_code, name_kk, name_ru (official form), name_en, valid_from)
REGIONS = [
    ("100000000", "KZ-10", "Абай облысы", "область Абай", "Abai Region", NEW_REGIONS_FROM),
    ("110000000", "KZ-11", "Ақмола облысы", "Акмолинская область", "Akmola Region", None),
    ("150000000", "KZ-15", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", None),
    ("190000000", "KZ-19", "Алматы облысы", "Алматинская область", "Almaty Region", None),
    ("230000000", "KZ-23", "Атырау облысы", "Атырауская область", "Atyrau Region", None),
    (
        "270000000",
        "KZ-27",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
        None,
    ),
    ("310000000", "KZ-31", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region", None),
    ("330000000", "KZ-33", "Жетісу облысы", "область Жетісу", "Zhetisu Region", NEW_REGIONS_FROM),
    ("350000000", "KZ-35", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", None),
    ("390000000", "KZ-39", "Қостанай облысы", "Костанайская область", "Kostanay Region", None),
    ("430000000", "KZ-43", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", None),
    ("470000000", "KZ-47", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", None),
    ("550000000", "KZ-55", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", None),
    (
        "590000000",
        "KZ-59",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
        None,
    ),
    ("610000000", "KZ-61", "Түркістан облысы", "Туркестанская область", "Turkistan Region", None),
    ("620000000", "KZ-62", "Ұлытау облысы", "область Ұлытау", "Ulytau Region", NEW_REGIONS_FROM),
    (
        "630000000",
        "KZ-63",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
        None,
    ),
    ("710000000", "KZ-71", "Астана қаласы", "город Астана", "Astana city", None),
    ("750000000", "KZ-75", "Алматы қаласы", "город Алматы", "Almaty city", None),
    ("790000000", "KZ-79", "Шымкент қаласы", "город Шымкент", "Shymkent city", None),
]


def load_regions(apps, schema_editor):
    Region = apps.get_model("directory", "Region")
    db = schema_editor.connection.alias
    for kato, iso_code, name_kk, name_ru, name_en, valid_from in REGIONS:
        Region.objects.using(db).update_or_create(
            kato=kato,
            defaults={
                "iso_code": iso_code,
                "name_kk": name_kk,
                "name_ru": name_ru,
                "name_en": name_en,
                "valid_from": valid_from,
            },
        )


def unload_regions(apps, schema_editor):
    Region = apps.get_model("directory", "Region")
    db = schema_editor.connection.alias
    Region.objects.using(db).filter(kato__in=[row[0] for row in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_regions, unload_regions),
    ]
