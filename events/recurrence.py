"""The dates of a repeating event (shared/DOMAIN.md, "Series"): pure, no database.

Every week, 2 weeks or 4 weeks steps by whole days. Monthly keeps the weekday and its place
in the month: the first Tuesday stays the first Tuesday. An event on a fifth weekday (the
29th to the 31st) repeats on the *last* such weekday of each month, because a fifth one is
missing from most months and skipping them would leave gaps of two or three months.

Days are London calendar days; ``services.series`` puts the event's wall-clock times on them,
so an event at 10:00 stays at 10:00 across the clock changes.
"""

import calendar
import datetime as dt

MAX_OCCURRENCES = 52
STEPS = {"week": 7, "2 weeks": 14, "4 weeks": 28}
EVERY = (*STEPS, "month")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def _nth_weekday(year: int, month: int, weekday: int, nth: int | None) -> dt.date:
    """The ``nth`` (1–4) ``weekday`` of a month, or its last when ``nth`` is None."""
    days = [
        week[weekday]
        for week in calendar.Calendar().monthdatescalendar(year, month)
        if week[weekday].month == month
    ]
    return days[-1] if nth is None else days[nth - 1]


def _place(day: dt.date) -> int | None:
    """Which weekday of its month ``day`` is (1–4), None for a fifth (then: the last)."""
    nth = (day.day - 1) // 7 + 1
    return None if nth == 5 else nth


def describe(every: str, first: dt.date) -> str:
    """'every 2 weeks on Saturday', 'monthly on the first Tuesday', 'monthly on the last
    Friday'."""
    weekday = f"{first:%A}"
    if every == "month":
        nth = _place(first)
        return f"monthly on the {ORDINALS[nth] if nth else 'last'} {weekday}"
    return f"{'every week' if every == 'week' else 'every ' + every} on {weekday}"


def occurrence_days(
    first: dt.date, every: str, *, until: dt.date | None = None, count: int | None = None
) -> list[dt.date]:
    """The days of a series starting on ``first`` (included), ``count`` of them in all, or
    every one up to ``until`` (inclusive). At most MAX_OCCURRENCES + 1 are returned, so that
    the caller can tell an ``until`` too far away."""
    if every not in EVERY:
        raise ValueError(f"Unknown repeat: {every!r}.")
    limit = min(count, MAX_OCCURRENCES + 1) if count is not None else MAX_OCCURRENCES + 1
    days: list[dt.date] = []
    nth = _place(first)
    n = 0
    while len(days) < limit:
        if every == "month":
            months = first.month - 1 + n
            day = _nth_weekday(first.year + months // 12, months % 12 + 1, first.weekday(), nth)
        else:
            day = first + dt.timedelta(days=STEPS[every] * n)
        if until is not None and day > until:
            break
        days.append(day)
        n += 1
    return days
