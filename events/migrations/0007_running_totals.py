"""Running totals per event and per event and topic (the tables).

The triggers that keep them are defined in events/totals.py, not here: they are (re)installed
after every ``migrate`` (events/apps.py), which also sums the rows already there. Reversing
this migration drops them before the tables go.
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    from events import totals

    totals.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_audit_entries"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventTotals",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="totals",
                        serialize=False,
                        to="events.event",
                    ),
                ),
                ("visitors", models.BigIntegerField(default=0)),
                ("signups", models.BigIntegerField(default=0)),
                ("crime_reports", models.BigIntegerField(default=0)),
                ("entries", models.BigIntegerField(default=0)),
                (
                    "officers",
                    models.BigIntegerField(default=0, help_text="Unreleased assignments."),
                ),
                ("planned_seconds", models.FloatField(default=0)),
                (
                    "actual_seconds",
                    models.FloatField(default=0, help_text="Where actual hours are recorded."),
                ),
                (
                    "worked_seconds",
                    models.FloatField(default=0, help_text="Actual where recorded, else planned."),
                ),
            ],
            options={
                "verbose_name_plural": "event totals",
            },
        ),
        migrations.CreateModel(
            name="EventTopicTotals",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("mentions", models.BigIntegerField(default=0)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="topic_totals",
                        to="events.event",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.topic",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "event topic totals",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "topic"), name="event_topic_totals_once"
                    )
                ],
            },
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
