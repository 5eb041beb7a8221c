"""Reads: one function per screen or list, shared by the views, the API and the reports."""

from django.db.models import Count, Prefetch, Q, QuerySet

from . import conflicts, permissions, stats
from .models import Assignment, Event, KitBooking, Officer


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
        "warnings": conflicts.event_warnings(event),
    }


def staffing_picker(*, event: Event) -> dict:
    """Who is on the event, and every active officer: free for its window, or why not."""
    officers = list(
        Officer.objects.filter(active=True)
        .select_related("team")
        .prefetch_related("qualifications")
    )
    clashes = conflicts.officers_conflicts(officers, event.starts_at, event.ends_at)
    assigned = list(
        event.assignments.filter(released=False).select_related("officer", "officer__team")
    )
    on_event = {a.officer_id for a in assigned}
    return {
        "assigned": assigned,
        "candidates": [
            {
                "officer": o,
                "qualifications": ", ".join(q.name for q in o.qualifications.all()),
                "reasons": [c.message for c in clashes[o.pk]],
            }
            for o in officers
            if o.pk not in on_event
        ],
        "warnings": conflicts.event_warnings(event),
    }


def kit_free_quantities(items, starts_at, ends_at) -> dict[int, int]:
    """Free units of each item over a window (``conflicts.free_quantity`` for a page of
    items), with one query for all their overlapping live bookings."""
    from collections import defaultdict

    from . import conflicts

    bookings = defaultdict(list)
    overlapping = (
        KitBooking.objects.live()
        .filter(item__in=[item.pk for item in items])
        .overlapping(starts_at, ends_at)
    )
    for booking in overlapping:
        bookings[booking.item_id].append(booking)
    return {
        item.pk: max(item.quantity - conflicts._peak_use(bookings[item.pk], starts_at, ends_at), 0)
        if item.bookable
        else 0
        for item in items
    }
