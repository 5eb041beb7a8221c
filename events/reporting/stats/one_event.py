"""One event: its debrief, the list's figures per event, the capture page's running totals
and the same event last time."""

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
from ...time import LONDON, local_days, local_midnight, local_today
from ...totals import ACTUAL, LOG_SUMS, PLANNED
from .figures import EVENT_FIGURES, figures_of, hours
from .held import held_q, is_held
from .summary import event_summary


def previous_occurrence(event: Event) -> Event | None:
    """The same event last time: the one it was copied from, else the latest earlier
    event with the same title and type, among held events."""
    earlier = Event.objects.filter(held_q(), starts_at__lt=event.starts_at)
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
    """Everything the one-page event debrief shows. Its figures count once it is held, like
    every figure: before then (or for a draft or cancelled event) they are all zero."""
    logs = EngagementLog.objects.current().filter(event=event).order_by()
    if not is_held(event):
        logs = logs.none()
    previous = previous_occurrence(event)
    assignments = list(
        event.assignments.filter(released=False)
        .select_related("officer")
        .annotate(planned_seconds=PLANNED, actual_seconds=ACTUAL)
        .order_by("starts_at", "officer__name")
    )
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
        "assignments": assignments,
        # Distinct people: an officer on three shifts is one officer with three shifts.
        "officers": len({assignment.officer_id for assignment in assignments}),
        "bookings": list(
            event.kit_bookings.exclude(status=KitBooking.Status.CANCELLED)
            .select_related("item")
            .order_by("item__category", "item__name")
        ),
        "previous": previous,
        "previous_summary": event_summary(previous) if previous else None,
    }


def event_figures(event_ids) -> dict[int, dict]:
    """The figures of each of a page of events (the event list), in one query: officers
    (distinct), visitors and officer-hours of the held ones; the others are left out."""
    rows = (
        Event.objects.filter(held_q(), pk__in=list(event_ids))
        .order_by()
        .values("id", **EVENT_FIGURES)
    )
    figures = {row.pop("id"): figures_of(row) for row in rows}
    return {
        pk: {
            "officers": totals.officers,
            "visitors": totals.visitors,
            "officer_hours": hours(totals.worked_seconds),
        }
        for pk, totals in figures.items()
    }


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


def capture_totals(*, event: Event, officer) -> dict:
    """The capture page's tally for one day of the event, across all officers and my own:
    today while the event runs, else its nearest day (its last once it is over, its first
    before it starts), so a page opened days later never calls old figures "today"."""
    today = local_today()
    first, last = local_days(event.starts_at, event.ends_at)
    day = min(max(today, first), last)
    everyone = event_day_totals(event, day)
    mine = event_day_totals(event, day, officer=officer)
    return {
        "day": day.isoformat(),
        "day_label": f"{day:%a %-d %b %Y}",
        "today": day == today,
        "visitors": everyone["visitors"],
        "signups": everyone["signups"],
        "crime_reports": everyone["crime_reports"],
        "topics": [
            {"topic": t["topic__slug"], "name": t["topic__name"], "mentions": t["mentions"]}
            for t in everyone["topics"][:5]
        ],
        "mine": {"visitors": mine["visitors"], "entries": mine["entries"]},
    }
