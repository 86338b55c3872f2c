import django.db.models.deletion
from django.db import migrations, models


def forget_unlinked_goal_notes(apps, schema_editor):
    # Before this migration a goal was a bare id that nothing checked; such notes cannot be linked to a
    # plan's goal, and no deployment holds any yet.
    apps.get_model("services", "VisitGoal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_plans_goals_services_reviews"),
        ("services", "0001_visits_and_group_activities"),
    ]

    operations = [
        migrations.RunPython(forget_unlinked_goal_notes, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="visitgoal", name="visit_goal_once_per_visit"),
        migrations.RemoveField(model_name="visitgoal", name="plan_goal_id"),
        migrations.AddField(
            model_name="visitgoal",
            name="plan_goal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="visit_notes",
                to="plans.plangoal",
                verbose_name="goal",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="visitgoal",
            constraint=models.UniqueConstraint(fields=("visit", "plan_goal"), name="visit_goal_once_per_visit"),
        ),
    ]
