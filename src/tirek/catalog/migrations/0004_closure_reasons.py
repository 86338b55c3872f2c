from django.db import migrations

REASONS = [
    ("completed", "Бағдарлама аяқталды", "Программа завершена", "Programme completed"),
    ("aged_out", "Бағдарламаның жас шегінен асты", "Вышел из возраста программы", "Aged out of the programme"),
    ("transferred", "Басқа ұйымға немесе бағдарламаға ауысты", "Переведён в другую организацию или программу",
     "Transferred to another organisation or programme"),
    ("moved", "Басқа жерге көшті", "Переехал", "Moved away"),
    ("declined", "Отбасы бас тартты", "Семья отказалась", "Family declined"),
    ("no_contact", "Байланыс жоқ", "Нет связи", "Lost contact"),
    ("not_eligible", "Бағдарлама шарттарына сай келмейді", "Не соответствует условиям программы", "Not eligible"),
    ("deceased", "Қайтыс болды", "Умер", "Deceased"),
    ("other", "Басқа себеп", "Другая причина", "Other"),
]


def load(apps, schema_editor):
    ClosureReason = apps.get_model("catalog", "ClosureReason")
    for order, (code, kk, ru, en) in enumerate(REASONS):
        ClosureReason.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "sort_order": order}
        )


def unload(apps, schema_editor):
    # A raw delete: the deletion collector would look for cases in tables already unapplied.
    reasons = apps.get_model("catalog", "ClosureReason").objects.filter(code__in=[r[0] for r in REASONS])
    reasons._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_closurereason")]
    operations = [migrations.RunPython(load, unload)]
