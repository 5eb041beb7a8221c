"""Reads: one function per screen or list, shared by the views, the API and the reports."""

from django.db.models import Count, Prefetch, Q, QuerySet

from . import permissions, stats
from .models import Assignment, Event, KitBooking


def event_list(*, user) -> QuerySet[Event]:
    """Events this user may see, with what the list shows (no per-row queries)."""
    return (
        permissions.visible_events(user)
        .select_related("team", "event_type")
        .annotate(
            officer_count=Count(
                "assignments__officer",
                filter=Q(assignments__released=False),
                distinct=True,
            ),
            kit_count=Count(
                "kit_bookings",
                filter=Q(kit_bookings__status__in=["reserved", "checked_out"]),
                distinct=True,
            ),
        )
        .order_by("starts_at", "id")
    )


def event_detail(*, user, pk) -> dict:
    """Everything the event page shows; raises 404 when the event is not visible."""
    event = permissions.get_event_for(user, pk)
    event = (
        Event.objects.select_related("team", "event_type", "lead_officer", "created_by")
        .prefetch_related(
            "partners",
            "focus_topics",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("officer", "officer__team"),
            ),
            Prefetch("kit_bookings", queryset=KitBooking.objects.select_related("item")),
        )
        .get(pk=event.pk)
    )
    return {
        "event": event,
        "assignments": [a for a in event.assignments.all() if not a.released],
        "bookings": [b for b in event.kit_bookings.all() if b.is_live],
        "totals": stats.event_totals(event),
    }
