"""Rebuilding the running totals from the rows (a repair; the triggers keep them right)."""

from django.db import connection, transaction

from ..models import EventTopicTotals, EventTotals
from ..reporting.stats.totals import counted_topic_totals, counted_totals, drifted_events


@transaction.atomic
def totals_recount() -> set[int]:
    """Replace the stored totals with a fresh count; returns the events that had drifted.

    Writers wait meanwhile (SQLite: the transaction holds the write lock; PostgreSQL: the
    tables are locked against writes, which the triggers make), so no change is lost.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "LOCK TABLE events_eventtotals, events_eventtopictotals IN EXCLUSIVE MODE"
            )
    drifted = drifted_events()
    EventTotals.objects.all().delete()
    EventTotals.objects.bulk_create(
        EventTotals(event_id=event, **values) for event, values in counted_totals().items()
    )
    EventTopicTotals.objects.all().delete()
    EventTopicTotals.objects.bulk_create(
        EventTopicTotals(event_id=event, topic_id=topic, mentions=mentions)
        for (event, topic), mentions in counted_topic_totals().items()
    )
    return drifted
