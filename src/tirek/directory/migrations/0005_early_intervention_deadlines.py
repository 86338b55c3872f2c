"""Early-intervention programmes get the transition ages of early-intervention practice (steps from 27 months,
conference by 33); the first-plan and review defaults (45 days, 6 months) came with the fields."""

from django.db import migrations


def load(apps, schema_editor):
    Programme = apps.get_model("directory", "Programme")
    Programme.objects.filter(
        kind="early_intervention", transition_from_months__isnull=True, max_age_months__gte=33
    ).update(transition_from_months=27, conference_by_months=33)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_programme_deadline_settings")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
