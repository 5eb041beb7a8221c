"""Figures for a slice of events, and the per-event totals every breakdown sums.

What each total sums (and how hours are measured) is defined once in :mod:`events.totals`;
which events count (held ones) in :mod:`.held`.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ...time import local_midnight
from ...totals import COLUMNS, HOUR_SUMS, LOG_SUMS


# -- Figures --------------------------------------------------------------------------------
@dataclass(slots=True)
class Figures:
    """Totals for any slice of held events; ``as_dict`` gives the shape every output shows.

    ``officers`` is the distinct officers of one event; summed over several events it would
    count a person once per event, so :meth:`as_dict` leaves it out (the summary counts the
    distinct people of its events itself)."""

    events: int = 0
    visitors: int = 0
    signups: int = 0
    crime_reports: int = 0
    entries: int = 0
    officers: int = 0
    planned_seconds: int = 0
    actual_seconds: int = 0
    worked_seconds: int = 0

    def add(self, other: "Figures") -> None:
        self.events += other.events
        self.visitors += other.visitors
        self.signups += other.signups
        self.crime_reports += other.crime_reports
        self.entries += other.entries
        self.officers += other.officers
        self.planned_seconds += other.planned_seconds
        self.actual_seconds += other.actual_seconds
        self.worked_seconds += other.worked_seconds

    def as_dict(self) -> dict:
        return {
            "events": self.events,
            "visitors": self.visitors,
            "officer_hours": hours(self.worked_seconds),
            "officer_hours_planned": hours(self.planned_seconds),
            "officer_hours_actual": hours(self.actual_seconds),
            "signups": self.signups,
            "crime_reports": self.crime_reports,
            "entries": self.entries,
            "visitors_per_officer_hour": per_hour(self.visitors, self.worked_seconds),
        }


def hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def per_hour(count: int, seconds: float) -> float | None:
    """Count per officer-hour, or None when no hours were worked (not a division by zero)."""
    return round(count * 3600 / seconds, 2) if seconds > 0.5 else None


LOG_COLUMNS = tuple(LOG_SUMS)
HOUR_COLUMNS = tuple(HOUR_SUMS)


def figures_of(row: dict) -> Figures:
    """A row with the :data:`events.totals.COLUMNS` (and maybe ``events``) as Figures."""
    return Figures(int(row.get("events") or 0), *(int(row[name] or 0) for name in COLUMNS))


def month_bucket(field_name: str, months: list[dt.date]):
    """The index in ``months`` of the local month of ``field_name``, as a balanced CASE tree:
    plain comparisons with UTC bounds, so the database does no time-zone work per row."""
    bounds = [local_midnight(month) for month in months[1:]]

    def node(low, high):
        if low == high:
            return Value(low)
        middle = (low + high) // 2
        return Case(
            When(**{f"{field_name}__lt": bounds[middle]}, then=node(low, middle)),
            default=node(middle + 1, high),
            output_field=IntegerField(),
        )

    return node(0, len(bounds))


# -- Per event, from the running totals ------------------------------------------------------
# EventTotals (kept by database triggers, see events/totals.py) holds each event's sums over
# its current entries and unreleased assignments; an event with neither has no row. These
# expressions read them from an Event queryset already limited to held events.
EVENT_FIGURES = {
    name: Coalesce(F(f"totals__{name}"), Value(0), output_field=BigIntegerField())
    for name in COLUMNS
}
SUMMED_FIGURES = {"events": Count("id")} | {
    name: Sum(value) for name, value in EVENT_FIGURES.items()
}


def aware(value) -> dt.datetime:
    """Raw SQL hands SQLite datetimes back as naive UTC (or text); PostgreSQL's are aware."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
