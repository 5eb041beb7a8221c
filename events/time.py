"""Time, said once: people see Europe/London, the database stores UTC (shared/DOMAIN.md).

A London day runs from local midnight to local midnight, so it is 23 hours long on the last
Sunday of March and 25 on the last Sunday of October. Durations are worked out on the aware
(UTC) instants, never on wall-clock times: an event over the October change lasts an hour
longer than its clock times suggest.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def local(moment: dt.datetime) -> dt.datetime:
    """An aware instant as London wall-clock time."""
    return moment.astimezone(LONDON)


def local_date(moment: dt.datetime) -> dt.date:
    """The London day an aware instant falls on."""
    return moment.astimezone(LONDON).date()


def local_today(now: dt.datetime | None = None) -> dt.date:
    """Today in London (or the London day of ``now``)."""
    return local_date(now or timezone.now())


def local_midnight(day: dt.date) -> dt.datetime:
    """The instant a London day starts (midnight always exists: the clocks change at 01:00)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def local_days(starts_at: dt.datetime, ends_at: dt.datetime) -> tuple[dt.date, dt.date]:
    """The first and last London day a window touches; ending at midnight does not touch the
    next day."""
    first = local_date(starts_at)
    last = local_date(ends_at - dt.timedelta(microseconds=1))
    return first, max(first, last)


def utc_duration(starts_at: dt.datetime, ends_at: dt.datetime) -> dt.timedelta:
    """Elapsed time. Subtracting two times in one zone gives wall-clock time, which is an
    hour wrong over a clock change; UTC gives what really elapsed."""
    return ends_at.astimezone(dt.UTC) - starts_at.astimezone(dt.UTC)


def _day(moment: dt.datetime, *, year: bool) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}" + (f" {moment.year}" if year else "")


def window(starts_at: dt.datetime, ends_at: dt.datetime, *, year: bool = True) -> str:
    """A window as people read it, in London time.

    "Sat 4 Jul 2026 09:00–17:00" within one day, "Sat 4 Jul 2026 09:00 – Mon 6 Jul 2026
    18:00" across days; ``year=False`` leaves the years out (where the page shows them).
    """
    start, end = local(starts_at), local(ends_at)
    first, last = local_days(starts_at, ends_at)
    if first == last:
        return f"{_day(start, year=year)} {start:%H:%M}–{end:%H:%M}"
    return f"{_day(start, year=year)} {start:%H:%M} – {_day(end, year=year)} {end:%H:%M}"


def window_on(day: dt.date, starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """The part of a window that falls on one London day: "09:00–17:00" for a one-day window,
    else "from 09:00" on its first day, "until 17:00" on its last, "all day" between."""
    first, last = local_days(starts_at, ends_at)
    start, end = local(starts_at), local(ends_at)
    if first == last:
        return f"{start:%H:%M}–{end:%H:%M}"
    if day == first:
        return f"from {start:%H:%M}"
    if day == last:
        return f"until {end:%H:%M}"
    return "all day"


def days_label(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """The London days a window covers: "Sat 12 Jun 2027", "Sat 12 – Mon 14 Jun 2027" or
    "Mon 31 May – Wed 2 Jun 2027"."""
    first, last = local_days(starts_at, ends_at)
    if first == last:
        return f"{first:%a} {first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%a} {first.day} – {last:%a} {last.day} {last:%b %Y}"
    return f"{first:%a} {first.day} {first:%b} – {last:%a} {last.day} {last:%b %Y}"
