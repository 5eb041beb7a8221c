"""Reads for the calendar pages and the iCal feeds.

Events are laid out on Europe/London days (a three-day show appears on each of its days; a
day is local midnight to local midnight, 23 or 25 hours long on the clock-change days), so
the templates only loop over prepared values and never query.
"""

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from .. import permissions
from ..models import Assignment, CalendarFeed, Event, EventType, KitBooking, KitItem, Officer, Team
from ..time import local_days, local_midnight, local_today, window, window_on

# Feeds carry a year of history and everything ahead: enough for "what did I do last
# summer" in Outlook, without growing for ever.
FEED_HISTORY = dt.timedelta(days=365)


@dataclass(frozen=True)
class CalendarFilters:
    team: Team | None = None
    event_type: EventType | None = None
    show_cancelled: bool = False


@dataclass(frozen=True)
class CalendarEntry:
    """One event as shown on one day."""

    pk: int
    title: str
    status: str
    status_label: str
    cancelled: bool
    team: str
    event_type: str
    location: str
    time_label: str  # "09:00–17:00", "from 09:00", "all day", "until 17:00"
    span_label: str  # the whole event, e.g. "Fri 5 Jun 09:00 – Sun 7 Jun 17:00"


@dataclass
class CalendarDay:
    date: dt.date
    in_period: bool
    is_today: bool
    entries: list[CalendarEntry] = field(default_factory=list)


def calendar_events(
    *, user, first: dt.date, last: dt.date, filters: CalendarFilters
) -> QuerySet[Event]:
    """Events this user may see that touch the London days ``first`` to ``last`` inclusive."""
    events = (
        permissions.visible_events(user)
        .overlapping(local_midnight(first), local_midnight(last + dt.timedelta(days=1)))
        .select_related("team", "event_type")
        .order_by("starts_at", "id")
    )
    if filters.team is not None:
        events = events.for_team(filters.team)
    if filters.event_type is not None:
        events = events.filter(event_type=filters.event_type)
    if not filters.show_cancelled:
        events = events.live()
    return events


def calendar_days(
    *,
    user,
    first: dt.date,
    last: dt.date,
    filters: CalendarFilters,
    period: tuple[dt.date, dt.date] | None = None,
    today: dt.date | None = None,
) -> list[CalendarDay]:
    """Each London day from ``first`` to ``last`` with the events on it, in one query.

    ``period`` marks the days that belong to what is shown (the month, in a month grid whose
    first and last weeks spill into the months either side).
    """
    today = today or local_today()
    period_first, period_last = period or (first, last)
    count = (last - first).days + 1
    days = [
        CalendarDay(
            date=day,
            in_period=period_first <= day <= period_last,
            is_today=day == today,
        )
        for day in (first + dt.timedelta(days=n) for n in range(count))
    ]
    for event in calendar_events(user=user, first=first, last=last, filters=filters):
        event_first, event_last = local_days(event.starts_at, event.ends_at)
        span = window(event.starts_at, event.ends_at, year=False)
        for n in range(
            (max(event_first, first) - first).days, (min(event_last, last) - first).days + 1
        ):
            day = days[n]
            day.entries.append(
                CalendarEntry(
                    pk=event.pk,
                    title=event.title,
                    status=event.status,
                    status_label=event.get_status_display(),
                    cancelled=event.is_cancelled,
                    team=event.team.name if event.team else "",
                    event_type=event.event_type.name if event.event_type else "",
                    location=event.location,
                    time_label=window_on(day.date, event.starts_at, event.ends_at),
                    span_label=span,
                )
            )
    return days


def month_calendar(
    *, user, year: int, month: int, filters: CalendarFilters, today: dt.date | None = None
) -> dict:
    """The month as whole Monday-to-Sunday weeks."""
    weeks = pycalendar.Calendar(firstweekday=pycalendar.MONDAY).monthdatescalendar(year, month)
    first_of_month = dt.date(year, month, 1)
    last_of_month = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    days = calendar_days(
        user=user,
        first=weeks[0][0],
        last=weeks[-1][-1],
        filters=filters,
        period=(first_of_month, last_of_month),
        today=today,
    )
    return {
        "weeks": [days[n : n + 7] for n in range(0, len(days), 7)],
        "first": first_of_month,
        "previous": (first_of_month - dt.timedelta(days=1)).replace(day=1),
        "next": last_of_month + dt.timedelta(days=1),
    }


def week_calendar(
    *, user, day: dt.date, filters: CalendarFilters, today: dt.date | None = None
) -> dict:
    """The Monday-to-Sunday week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    return {
        "days": calendar_days(user=user, first=monday, last=sunday, filters=filters, today=today),
        "first": monday,
        "last": sunday,
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
    }


# --- iCal feeds ------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """One VEVENT: an event, an officer's shift on it, or a kit booking for it."""

    uid: str
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str
    description: str
    status: str  # iCalendar STATUS: TENTATIVE, CONFIRMED or CANCELLED
    created: dt.datetime
    last_modified: dt.datetime
    event_id: int


ICAL_STATUS = {
    Event.Status.DRAFT: "TENTATIVE",
    Event.Status.CONFIRMED: "CONFIRMED",
    Event.Status.COMPLETED: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
}


def feed_owner(key: str):
    """The user whose secret feed key this is, if they still hold a role; else 404."""
    feed = CalendarFeed.objects.select_related("user").filter(key=key).first()
    if feed is None or not feed.user.is_active or not permissions.has_any_role(feed.user):
        raise CalendarFeed.DoesNotExist("No such calendar feed.")
    return feed.user


def _location(event: Event) -> str:
    return ", ".join(part for part in (event.location, event.postcode) if part)


def _event_lines(event: Event) -> list[str]:
    lines = [f"Status: {event.get_status_display()}"]
    if event.event_type:
        lines.append(f"Type: {event.event_type.name}")
    if event.team:
        lines.append(f"Lead team: {event.team.name}")
    return lines


def _entry(event: Event, *, uid: str, sequence: int, status: str, window, title, lines):
    return FeedEntry(
        uid=uid,
        sequence=sequence,
        starts_at=window[0],
        ends_at=window[1],
        summary=title,
        location=_location(event),
        description="\n".join(lines),
        status=status,
        created=event.created_at,
        last_modified=event.updated_at,
        event_id=event.pk,
    )


def _since() -> dt.datetime:
    return timezone.now() - FEED_HISTORY


def team_feed(*, user, team_id: int) -> tuple[str, list[FeedEntry]]:
    """A team's events, cancelled ones included (marked cancelled so subscribers drop them)."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Team.DoesNotExist("No such team.")
    events = (
        permissions.visible_events(user)
        .for_team(team)
        .filter(ends_at__gte=_since())
        .select_related("team", "event_type")
        .order_by("starts_at", "id")
    )
    entries = [
        _entry(
            event,
            uid=f"{event.uid}@outreach",
            sequence=event.sequence,
            status=ICAL_STATUS[event.status],
            window=(event.starts_at, event.ends_at),
            title=event.title,
            lines=_event_lines(event),
        )
        for event in events
    ]
    return f"Outreach: {team.name}", entries


def _windows(rows: QuerySet, *, user) -> QuerySet:
    """Shifts or bookings on events the user may see, with their events, in one query."""
    return (
        rows.filter(event__in=permissions.visible_events(user), ends_at__gte=_since())
        .select_related("event", "event__team", "event__event_type")
        .order_by("starts_at", "id")
    )


def _window_entry(row, *, part: str, withdrawn: bool, title: str, first_line: str):
    """A shift or booking: its own window and UID, the event's details and counter.

    Withdrawing a shift or booking does not touch the event's counter, but the VEVENT
    changes, so its sequence moves on by one (a withdrawal is never undone).
    """
    event = row.event
    return _entry(
        event,
        uid=f"{event.uid}-{part}-{row.pk}@outreach",
        sequence=event.sequence + int(withdrawn),
        status="CANCELLED" if withdrawn or event.is_cancelled else ICAL_STATUS[event.status],
        window=(row.starts_at, row.ends_at),
        title=title,
        lines=[first_line, *_event_lines(event)],
    )


def my_shifts_feed(*, user) -> tuple[str, list[FeedEntry]]:
    """The key owner's own assignments, one VEVENT per shift (an officer may work two days of
    a three-day show). A shift taken off the rota, or on a cancelled event, is sent cancelled.
    """
    officer = permissions.officer_for(user)
    if officer is None:
        raise Officer.DoesNotExist("This account has no officer record, so no shifts.")
    shifts = _windows(Assignment.objects.filter(officer=officer), user=user)
    entries = [
        _window_entry(
            shift,
            part="shift",
            withdrawn=shift.released,
            title=f"{shift.event.title} ({shift.get_role_display().lower()})",
            first_line=f"Your role: {shift.get_role_display()}",
        )
        for shift in shifts
    ]
    return "Outreach: my shifts", entries


def kit_feed(*, user, item_id: int) -> tuple[str, list[FeedEntry]]:
    """A kit item's bookings; a cancelled booking (or event) is sent cancelled."""
    item = permissions.visible_kit(user).filter(pk=item_id).first()
    if item is None:
        raise KitItem.DoesNotExist("No such kit item.")
    quantity = "{} × " if item.consumable else ""
    entries = [
        _window_entry(
            booking,
            part="kit",
            withdrawn=booking.status == KitBooking.Status.CANCELLED,
            title=f"{quantity.format(booking.quantity)}{item.name}: {booking.event.title}",
            first_line=f"Booking: {booking.get_status_display()}",
        )
        for booking in _windows(KitBooking.objects.filter(item=item), user=user)
    ]
    return f"Outreach kit: {item}", entries


def feed_links(*, user) -> dict:
    """What the feeds page offers: the user's own shifts (if an officer), teams and kit."""
    return {
        "has_shifts": permissions.officer_for(user) is not None,
        "teams": list(Team.objects.order_by("name")),
        "kit": list(permissions.visible_kit(user).order_by("category", "name")),
    }
