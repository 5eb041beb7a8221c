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


INVITE_PRODID = "-//Outreach//Outreach shift notices//EN"


def shift_invite(
    *,
    uid: str,
    sequence: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    summary: str,
    location: str,
    description: str,
    organizer: tuple[str, str],
    attendee: tuple[str, str],
    cancel: bool,
    now: dt.datetime,
) -> bytes:
    """One shift as an iTIP message (RFC 5546) for an e-mail: METHOD:REQUEST adds or updates
    it in the officer's calendar, METHOD:CANCEL (same UID, higher SEQUENCE) removes it.

    Outlook and Google treat it as a meeting request only with an ORGANIZER and the
    recipient as ATTENDEE; ``organizer`` and ``attendee`` are (name, address) pairs."""
    cal = icalendar.Calendar()
    cal.add("prodid", INVITE_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(now))
    event.add("sequence", sequence)
    event.add("dtstart", _utc(starts_at))
    event.add("dtend", _utc(ends_at))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("transp", "OPAQUE")
    name, address = organizer
    event.add("organizer", f"mailto:{address}", parameters={"CN": name} if name else {})
    name, address = attendee
    event.add(
        "attendee",
        f"mailto:{address}",
        parameters={
            "CN": name,
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",
        },
    )
    cal.add_component(event)
    return cal.to_ical()
