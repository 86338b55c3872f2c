from django.db import migrations


def fill(apps, schema_editor):
    """Existing links become accesses: the registering organisation, and every organisation with a case."""
    Person = apps.get_model("people", "Person")
    Case = apps.get_model("cases", "Case")
    PersonAccess = apps.get_model("people", "PersonAccess")
    rows = [
        PersonAccess(organisation_id=org, person_id=person, reason="registered")
        for person, org in Person.objects.exclude(registered_by=None).values_list("pk", "registered_by_id")
    ]
    rows += [
        PersonAccess(organisation_id=org, person_id=person, reason="case")
        for person, org in Case.objects.values_list("person_id", "organisation_id").distinct()
    ]
    PersonAccess.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_person_access"), ("cases", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
