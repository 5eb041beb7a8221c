"""Reads: one function per screen or list, shared by the views, the API and the reports."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .. import conflicts, permissions
from ..models import Assignment, Event, EventType, KitBooking, Officer, Team, Topic
from ..time import local_midnight, local_today


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
                filter=Q(kit_bookings__status__in=KitBooking.LIVE),
                distinct=True,
            ),
        )
        .order_by("starts_at", "id")
    )


def event_list_filter(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    team: Team | int | None = None,
    event_type: EventType | str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> Q:
    """The event list's filters (the web page's and the API's), as one condition.

    ``date_from``/``date_to`` are London days, inclusive: an event matches when any of it
    falls between the start of the first and the end of the last. ``team`` is a team or its
    id, ``event_type`` a type or its slug; an unknown one matches nothing. ``q`` looks for
    the text in the title, location or postcode. Missing or blank filters match everything.
    """
    condition = Q()
    if date_from is not None:
        condition &= Q(ends_at__gt=local_midnight(date_from))
    if date_to is not None:
        condition &= Q(starts_at__lt=local_midnight(date_to + dt.timedelta(days=1)))
    if team is not None:
        condition &= Q(team=team)
    if isinstance(event_type, EventType):
        condition &= Q(event_type=event_type)
    elif event_type:
        condition &= Q(event_type__slug=event_type)
    if status:
        condition &= Q(status=status)
    if q and q.strip():
        words = q.strip()
        condition &= (
            Q(title__icontains=words) | Q(location__icontains=words) | Q(postcode__icontains=words)
        )
    return condition


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
            "photos",
        )
        .get(pk=event.pk)
    )
    return {
        "event": event,
        "assignments": [a for a in event.assignments.all() if not a.released],
        "bookings": [b for b in event.kit_bookings.all() if b.is_live],
        "warnings": conflicts.event_warnings(event),
        "photos": list(event.photos.all()),
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
    unreachable = {a.officer_id: a.officer for a in assigned if not a.officer.email}
    return {
        "assigned": assigned,
        # On the event but not told of their shifts by e-mail (no address on their record).
        "unreachable": list(unreachable.values()),
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


def my_shift(*, event: Event, officer, now=None):
    """The officer's shift that "My hours" is about: the one under way, else the last one
    that started (hours are confirmed at the end of the day), else the first to come."""
    now = now or timezone.now()
    shifts = list(event.assignments.filter(officer=officer, released=False).order_by("starts_at"))
    started = [shift for shift in shifts if shift.starts_at <= now]
    return started[-1] if started else (shifts[0] if shifts else None)


def capture_page(*, event: Event, officer) -> dict:
    """The capture page: the event, my shift and the topic chips (today's totals come from
    the reporting layer: ``stats.capture_totals``)."""
    assignment = my_shift(event=event, officer=officer)
    return {
        "event": event,
        "assignment": assignment,
        "topics": capture_topics(event),
    }


def capture_topics(event: Event) -> list[Topic]:
    """The active topic chips, the event's planned focus topics first and "Other" last."""
    focus = set(event.focus_topics.values_list("pk", flat=True))
    topics = Topic.objects.filter(active=True, topic_list__active=True).select_related("topic_list")
    return sorted(
        topics,
        key=lambda t: (t.slug == "other", t.pk not in focus, t.topic_list.name != "General"),
    )


def my_events(*, officer: Officer, now=None) -> dict:
    """An officer's own events: today's first, then upcoming, then recent, with who and what."""
    now = now or timezone.now()
    today = local_today(now)
    start_of_today = local_midnight(today)
    end_of_today = local_midnight(today + dt.timedelta(days=1))
    assignments = (
        Assignment.objects.live()
        .filter(
            officer=officer,
            ends_at__gte=start_of_today - dt.timedelta(days=14),
            starts_at__lt=end_of_today + dt.timedelta(days=90),
        )
        .select_related("event", "event__event_type")
        .prefetch_related(
            Prefetch(
                "event__kit_bookings",
                queryset=KitBooking.objects.live().select_related("item"),
                to_attr="live_kit",
            ),
            Prefetch(
                "event__assignments",
                queryset=Assignment.objects.filter(released=False).select_related("officer"),
                to_attr="live_staff",
            ),
        )
        .order_by("starts_at")
    )
    groups = {"today": [], "upcoming": [], "recent": []}
    for a in assignments:
        if a.starts_at < end_of_today and a.ends_at > start_of_today:
            key = "today"
        elif a.starts_at >= end_of_today:
            key = "upcoming"
        else:
            key = "recent"
        groups[key].append(
            {
                "assignment": a,
                "event": a.event,
                "kit": [b.item.name for b in a.event.live_kit],
                "others": sorted(
                    {s.officer.name for s in a.event.live_staff if s.officer_id != officer.pk}
                ),
            }
        )
    groups["recent"].reverse()
    return groups


def event_entries(*, user, event: Event):
    """The engagement entries on an event this user may see (officers: their own)."""
    return (
        permissions.visible_logs(user)
        .current()
        .filter(event=event)
        .select_related("officer")
        .prefetch_related("mentions__topic")
        .order_by("-recorded_at", "-id")
    )
