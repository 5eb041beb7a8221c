"""Figures for a slice of events, and the per-event totals every breakdown sums."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ...time import local_midnight
from .filters import CANCELLED


# -- Figures --------------------------------------------------------------------------------
@dataclass(slots=True)
class Figures:
    """Totals for any slice of events; ``as_dict`` gives the shape every output shows."""

    events: int = 0
    visitors: int = 0
    signups: int = 0
    crime_reports: int = 0
    entries: int = 0
    officers: int = 0  # assignments (one per officer per event)
    planned_seconds: float = 0.0
    actual_seconds: float = 0.0
    worked_seconds: float = 0.0

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


class Seconds(Func):
    """Seconds from the second datetime to the first, as the database computes it in UTC."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores UTC text; julianday() parses it natively (Django's own datetime
        # subtraction on SQLite calls back into Python for every row).
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)",
            arg_joiner=" - ",
            **extra,
        )


PLANNED = Seconds("ends_at", "starts_at")
ACTUAL = Coalesce(
    ExpressionWrapper(F("actual_minutes") * 60.0, output_field=FloatField()),
    Seconds("actual_ends_at", "actual_starts_at"),
    output_field=FloatField(),
)
LOG_SUMS = {
    "visitors": Sum("visitors"),
    "signups": Sum("signups"),
    "crime_reports": Sum("crime_reports"),
    "entries": Count("id"),
}
HOUR_SUMS = {
    "officers": Count("id"),
    "planned": Sum(PLANNED),
    "actual": Sum(ACTUAL),
    "worked": Sum(Coalesce(ACTUAL, PLANNED, output_field=FloatField())),
}
LOG_COLUMNS = ("visitors", "signups", "crime_reports", "entries")
HOUR_COLUMNS = ("officers", "planned", "actual", "worked")


def figures_of(row: dict) -> Figures:
    return Figures(
        events=int(row.get("events") or 0),
        visitors=int(row["visitors"] or 0),
        signups=int(row["signups"] or 0),
        crime_reports=int(row["crime_reports"] or 0),
        entries=int(row["entries"] or 0),
        officers=int(row["officers"] or 0),
        planned_seconds=float(row["planned"] or 0),
        actual_seconds=float(row["actual"] or 0),
        worked_seconds=float(row["worked"] or 0),
    )


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
# EventTotals (kept by database triggers, see events/models.py) holds each event's sums over
# its current entries and unreleased assignments; an event with neither has no row. These
# expressions read them from an Event queryset; a cancelled event's officers and hours count
# for nothing (cancelling releases them anyway).
def _stored(column: str, zero, *, if_cancelled=None):
    kind = FloatField() if isinstance(zero, float) else BigIntegerField()
    value = Coalesce(F(f"totals__{column}"), Value(zero), output_field=kind)
    if if_cancelled is None:
        return value
    return Case(When(status=CANCELLED, then=Value(if_cancelled)), default=value, output_field=kind)


HELD = Case(When(status=CANCELLED, then=Value(0)), default=Value(1))
EVENT_FIGURES = {
    "visitors": _stored("visitors", 0),
    "signups": _stored("signups", 0),
    "crime_reports": _stored("crime_reports", 0),
    "entries": _stored("entries", 0),
    "officers": _stored("officers", 0, if_cancelled=0),
    "planned": _stored("planned_seconds", 0.0, if_cancelled=0.0),
    "actual": _stored("actual_seconds", 0.0, if_cancelled=0.0),
    "worked": _stored("worked_seconds", 0.0, if_cancelled=0.0),
}
SUMMED_FIGURES = {"events": Sum(HELD)} | {name: Sum(value) for name, value in EVENT_FIGURES.items()}


def aware(value) -> dt.datetime:
    """Raw SQL hands SQLite datetimes back as naive UTC (or text); PostgreSQL's are aware."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
