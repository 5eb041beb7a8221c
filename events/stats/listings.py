"""Row by row: every event, officer and engagement entry in scope, for the reports."""

import datetime as dt

from django.db import connection
from django.db.models import (
    Count,
    F,
    TextField,
)
from django.db.models.functions import Cast

from ..models import (
    Assignment,
    EngagementLog,
    Event,
    Officer,
    Topic,
    TopicMention,
)
from .figures import (
    EVENT_FIGURES,
    HOUR_COLUMNS,
    HOUR_SUMS,
    LOG_COLUMNS,
    LOG_SUMS,
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
                visitors,
                signups,
                crime_reports,
                entries,
                officers,
                planned,
                actual,
                worked,
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
                    "figures": Figures(
                        1,
                        visitors,
                        signups,
                        crime_reports,
                        entries,
                        officers,
                        planned,
                        actual,
                        worked,
                    ),
                }


def officer_rows(filters: StatsFilter) -> list[dict]:
    """Hours per officer on the events in scope, with what they logged there."""
    worked = {
        row["officer_id"]: row
        for row in Assignment.objects.filter(released=False)
        .filter(filters.q("event__"))
        .order_by()
        .values("officer_id")
        .annotate(events=Count("event_id", distinct=True), **HOUR_SUMS)
    }
    logged = {
        row["officer_id"]: row
        for row in EngagementLog.objects.current()
        .filter(filters.q("event__"))
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
    (name, count) by name. Two queries read side by side in the same order, so memory
    stays flat.
    """
    recorded_at, read_recorded_at = _many_datetimes("recorded_at")
    starts_at, read_starts_at = _many_datetimes("event__starts_at")
    logs = (
        EngagementLog.objects.current()
        .filter(filters.q("event__"))
        .order_by("recorded_at", "id")
        .values_list(
            "id",
            recorded_at,
            "event__title",
            starts_at,
            "event__team__name",
            "officer__name",
            "officer__shoulder_number",
            "visitors",
            "signups",
            "crime_reports",
            "notes",
        )
    )
    mentions = (
        TopicMention.objects.filter(log__removed_at__isnull=True)
        .filter(filters.q("log__event__"))
        .order_by("log__recorded_at", "log_id")
        .values_list("log_id", "topic_id", "count")
    )
    names = dict(Topic.objects.values_list("id", "name"))
    starts = {}  # an event's start, read once for all its entries
    pending = mentions.iterator(chunk_size=5000)
    mention = next(pending, None)
    for log_id, when, title, start, *values in logs.iterator(chunk_size=5000):
        topics = []
        while mention is not None and mention[0] == log_id:
            topics.append((names[mention[1]], mention[2]))
            mention = next(pending, None)
        if len(topics) > 1:
            topics.sort()
        event_start = starts.get(start)
        if event_start is None:
            event_start = starts[start] = read_starts_at(start)
        yield (read_recorded_at(when), title, event_start, *values, topics)


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
