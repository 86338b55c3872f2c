"""More closure reasons: goals achieved, reunified with the birth family, placed in a family; and an order
that puts the outcomes first."""

from django.db import migrations

REASONS = [
    ("goals_achieved", "Мақсаттарға қол жеткізілді", "Цели достигнуты", "Goals achieved"),
    (
        "reunified",
        "Қандас (биологиялық) отбасына қайтарылды",
        "Возвращён в кровную семью",
        "Reunified with the birth family",
    ),
    (
        "placed_in_family",
        "Отбасына орналастырылды (асырап алу, қамқоршылық, патронат)",
        "Устроен в семью (усыновление, опека, патронат)",
        "Placed in a family (adoption, guardianship, foster care)",
    ),
]
ORDER = [
    "goals_achieved",
    "completed",
    "aged_out",
    "transferred",
    "reunified",
    "placed_in_family",
    "moved",
    "declined",
    "no_contact",
    "not_eligible",
    "deceased",
    "other",
]


def load(apps, schema_editor):
    ClosureReason = apps.get_model("catalog", "ClosureReason")
    for code, kk, ru, en in REASONS:
        ClosureReason.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en}
        )
    for order, code in enumerate(ORDER):
        ClosureReason.objects.filter(code=code).update(sort_order=order)


def unload(apps, schema_editor):
    # A raw delete: the deletion collector would look for cases in tables already unapplied.
    reasons = apps.get_model("catalog", "ClosureReason").objects.filter(code__in=[r[0] for r in REASONS])
    reasons._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_closure_reasons")]
    operations = [migrations.RunPython(load, unload)]
