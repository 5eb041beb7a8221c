"""Row by row: every event, officer and engagement entry in scope, for the reports."""

import datetime as dt
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Count,
    F,
    TextField,
)
from django.db.models.functions import Cast

from ...models import (
    Assignment,
    EngagementLog,
    Event,
    Officer,
    Topic,
)
from ...time import LONDON
from ...totals import HOUR_SUMS, LOG_SUMS
from .figures import (
    EVENT_FIGURES,
    HOUR_COLUMNS,
    LOG_COLUMNS,
    Figures,
    aware,
    figures_of,
)
from .filters import StatsFilter


def event_rows(filters: StatsFilter):
    """Every event in scope with its figures, in start order (for the report tables).

    One query; rows are dicts with the event's fields, ``figures`` (a :class:`Figures`) and
    ``starts_at``/``ends_at`` as aware datetimes.
    """
    rows = (
        Event.objects.filter(filters.q())
        .order_by("starts_at", "id")
        .values_list(
            "id",
            "starts_at",
            "ends_at",
            "title",
            "status",
            "location",
            "postcode",
            "team__name",
            "event_type__name",
            *EVENT_FIGURES.values(),
        )
    )
    # Read through the cursor: Django's per-row conversions cost more than the query here.
    sql, params = rows.query.sql_with_params()
    status = dict(Event.Status.choices)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            # Columns as listed above, then the totals in EVENT_FIGURES order.
            for (
                pk,
                starts_at,
                ends_at,
                title,
                state,
                location,
                postcode,
                team,
                kind,
                *totals,
            ) in chunk:
                yield {
                    "id": pk,
                    "title": title,
                    "starts_at": aware(starts_at),
                    "ends_at": aware(ends_at),
                    "status": status.get(state, state),
                    "location": location,
                    "postcode": postcode,
                    "team": team or "",
                    "event_type": kind or "",
                    "figures": Figures(1, *totals),  # held (in scope), then the totals
                }


def row_counts(filters: StatsFilter) -> dict[str, int]:
    """How many events and current entries are in scope: the long tables' lengths, told to a
    progress bar before they are written."""
    return {
        "events": Event.objects.filter(filters.q()).count(),
        "logs": EngagementLog.objects.current().filter(filters.q("event__")).count(),
    }


def officer_rows(filters: StatsFilter) -> list[dict]:
    """Hours per officer on the events in scope, with what they logged there."""
    # "event_id IN (the events in scope)" rather than a join: the database then reads the
    # assignments and entries through their event_id index, event by event.
    in_scope = Event.objects.filter(filters.q()).order_by().values("id")
    worked = {
        row["officer_id"]: row
        for row in Assignment.objects.filter(released=False, event_id__in=in_scope)
        .order_by()
        .values("officer_id")
        .annotate(events=Count("event_id", distinct=True), **HOUR_SUMS)
    }
    logged = {
        row["officer_id"]: row
        for row in EngagementLog.objects.current()
        .filter(event_id__in=in_scope)
        .order_by()
        .values("officer_id")
        .annotate(**LOG_SUMS)
    }
    officers = Officer.objects.filter(pk__in=worked.keys() | logged.keys()).select_related("team")
    empty = dict.fromkeys(LOG_COLUMNS + HOUR_COLUMNS + ("events",), 0)
    rows = [
        {
            "name": officer.name,
            "shoulder_number": officer.shoulder_number,
            "rank": officer.get_rank_display(),
            "team": officer.team.name if officer.team else "",
            "figures": figures_of(
                {**empty, **worked.get(officer.pk, {}), **logged.get(officer.pk, {})}
            ),
        }
        for officer in officers
    ]
    return sorted(rows, key=lambda row: (row["team"], row["name"]))


def log_entries(filters: StatsFilter):
    """Every current entry of the events in scope, oldest first, streamed.

    Yields tuples (recorded_at, event title, event start, team, officer, shoulder number,
    visitors, sign-ups, crime reports, notes, topics) where topics is a list of
    (name, count) by name. Datetimes are aware (recorded_at in Europe/London).
    """
    source = _LogSource(filters)
    for entry, mentions in source.entries():
        event = source.events[entry[2]]
        officer = source.officers[entry[3]]
        topics = sorted((source.names[topic], count) for topic, count in mentions)
        yield (
            source.london(entry[1]),
            event.title,
            event.starts_at,
            event.team,
            officer.name,
            officer.shoulder_number,
            *entry[4:8],
            topics,
        )


def log_rows(filters: StatsFilter):
    """The entries of :func:`log_entries` as the reports list them, in one pass.

    Yields tuples (recorded_at, event title, event date, team, officer, shoulder number,
    visitors, sign-ups, crime reports, topics, notes): recorded_at an aware Europe/London
    datetime, the event date that of its London start, topics ``"name ×count"`` joined by
    ``"; "`` in name order ("" for none). An event's and an officer's fields are read once,
    not per entry, and the same text object is handed out for each of their entries.
    """
    source = _LogSource(filters)
    events, officers, names, london = source.events, source.officers, source.names, source.london
    labels = {}  # (topic id, count) -> "name ×count"
    previous = None  # rows are yielded one behind: the next row may carry another topic
    previous_id = previous_topic = previous_count = None
    mentions = None  # the previous entry's topics, once it has more than one
    for chunk in source.chunks():
        for (
            log_id,
            when,
            event_id,
            officer_id,
            visitors,
            signups,
            crime,
            notes,
            topic,
            count,
        ) in chunk:
            if log_id == previous_id:
                if mentions is None:
                    mentions = [(names[previous_topic], previous_count)]
                mentions.append((names[topic], count))
                continue
            if previous is not None:
                if mentions is not None:
                    text = "; ".join(f"{name} ×{n}" for name, n in sorted(mentions))
                    previous = (*previous[:9], text, previous[10])
                    mentions = None
                yield previous
            if topic is None:
                label = ""
            else:
                label = labels.get((topic, count))
                if label is None:
                    label = labels[topic, count] = f"{names[topic]} ×{count}"
            title, _start, day, team = events[event_id]
            officer, number = officers[officer_id]
            previous_id, previous_topic, previous_count = log_id, topic, count
            previous = (
                london(when),
                title,
                day,
                team,
                officer,
                number,
                visitors,
                signups,
                crime,
                label,
                notes,
            )
    if previous is not None:
        if mentions is not None:
            text = "; ".join(f"{name} ×{n}" for name, n in sorted(mentions))
            previous = (*previous[:9], text, previous[10])
        yield previous


class _Event(NamedTuple):
    title: str
    starts_at: dt.datetime
    day: dt.date
    team: str


class _Officer(NamedTuple):
    name: str
    shoulder_number: str


class _LogSource:
    """What both listings of entries read, in four queries whatever the number of rows.

    The events in scope and every officer are read once into dictionaries by id (tens of
    thousands of events at most, a few hundred officers), the topic names likewise; the
    entries come from one query, each joined to its topic mentions (an entry with several
    topics comes as consecutive rows), read straight from the cursor in large chunks.
    """

    CHUNK = 5000

    def __init__(self, filters: StatsFilter):
        self.filters = filters
        starts_at, read_starts_at = _many_datetimes("starts_at")
        self.events = {
            pk: _Event(title, start, start.astimezone(LONDON).date(), team or "")
            for pk, title, start, team in (
                (pk, title, read_starts_at(start), team)
                for pk, title, start, team in Event.objects.filter(filters.q())
                .order_by()
                .values_list("id", "title", starts_at, "team__name")
            )
        }
        self.officers = {
            pk: _Officer(name, number)
            for pk, name, number in Officer.objects.order_by().values_list(
                "id", "name", "shoulder_number"
            )
        }
        self.names = dict(Topic.objects.order_by().values_list("id", "name"))
        self.london = _london_reader()

    def chunks(self):
        """Lists of rows (id, recorded_at as read, event id, officer id, visitors, sign-ups, crime
        reports, notes, topic id, count), a row per entry and topic, oldest entry first;
        topic id and count are None for an entry without topics."""
        recorded_at, _read = _many_datetimes("recorded_at")
        query = (
            EngagementLog.objects.current()
            .filter(self.filters.q("event__"))
            .annotate(recorded=recorded_at)
            # Ordered by the column as read: on SQLite (text) the plan then starts from the
            # events in scope, not from a walk of every entry in time order.
            .order_by("recorded", "id")
            .values_list(
                "id",
                "recorded",
                "event_id",
                "officer_id",
                "visitors",
                "signups",
                "crime_reports",
                "notes",
                "mentions__topic_id",
                "mentions__count",
            )
        )
        # Straight from the cursor: Django's per-row work costs more than the query here.
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(self.CHUNK):
                yield chunk

    def entries(self):
        """(the entry's first eight columns, its (topic id, count) pairs) per entry."""
        entry, mentions = None, []
        for row in (row for chunk in self.chunks() for row in chunk):
            if entry is None or row[0] != entry[0]:
                if entry is not None:
                    yield entry, mentions
                entry, mentions = row[:8], []
            if row[8] is not None:
                mentions.append(row[8:])
        if entry is not None:
            yield entry, mentions


HOUR = dt.timedelta(hours=1)
TICK = dt.timedelta(microseconds=1)


def _london_reader(zone=LONDON):
    """A function turning UTC instants, as :func:`_many_datetimes` reads them, into aware
    datetimes in ``zone`` (Europe/London): the same as ``astimezone``, quicker for many
    values in time order.

    London's clocks change on the hour (UTC), so the offset, and the ``fold`` that tells the
    two 01:30s of an October night apart, is looked up once per UTC hour and then added; an
    hour that does not start and end on the same offset is converted value by value. The
    last value is remembered too, as entries often share a time.
    """
    naive_utc = _naive_utc_of_text if connection.vendor == "sqlite" else _naive_utc
    start = end = shift = last_value = last_out = None
    fold = 0

    def read(value):
        nonlocal start, end, shift, fold, last_value, last_out
        if value == last_value:
            return last_out
        utc = naive_utc(value)
        if start is None or not start <= utc < end:
            start = utc.replace(minute=0, second=0, microsecond=0)
            end = start + HOUR
            first = start.replace(tzinfo=dt.UTC).astimezone(zone)
            last = (end - TICK).replace(tzinfo=dt.UTC).astimezone(zone)
            shift, fold = first.utcoffset(), first.fold
            if (shift, fold) != (last.utcoffset(), last.fold):
                start = None  # the clocks change within this hour: convert each value
                last_value, last_out = value, utc.replace(tzinfo=dt.UTC).astimezone(zone)
                return last_out
        last_value, last_out = value, (utc + shift).replace(tzinfo=zone, fold=fold)
        return last_out

    return read


def _naive_utc_of_text(value: str) -> dt.datetime:
    """SQLite's stored text (naive UTC) as a naive datetime."""
    return _naive_utc(dt.datetime.fromisoformat(value))


def _naive_utc(value: dt.datetime) -> dt.datetime:
    """An aware datetime (PostgreSQL's) as a naive UTC one; a naive one is UTC already."""
    return value if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)


def _many_datetimes(field_name: str):
    """An expression for reading a datetime column from many rows, and its parser.

    On SQLite, Django parses each stored value with a regular expression, seconds for a
    quarter of a million rows; read as text, ``datetime.fromisoformat`` does it in C.
    """
    if connection.vendor == "sqlite":
        return Cast(field_name, TextField()), _utc_from_text
    return F(field_name), _same


def _utc_from_text(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def _same(value):
    return value
