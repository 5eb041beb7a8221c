"""The running totals checked against the rows they sum.

``EventTotals`` and ``EventTopicTotals`` are kept by database triggers (migration 0007).
These functions count the same figures from the engagement entries, topic mentions and
assignments themselves, so a test, the ``recount_totals`` command or an operator can see
whether the stored totals have drifted, and rebuild them.
"""

from django.db.models import Sum

from ...models import Assignment, EngagementLog, EventTopicTotals, EventTotals, TopicMention
from .figures import HOUR_SUMS, LOG_SUMS

COLUMNS = tuple(f.name for f in EventTotals._meta.concrete_fields if not f.primary_key)
_SECONDS = {"planned": "planned_seconds", "actual": "actual_seconds", "worked": "worked_seconds"}


def counted_totals() -> dict[int, dict]:
    """Each event's totals counted from its rows (events with no rows are left out)."""
    totals: dict[int, dict] = {}
    for row in EngagementLog.objects.current().order_by().values("event_id").annotate(**LOG_SUMS):
        totals.setdefault(row["event_id"], dict.fromkeys(COLUMNS, 0)).update(
            {name: int(row[name] or 0) for name in LOG_SUMS}
        )
    hours = Assignment.objects.filter(released=False).order_by().values("event_id")
    for row in hours.annotate(**HOUR_SUMS):
        event = totals.setdefault(row["event_id"], dict.fromkeys(COLUMNS, 0))
        event["officers"] = row["officers"]
        for name, column in _SECONDS.items():
            event[column] = float(row[name] or 0)
    return totals


def counted_topic_totals() -> dict[tuple[int, int], int]:
    """Mentions per (event, topic) counted from the current entries' mentions."""
    rows = (
        TopicMention.objects.filter(log__removed_at__isnull=True)
        .order_by()
        .values("log__event_id", "topic_id")
        .annotate(mentions=Sum("count"))
    )
    return {(row["log__event_id"], row["topic_id"]): int(row["mentions"]) for row in rows}


def stored_totals() -> dict[int, dict]:
    rows = EventTotals.objects.values("event_id", *COLUMNS)
    return {row.pop("event_id"): row for row in rows if any(row[c] for c in COLUMNS)}


def stored_topic_totals() -> dict[tuple[int, int], int]:
    rows = EventTopicTotals.objects.exclude(mentions=0).values_list(
        "event_id", "topic_id", "mentions"
    )
    return {(event, topic): mentions for event, topic, mentions in rows}


def _same(stored: dict, counted: dict) -> bool:
    # Seconds are sums of floating-point differences: equal to the millisecond is equal.
    return all(abs(stored[column] - counted[column]) < 0.001 for column in COLUMNS)


def drifted_events() -> set[int]:
    """Events whose stored totals differ from what their rows add up to (normally none)."""
    stored, counted = stored_totals(), counted_totals()
    empty = dict.fromkeys(COLUMNS, 0)
    drifted = {
        event
        for event in stored.keys() | counted.keys()
        if not _same(stored.get(event, empty), counted.get(event, empty))
    }
    stored_topics, counted_topics = stored_topic_totals(), counted_topic_totals()
    drifted |= {
        event
        for event, topic in stored_topics.keys() | counted_topics.keys()
        if stored_topics.get((event, topic)) != counted_topics.get((event, topic))
    }
    return drifted
