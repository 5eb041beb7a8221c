"""Writes calendar feeds as iCalendar (RFC 5545) for Outlook, Google and Apple calendars.

Format only: the entries come from ``calendar_queries``. Each VEVENT keeps a stable UID and
a SEQUENCE that grows on every change, so subscribers update events instead of duplicating
them; a cancelled one is still sent, with STATUS:CANCELLED, so subscribers remove it.
"""

import datetime as dt
from collections.abc import Callable, Iterable

import icalendar

from .queries.calendar import FeedEntry

PRODID = "-//Outreach//Outreach calendar feeds//EN"


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def feed_calendar(
    *,
    name: str,
    entries: Iterable[FeedEntry],
    event_url: Callable[[int], str],
    now: dt.datetime,
) -> bytes:
    """The feed as iCalendar bytes; ``event_url`` gives an event's page as a full URL."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    # How often subscribers should fetch again (the standard name, then Outlook's).
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = _utc(now)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", entry.sequence)
        event.add("dtstart", _utc(entry.starts_at))
        event.add("dtend", _utc(entry.ends_at))
        event.add("summary", entry.summary)
        if entry.location:
            event.add("location", entry.location)
        if entry.description:
            event.add("description", entry.description)
        event.add("status", entry.status)
        event.add("created", _utc(entry.created))
        event.add("last-modified", _utc(entry.last_modified))
        event.add("url", event_url(entry.event_id))
        cal.add_component(event)
    return cal.to_ical()
