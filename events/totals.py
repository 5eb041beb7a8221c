"""Running totals per event and per event and topic, kept by database triggers: defined here.

``EventTotals`` holds, for each event, sums over its current engagement entries (visitors,
sign-ups, crime reports, entries) and its unreleased assignments (distinct officers; planned,
recorded and worked seconds); ``EventTopicTotals`` the mentions of each topic in its current
entries. Triggers keep them, so every writer counts (services, admin, bulk_create, a restore),
and the statistics read them instead of summing every entry. This module is their one
definition:

- what is summed, as SQL for the triggers and as ORM expressions (:data:`PLANNED`,
  :data:`ACTUAL`, :data:`LOG_SUMS`, :data:`HOUR_SUMS`) for the queries that count the same
  from the rows (:func:`counted_totals`);
- the triggers: on SQLite one per table and operation, on PostgreSQL one PL/pgSQL function
  and one row trigger per table;
- :func:`install`, run after every ``migrate`` (see ``events.apps``): it (re)creates any
  trigger that is missing or differs from this definition, drops obsolete ones, and then
  recounts every total (a write made while a trigger was missing was not counted). On SQLite
  ``migrate`` drops them before it runs any migration (altering a table rebuilds it, which
  fails while a trigger refers to it) and this puts them back;
- :func:`problems`, which the system check ``events.E001`` reports (``events.checks``);
- :func:`drifted_events` and :func:`recount`, for ``manage.py recount_totals``.

Seconds are whole seconds: each assignment's duration is taken between its UTC instants (so
the night the clocks go back is an hour longer) and rounded to the second, then summed.
*Officers* are distinct people: an officer on three shifts of an event is one officer.
"""

# ruff: noqa: S608  (every statement is built from constants here; no outside text)

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import BigIntegerField, Count, F, Func, Sum
from django.db.models.functions import Coalesce

from .models import Assignment, EngagementLog, EventTopicTotals, EventTotals, TopicMention

# -- What is summed ---------------------------------------------------------------------------
# Whole seconds between two datetime columns, in UTC, as each database computes them.
SECONDS_SQL = {
    "sqlite": "CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER)",
    "postgresql": "CAST(ROUND(EXTRACT(EPOCH FROM ({end} - {start}))) AS bigint)",
}


class Seconds(Func):
    """Whole seconds from the second datetime to the first: the triggers' own SQL."""

    arity = 2
    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (
            compiler.compile(argument) for argument in self.get_source_expressions()
        )
        return SECONDS_SQL[connection.vendor].format(end=end, start=start), [
            *end_params,
            *start_params,
        ]


def _planned_sql(row: str, vendor: str) -> str:
    return SECONDS_SQL[vendor].format(end=f"{row}.ends_at", start=f"{row}.starts_at")


def _actual_sql(row: str, vendor: str) -> str:
    """Recorded minutes where given, else the recorded window (NULL when nothing recorded)."""
    window = SECONDS_SQL[vendor].format(
        end=f"{row}.actual_ends_at", start=f"{row}.actual_starts_at"
    )
    return f"COALESCE({row}.actual_minutes * 60, {window})"


PLANNED = Seconds("ends_at", "starts_at")
ACTUAL = Coalesce(
    F("actual_minutes") * 60,
    Seconds("actual_ends_at", "actual_starts_at"),
    output_field=BigIntegerField(),
)
WORKED = Coalesce(ACTUAL, PLANNED, output_field=BigIntegerField())
# Over a set of current entries, and over a set of unreleased assignments.
LOG_SUMS = {
    "visitors": Sum("visitors"),
    "signups": Sum("signups"),
    "crime_reports": Sum("crime_reports"),
    "entries": Count("id"),
}
HOUR_SUMS = {
    "officers": Count("officer_id", distinct=True),
    "planned_seconds": Sum(PLANNED),
    "actual_seconds": Sum(ACTUAL),
    "worked_seconds": Sum(WORKED),
}
COLUMNS = tuple(LOG_SUMS) + tuple(HOUR_SUMS)


# -- The trigger statements -------------------------------------------------------------------
# Adding creates the row when missing; taking away only ever updates one (so it never makes
# a row for an event being deleted). Each statement carries its own condition, so that a
# trigger body is a plain list of statements on both databases.
def _add(row: str, values: dict[str, str], where: str) -> str:
    given = [values.get(column, "0") for column in COLUMNS]
    added = ", ".join(f"{c} = events_eventtotals.{c} + excluded.{c}" for c in values)
    return (
        f"INSERT INTO events_eventtotals (event_id, {', '.join(COLUMNS)})"
        f" SELECT {row}.event_id, {', '.join(given)} WHERE {where}"
        f" ON CONFLICT (event_id) DO UPDATE SET {added}"
    )


def _take(row: str, values: dict[str, str], where: str) -> str:
    taken = ", ".join(f"{column} = {column} - {value}" for column, value in values.items())
    return f"UPDATE events_eventtotals SET {taken} WHERE event_id = {row}.event_id AND {where}"


def _entry(row: str, sign: str) -> str:
    """Add (sign "+") or take away (sign "-") one entry's counts, if it counts."""
    values = {
        "visitors": f"{row}.visitors",
        "signups": f"{row}.signups",
        "crime_reports": f"{row}.crime_reports",
        "entries": "1",
    }
    return (_add if sign == "+" else _take)(row, values, f"{row}.removed_at IS NULL")


def _hours(row: str, sign: str, vendor: str) -> str:
    """Add or take away one assignment's seconds (a released one counts for nothing)."""
    planned, actual = _planned_sql(row, vendor), _actual_sql(row, vendor)
    values = {
        "planned_seconds": planned,
        "actual_seconds": f"COALESCE({actual}, 0)",
        "worked_seconds": f"COALESCE({actual}, {planned})",
    }
    return (_add if sign == "+" else _take)(row, values, f"NOT {row}.released")


def _officers(row: str, when: str = "TRUE") -> str:
    """Count again the distinct officers of the row's event. Runs after a statement above
    changed (so, on PostgreSQL, locked) that event's totals, and as a statement of its own it
    sees every assignment committed before the lock was had: concurrent writers cannot lose
    an officer, nor count one twice."""
    return (
        "UPDATE events_eventtotals SET officers = (SELECT COUNT(DISTINCT staff.officer_id)"
        " FROM events_assignment staff"
        f" WHERE staff.event_id = {row}.event_id AND NOT staff.released)"
        f" WHERE event_id = {row}.event_id AND NOT {row}.released AND ({when})"
    )


ADD_MENTIONS = (
    "INSERT INTO events_eventtopictotals (event_id, topic_id, mentions) SELECT {values}"
    " FROM {source} WHERE {where} ON CONFLICT (event_id, topic_id)"
    " DO UPDATE SET mentions = events_eventtopictotals.mentions + excluded.mentions"
)


def _mention(row: str, sign: str) -> str:
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


def _entry_mentions(row: str, sign: str, when: str = "TRUE") -> str:
    """Add or take away all of an entry's mentions (it was removed, restored or moved)."""
    if sign == "+":
        return ADD_MENTIONS.format(
            values=f"{row}.event_id, mention.topic_id, mention.count",
            source="events_topicmention mention",
            where=f"mention.log_id = {row}.id AND {row}.removed_at IS NULL AND ({when})",
        )
    return (
        "UPDATE events_eventtopictotals SET mentions = mentions - (SELECT mention.count"
        f" FROM events_topicmention mention WHERE mention.log_id = {row}.id"
        " AND mention.topic_id = events_eventtopictotals.topic_id)"
        f" WHERE event_id = {row}.event_id AND {row}.removed_at IS NULL AND ({when}) AND topic_id"
        f" IN (SELECT mention.topic_id FROM events_topicmention mention"
        f" WHERE mention.log_id = {row}.id)"
    )


# An entry's mentions move only when it is removed, restored or moved to another event; the
# officers are counted again only when who is on which event changed.
ENTRY_MOVED = "(OLD.removed_at IS NULL) <> (NEW.removed_at IS NULL) OR OLD.event_id <> NEW.event_id"
STAFF_CHANGED = (
    "OLD.officer_id <> NEW.officer_id OR OLD.event_id <> NEW.event_id"
    " OR OLD.released <> NEW.released"
)
TABLES = ("events_engagementlog", "events_topicmention", "events_assignment")


def statements(vendor: str) -> dict[tuple[str, str], list[str]]:
    """(table, operation) -> the statements run, in order, after each row changes."""
    return {
        ("events_engagementlog", "INSERT"): [_entry("NEW", "+")],
        ("events_engagementlog", "DELETE"): [_entry("OLD", "-"), _entry_mentions("OLD", "-")],
        ("events_engagementlog", "UPDATE"): [
            _entry("OLD", "-"),
            _entry("NEW", "+"),
            _entry_mentions("OLD", "-", ENTRY_MOVED),
            _entry_mentions("NEW", "+", ENTRY_MOVED),
        ],
        ("events_topicmention", "INSERT"): [_mention("NEW", "+")],
        ("events_topicmention", "DELETE"): [_mention("OLD", "-")],
        ("events_topicmention", "UPDATE"): [_mention("OLD", "-"), _mention("NEW", "+")],
        ("events_assignment", "INSERT"): [_hours("NEW", "+", vendor), _officers("NEW")],
        ("events_assignment", "DELETE"): [_hours("OLD", "-", vendor), _officers("OLD")],
        ("events_assignment", "UPDATE"): [
            _hours("OLD", "-", vendor),
            _hours("NEW", "+", vendor),
            _officers("OLD", STAFF_CHANGED),
            _officers("NEW", STAFF_CHANGED),
        ],
    }


# -- The triggers, by database ----------------------------------------------------------------
def sqlite_triggers() -> dict[str, tuple[str, str]]:
    """Trigger name -> (table, CREATE TRIGGER statement): one per table and operation."""
    return {
        f"{table}_{operation.lower()}_totals": (
            table,
            f"CREATE TRIGGER {table}_{operation.lower()}_totals AFTER {operation} ON {table}"
            " FOR EACH ROW BEGIN " + "".join(f"{sql}; " for sql in steps) + "END",
        )
        for (table, operation), steps in statements("sqlite").items()
    }


def postgresql_functions() -> dict[str, str]:
    """Function name -> its PL/pgSQL body: one per table, branching on the operation."""
    bodies = {}
    for table in TABLES:
        body = "".join(
            f"IF TG_OP = '{operation}' THEN {''.join(f'{sql}; ' for sql in steps)}END IF; "
            for (name, operation), steps in statements("postgresql").items()
            if name == table
        )
        bodies[f"{table}_totals"] = f" BEGIN {body}RETURN NULL; END "
    return bodies


def _postgresql_install() -> list[str]:
    created = []
    for table in TABLES:
        name = f"{table}_totals"
        body = postgresql_functions()[name]
        created.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$"
        )
        created.append(
            f"CREATE OR REPLACE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
    return created


def ready(connection=default_connection) -> bool:
    """Whether the tables the triggers read and write exist (migration 0007 is applied)."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if not {*TABLES, "events_eventtotals", "events_eventtopictotals"} <= tables:
            return False
        columns = connection.introspection.get_table_description(cursor, "events_eventtotals")
    return set(COLUMNS) <= {column.name for column in columns}


DISABLED = "(disabled)"


def _found(connection) -> dict[str, tuple[str, str]]:
    """The triggers on the watched tables as installed: name -> (table, definition)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                f" AND tbl_name IN ({', '.join(['%s'] * len(TABLES))})",
                TABLES,
            )
            return {name: (table, sql) for name, table, sql in cursor.fetchall()}
        cursor.execute(
            f"SELECT t.tgname, c.relname, CASE WHEN t.tgenabled = 'D' THEN '{DISABLED}'"
            " ELSE p.proname || ':' || p.prosrc END FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE NOT t.tgisinternal AND pg_catalog.pg_table_is_visible(c.oid)"
            " AND c.relname = ANY(%s)",
            [list(TABLES)],
        )
        return {name: (table, definition) for name, table, definition in cursor.fetchall()}


def _expected(connection) -> dict[str, tuple[str, str]]:
    if connection.vendor == "sqlite":
        return sqlite_triggers()
    return {
        name: (name.removesuffix("_totals"), f"{name}:{body}")
        for name, body in postgresql_functions().items()
    }


def _ours(name: str) -> bool:
    return name.startswith(TABLES) and "_totals" in name


def problems(connection=default_connection) -> list[str]:
    """What is wrong with the installed triggers, in words (nothing before migration 0007)."""
    if connection.vendor not in SECONDS_SQL or not ready(connection):
        return []
    found, expected = _found(connection), _expected(connection)
    wrong = []
    for name, (table, definition) in expected.items():
        if name not in found:
            wrong.append(f"The trigger {name} on {table} is missing.")
        elif found[name][1] == DISABLED:
            wrong.append(f"The trigger {name} on {table} is disabled.")
        elif found[name] != (table, definition):
            wrong.append(f"The trigger {name} on {table} differs from events/totals.py.")
    wrong += [
        f"The trigger {name} on {found[name][0]} is no longer used."
        for name in found
        if _ours(name) and name not in expected
    ]
    return wrong


def install(connection=default_connection, *, force: bool = False) -> set[int] | None:
    """(Re)create the triggers where any is missing or differs (or always, with ``force``),
    drop obsolete ones, then recount every total. Idempotent: with all in place it does
    nothing and answers None; else it answers the events whose totals had drifted."""
    if connection.vendor not in SECONDS_SQL or not ready(connection):
        return None
    if not force and not problems(connection):
        return None
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for name in (n for n in _found(connection) if _ours(n)):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                for _table, sql in sqlite_triggers().values():
                    cursor.execute(sql)
            else:
                expected = _expected(connection)
                for name, (table, _definition) in _found(connection).items():
                    if _ours(name) and name not in expected:
                        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                for sql in _postgresql_install():
                    cursor.execute(sql)
        return recount(connection)


def uninstall(connection=default_connection) -> None:
    """Drop the triggers (before the totals tables go: migration 0007 reversed)."""
    with connection.cursor() as cursor:
        for name, (table, _definition) in _found(connection).items():
            if _ours(name):
                on = f" ON {table}" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
        if connection.vendor == "postgresql":
            for name in postgresql_functions():
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


# -- Counting from the rows -------------------------------------------------------------------
def counted_totals(using: str = "default") -> dict[int, dict]:
    """Each event's totals counted from its rows (events with no rows are left out)."""
    totals: dict[int, dict] = {}
    logs = EngagementLog.objects.using(using).current().order_by().values("event_id")
    for row in logs.annotate(**LOG_SUMS):
        totals.setdefault(row["event_id"], dict.fromkeys(COLUMNS, 0)).update(
            {name: int(row[name] or 0) for name in LOG_SUMS}
        )
    staff = Assignment.objects.using(using).filter(released=False).order_by().values("event_id")
    for row in staff.annotate(**HOUR_SUMS):
        totals.setdefault(row["event_id"], dict.fromkeys(COLUMNS, 0)).update(
            {name: int(row[name] or 0) for name in HOUR_SUMS}
        )
    return totals


def counted_topic_totals(using: str = "default") -> dict[tuple[int, int], int]:
    """Mentions per (event, topic) counted from the current entries' mentions."""
    rows = (
        TopicMention.objects.using(using)
        .filter(log__removed_at__isnull=True)
        .order_by()
        .values("log__event_id", "topic_id")
        .annotate(mentions=Sum("count"))
    )
    return {(row["log__event_id"], row["topic_id"]): int(row["mentions"]) for row in rows}


def stored_totals(using: str = "default") -> dict[int, dict]:
    rows = EventTotals.objects.using(using).values("event_id", *COLUMNS)
    return {row.pop("event_id"): row for row in rows if any(row[c] for c in COLUMNS)}


def stored_topic_totals(using: str = "default") -> dict[tuple[int, int], int]:
    rows = EventTopicTotals.objects.using(using).exclude(mentions=0)
    return {(e, t): m for e, t, m in rows.values_list("event_id", "topic_id", "mentions")}


def drifted_events(using: str = "default") -> set[int]:
    """Events whose stored totals differ from what their rows add up to (normally none)."""
    return _drifted(using, counted_totals(using), counted_topic_totals(using))


def _drifted(using: str, counted: dict, counted_topics: dict) -> set[int]:
    stored = stored_totals(using)
    empty = dict.fromkeys(COLUMNS, 0)
    drifted = {
        event
        for event in stored.keys() | counted.keys()
        if stored.get(event, empty) != counted.get(event, empty)
    }
    stored_topics = stored_topic_totals(using)
    drifted |= {
        event
        for event, topic in stored_topics.keys() | counted_topics.keys()
        if stored_topics.get((event, topic)) != counted_topics.get((event, topic))
    }
    return drifted


def recount(connection=default_connection) -> set[int]:
    """Replace the stored totals with a fresh count; answers the events that had drifted.

    Writers wait meanwhile (SQLite: the transaction holds the write lock; PostgreSQL: the
    totals tables are locked against writes, which the triggers make), so no change is lost.
    """
    using = connection.alias
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE events_eventtotals, events_eventtopictotals IN EXCLUSIVE MODE"
                )
        counted, counted_topics = counted_totals(using), counted_topic_totals(using)
        drifted = _drifted(using, counted, counted_topics)
        EventTotals.objects.using(using).all().delete()
        EventTotals.objects.using(using).bulk_create(
            (EventTotals(event_id=event, **values) for event, values in counted.items()),
            batch_size=2000,
        )
        EventTopicTotals.objects.using(using).all().delete()
        EventTopicTotals.objects.using(using).bulk_create(
            (
                EventTopicTotals(event_id=event, topic_id=topic, mentions=mentions)
                for (event, topic), mentions in counted_topics.items()
            ),
            batch_size=2000,
        )
    return drifted
