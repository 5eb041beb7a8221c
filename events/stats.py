"""Every engagement figure is computed here, and only here.

The event page, dashboard, API, PDF and Excel report all call these functions, so they
agree to the unit. Aggregation happens in the database.
"""

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from .models import EngagementLog, Event, TopicMention


def event_totals(event: Event) -> dict:
    """Totals so far for one event: visitors, sign-ups, crime reports, entries, topics."""
    logs = EngagementLog.objects.current().filter(event=event)
    totals = logs.aggregate(
        visitors=Coalesce(Sum("visitors"), 0),
        signups=Coalesce(Sum("signups"), 0),
        crime_reports=Coalesce(Sum("crime_reports"), 0),
        entries=Count("id"),
    )
    totals["topics"] = list(
        TopicMention.objects.filter(log__in=logs)
        .values("topic__slug", "topic__name")
        .annotate(mentions=Sum("count"))
        .order_by("-mentions", "topic__name")
    )
    return totals


def visitors_by_event(event_ids) -> dict[int, int]:
    """Visitors per event for a page of events, in one query."""
    rows = (
        EngagementLog.objects.current()
        .filter(event_id__in=list(event_ids))
        .values("event_id")
        .annotate(v=Sum("visitors"))
    )
    return {row["event_id"]: row["v"] for row in rows}
