"""One event: its debrief, running totals and the same event last time."""

import datetime as dt

from django.db.models import (
    Count,
    Sum,
)
from django.db.models.functions import ExtractHour, TruncDate

from ...models import (
    EngagementLog,
    Event,
    KitBooking,
    TopicMention,
)
from ...time import LONDON, local_midnight
from .figures import ACTUAL, LOG_SUMS, PLANNED
from .filters import CANCELLED
from .summary import event_summary


def previous_occurrence(event: Event) -> Event | None:
    """The same event last time: the one it was copied from, else the latest earlier
    event with the same title and type. Cancelled events never count."""
    earlier = Event.objects.exclude(status=CANCELLED).filter(starts_at__lt=event.starts_at)
    if event.copied_from_id:
        source = earlier.filter(pk=event.copied_from_id).first()
        if source:
            return source
    return (
        earlier.filter(title__iexact=event.title, event_type_id=event.event_type_id)
        .exclude(pk=event.pk)
        .order_by("-starts_at", "-id")
        .first()
    )


def debrief(event: Event, *, notes: int = 5) -> dict:
    """Everything the one-page event debrief shows."""
    logs = EngagementLog.objects.current().filter(event=event).order_by()
    previous = previous_occurrence(event)
    return {
        "event": event,
        "summary": event_summary(event),
        "by_day": list(
            logs.values(day=TruncDate("recorded_at", tzinfo=LONDON))
            .annotate(visitors=Sum("visitors"), entries=Count("id"))
            .order_by("day")
        ),
        "by_hour": list(
            logs.values(hour=ExtractHour("recorded_at", tzinfo=LONDON))
            .annotate(visitors=Sum("visitors"))
            .order_by("hour")
        ),
        "notes": list(
            logs.exclude(notes="").select_related("officer").order_by("-recorded_at", "-id")[:notes]
        ),
        "assignments": list(
            event.assignments.filter(released=False)
            .select_related("officer")
            .annotate(planned_seconds=PLANNED, actual_seconds=ACTUAL)
            .order_by("starts_at", "officer__name")
        ),
        "bookings": list(
            event.kit_bookings.exclude(status=KitBooking.Status.CANCELLED)
            .select_related("item")
            .order_by("item__category", "item__name")
        ),
        "previous": previous,
        "previous_summary": event_summary(previous) if previous else None,
    }


def event_totals(event: Event) -> dict:
    """Totals so far for one event: visitors, sign-ups, crime reports, entries, topics."""
    return _log_totals(EngagementLog.objects.current().filter(event=event))


def _log_totals(logs) -> dict:
    """Counts and topic mentions of a set of current engagement entries."""
    totals = logs.order_by().aggregate(**LOG_SUMS)
    totals = {key: int(value or 0) for key, value in totals.items()}
    totals["topics"] = list(
        TopicMention.objects.filter(log__in=logs)
        .order_by()
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
        .order_by()
        .values("event_id")
        .annotate(v=Sum("visitors"))
    )
    return {row["event_id"]: row["v"] for row in rows}


def event_day_totals(event: Event, day: dt.date, *, officer=None) -> dict:
    """One event's figures for one local day (the capture page's running totals)."""
    start = local_midnight(day)
    logs = EngagementLog.objects.current().filter(
        event=event,
        recorded_at__gte=start,
        recorded_at__lt=local_midnight(day + dt.timedelta(days=1)),
    )
    if officer is not None:
        logs = logs.filter(officer=officer)
    return _log_totals(logs)
