from django.db import migrations

from tirek.core.names import folded, skeleton


def recompute(apps, schema_editor):
    """Name keys changed (Latin ch now reads as ч): derive them again for every person."""
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("id", "surname", "given_name", "patronymic").iterator(chunk_size=2000):
        full = " ".join(p for p in (person.surname, person.given_name, person.patronymic) if p)
        person.name_folded, person.name_skeleton = folded(full), skeleton(full)
        batch.append(person)
        if len(batch) == 2000:
            Person.objects.bulk_update(batch, ["name_folded", "name_skeleton"])
            batch = []
    Person.objects.bulk_update(batch, ["name_folded", "name_skeleton"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_duplicate_dismissal")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
