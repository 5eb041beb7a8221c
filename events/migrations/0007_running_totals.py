"""Running totals per event and per event and topic, kept by database triggers.

The statistics read these instead of summing every engagement entry, topic mention and
assignment for each dashboard. Triggers (not application code) keep them right, so every
writer counts: services, admin, bulk_create, a restore. Existing rows are summed once here.
The same statements serve SQLite (one trigger per table and operation) and PostgreSQL (one
PL/pgSQL function per table).
"""

# ruff: noqa: S608  (every statement is built from constants here; no outside text)

import django.db.models.deletion
from django.db import migrations, models

TOTALS = (
    "visitors",
    "signups",
    "crime_reports",
    "entries",
    "officers",
    "planned_seconds",
    "actual_seconds",
    "worked_seconds",
)
# Seconds between two datetime columns, in UTC, as each database computes it.
SECONDS = {
    "sqlite": "((julianday({end}) - julianday({start})) * 86400.0)",
    "postgresql": "CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision)",
}


# Adding creates the row when missing; taking away only ever updates one (so it never makes
# a row for an event being deleted).
def add_totals(row: str, values: dict[str, str], where: str) -> str:
    given = [values.get(column, "0") for column in TOTALS]
    added = ", ".join(f"{c} = events_eventtotals.{c} + excluded.{c}" for c in values)
    return (
        f"INSERT INTO events_eventtotals (event_id, {', '.join(TOTALS)})"
        f" SELECT {row}.event_id, {', '.join(given)} WHERE {where}"
        f" ON CONFLICT (event_id) DO UPDATE SET {added}"
    )


def take_totals(row: str, values: dict[str, str], where: str) -> str:
    taken = ", ".join(f"{column} = {column} - {value}" for column, value in values.items())
    return f"UPDATE events_eventtotals SET {taken} WHERE event_id = {row}.event_id AND {where}"


def log_totals(row: str, sign: str) -> str:
    """Add (sign "+") or take away (sign "-") one entry's counts, if it counts."""
    values = {
        "visitors": f"{row}.visitors",
        "signups": f"{row}.signups",
        "crime_reports": f"{row}.crime_reports",
        "entries": "1",
    }
    change = add_totals if sign == "+" else take_totals
    return change(row, values, f"{row}.removed_at IS NULL")


def assignment_totals(row: str, sign: str, vendor: str) -> str:
    """Add or take away one assignment's hours (released ones count for nothing)."""
    planned = SECONDS[vendor].format(end=f"{row}.ends_at", start=f"{row}.starts_at")
    recorded = SECONDS[vendor].format(end=f"{row}.actual_ends_at", start=f"{row}.actual_starts_at")
    actual = f"COALESCE({row}.actual_minutes * 60.0, {recorded})"
    values = {
        "officers": "1",
        "planned_seconds": planned,
        "actual_seconds": f"COALESCE({actual}, 0)",
        "worked_seconds": f"COALESCE({actual}, {planned})",
    }
    change = add_totals if sign == "+" else take_totals
    return change(row, values, f"NOT {row}.released")


ADD_MENTIONS = (
    "INSERT INTO events_eventtopictotals (event_id, topic_id, mentions) SELECT {values}"
    " FROM {source} WHERE {where} ON CONFLICT (event_id, topic_id)"
    " DO UPDATE SET mentions = events_eventtopictotals.mentions + excluded.mentions"
)


def mention_topics(row: str, sign: str) -> str:
    """Add or take away one topic mention, if its entry counts."""
    if sign == "+":
        return ADD_MENTIONS.format(
            values=f"log.event_id, {row}.topic_id, {row}.count",
            source="events_engagementlog log",
            where=f"log.id = {row}.log_id AND log.removed_at IS NULL",
        )
    return (
        f"UPDATE events_eventtopictotals SET mentions = mentions - {row}.count"
        f" WHERE topic_id = {row}.topic_id AND event_id = (SELECT log.event_id"
        f" FROM events_engagementlog log WHERE log.id = {row}.log_id AND log.removed_at IS NULL)"
    )


def entry_topics(row: str, sign: str) -> str:
    """Add or take away all of an entry's mentions (it was removed, restored or moved)."""
    if sign == "+":
        return ADD_MENTIONS.format(
            values=f"{row}.event_id, mention.topic_id, mention.count",
            source="events_topicmention mention",
            where=f"mention.log_id = {row}.id AND {row}.removed_at IS NULL",
        )
    return (
        "UPDATE events_eventtopictotals SET mentions = mentions - (SELECT mention.count"
        f" FROM events_topicmention mention WHERE mention.log_id = {row}.id"
        " AND mention.topic_id = events_eventtopictotals.topic_id)"
        f" WHERE event_id = {row}.event_id AND {row}.removed_at IS NULL AND topic_id IN"
        " (SELECT mention.topic_id FROM events_topicmention mention"
        f" WHERE mention.log_id = {row}.id)"
    )


# An entry's mentions move only when it is removed, restored or moved to another event.
ENTRY_MOVED = "(OLD.removed_at IS NULL) <> (NEW.removed_at IS NULL) OR OLD.event_id <> NEW.event_id"


def statements(vendor: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(table, operation) -> [(condition or "", statement)] run after each row changes."""
    return {
        ("events_engagementlog", "INSERT"): [("", log_totals("NEW", "+"))],
        ("events_engagementlog", "DELETE"): [
            ("", log_totals("OLD", "-")),
            ("", entry_topics("OLD", "-")),
        ],
        ("events_engagementlog", "UPDATE"): [
            ("", log_totals("OLD", "-")),
            ("", log_totals("NEW", "+")),
            (ENTRY_MOVED, entry_topics("OLD", "-")),
            (ENTRY_MOVED, entry_topics("NEW", "+")),
        ],
        ("events_topicmention", "INSERT"): [("", mention_topics("NEW", "+"))],
        ("events_topicmention", "DELETE"): [("", mention_topics("OLD", "-"))],
        ("events_topicmention", "UPDATE"): [
            ("", mention_topics("OLD", "-")),
            ("", mention_topics("NEW", "+")),
        ],
        ("events_assignment", "INSERT"): [("", assignment_totals("NEW", "+", vendor))],
        ("events_assignment", "DELETE"): [("", assignment_totals("OLD", "-", vendor))],
        ("events_assignment", "UPDATE"): [
            ("", assignment_totals("OLD", "-", vendor)),
            ("", assignment_totals("NEW", "+", vendor)),
        ],
    }


TABLES = ("events_engagementlog", "events_topicmention", "events_assignment")


def sqlite_triggers() -> list[str]:
    """One trigger per table and operation; a conditional step gets a trigger of its own."""
    created = []
    for (table, operation), steps in statements("sqlite").items():
        plain = [sql for condition, sql in steps if not condition]
        conditional = [sql for condition, sql in steps if condition]
        name = f"{table}_{operation.lower()}_totals"
        created.append(
            f"CREATE TRIGGER {name} AFTER {operation} ON {table} FOR EACH ROW BEGIN "
            + "".join(f"{sql}; " for sql in plain)
            + "END"
        )
        if conditional:
            created.append(
                f"CREATE TRIGGER {name}_moved AFTER {operation} ON {table} FOR EACH ROW"
                f" WHEN {ENTRY_MOVED} BEGIN " + "".join(f"{sql}; " for sql in conditional) + "END"
            )
    return created


def sqlite_trigger_names() -> list[str]:
    names = []
    for (table, operation), steps in statements("sqlite").items():
        names.append(f"{table}_{operation.lower()}_totals")
        if any(condition for condition, _sql in steps):
            names.append(f"{table}_{operation.lower()}_totals_moved")
    return names


def postgresql_functions() -> list[str]:
    """One PL/pgSQL function and one row trigger per table."""
    created = []
    for table in TABLES:
        body = ""
        for (name, operation), steps in statements("postgresql").items():
            if name != table:
                continue
            inner = ""
            for condition, sql in steps:
                inner += f"IF {condition} THEN {sql}; END IF; " if condition else f"{sql}; "
            body += f"IF TG_OP = '{operation}' THEN {inner}END IF; "
        created.append(
            f"CREATE FUNCTION {table}_totals() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body}RETURN NULL; END $$"
        )
        created.append(
            f"CREATE TRIGGER {table}_totals AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {table}_totals()"
        )
    return created


def backfill(vendor: str) -> list[str]:
    """Sum what is already there (run before the triggers exist)."""
    planned = SECONDS[vendor].format(end="ends_at", start="starts_at")
    recorded = SECONDS[vendor].format(end="actual_ends_at", start="actual_starts_at")
    actual = f"COALESCE(actual_minutes * 60.0, {recorded})"
    hours = ", ".join(
        f"{c} = excluded.{c}"
        for c in ("officers", "planned_seconds", "actual_seconds", "worked_seconds")
    )
    return [
        f"INSERT INTO events_eventtotals (event_id, {', '.join(TOTALS)})"
        " SELECT event_id, SUM(visitors), SUM(signups), SUM(crime_reports), COUNT(*),"
        " 0, 0, 0, 0 FROM events_engagementlog WHERE removed_at IS NULL GROUP BY event_id",
        f"INSERT INTO events_eventtotals (event_id, {', '.join(TOTALS)})"
        f" SELECT event_id, 0, 0, 0, 0, COUNT(*), SUM({planned}), SUM(COALESCE({actual}, 0)),"
        f" SUM(COALESCE({actual}, {planned})) FROM events_assignment WHERE NOT released"
        f" GROUP BY event_id ON CONFLICT (event_id) DO UPDATE SET {hours}",
        "INSERT INTO events_eventtopictotals (event_id, topic_id, mentions)"
        " SELECT log.event_id, mention.topic_id, SUM(mention.count)"
        " FROM events_topicmention mention"
        " JOIN events_engagementlog log ON log.id = mention.log_id"
        " WHERE log.removed_at IS NULL GROUP BY log.event_id, mention.topic_id",
    ]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in backfill(vendor):
        schema_editor.execute(sql)
    if vendor == "sqlite":
        for sql in sqlite_triggers():
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in postgresql_functions():
            schema_editor.execute(sql)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in sqlite_trigger_names():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_totals ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_totals()")


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
        migrations.RunPython(install, uninstall),
    ]
