from django.db import migrations


def fill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonNameToken = apps.get_model("people", "PersonNameToken")
    batch = []
    for person_id, key in Person.objects.values_list("pk", "name_skeleton").iterator(chunk_size=5000):
        batch += [PersonNameToken(person_id=person_id, token=t[:60]) for t in set(key.split())]
        if len(batch) >= 5000:
            PersonNameToken.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    PersonNameToken.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("people", "0006_person_name_token")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
