"""Running totals in whole seconds, and officers counted as distinct people.

The seconds columns become integers (rounded here first, so SQLite keeps no fractions); the
officers column now counts distinct officers. The triggers that keep both are defined in
events/totals.py: after this ``migrate`` they differ from the installed ones, so they are
installed again and every total is recounted from the rows (events/apps.py).

On SQLite, altering a column rebuilds the table, and renaming the rebuilt table fails while
a trigger refers to it: the triggers are dropped first (either way; ``migrate`` drops them
before any migration on SQLite anyway, and puts them back after).
"""

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from events import totals

        totals.uninstall(schema_editor.connection)


ROUND = (
    "UPDATE events_eventtotals SET planned_seconds = ROUND(planned_seconds),"
    " actual_seconds = ROUND(actual_seconds), worked_seconds = ROUND(worked_seconds)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_released_with_event"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.RunSQL(ROUND, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="eventtotals",
            name="officers",
            field=models.BigIntegerField(
                default=0, help_text="Distinct officers with an unreleased assignment."
            ),
        ),
        migrations.AlterField(
            model_name="eventtotals",
            name="planned_seconds",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="eventtotals",
            name="actual_seconds",
            field=models.BigIntegerField(default=0, help_text="Where actual hours are recorded."),
        ),
        migrations.AlterField(
            model_name="eventtotals",
            name="worked_seconds",
            field=models.BigIntegerField(
                default=0, help_text="Actual where recorded, else planned."
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
