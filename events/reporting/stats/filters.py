"""Which events the figures cover: the filter, its dates and months."""

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import (
    Exists,
    OuterRef,
    Q,
)
from django.db.models.lookups import Exact

from ...models import (
    Event,
    EventTopicTotals,
    EventType,
    Team,
    Topic,
)
from ...postcodes import is_district, outward_code_of, sector_digit_of
from ...time import LONDON, local_midnight
from .held import held_q

# A period longer than this (or an open one) has its months taken from the data instead.
MAX_PERIOD_MONTHS = 240


# -- Dates ----------------------------------------------------------------------------------
def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from the month of ``first`` to that of ``last``."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# -- Filters --------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatsFilter:
    """Which events the figures cover. Every field is optional; see the module docstring."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    team: int | None = None
    event_type: str | int | None = None  # slug or id
    topic: str | None = None  # slug
    area: str | None = None  # postcode prefix, e.g. "AL" or "AL3"

    def q(self, prefix: str = "") -> Q:
        """The condition on events, reached from another model through ``prefix``
        (``"event__"`` from logs, assignments and bookings, ``"log__event__"`` from mentions)."""
        q = held_q(prefix)
        if self.date_from:
            q &= Q(**{f"{prefix}starts_at__gte": local_midnight(self.date_from)})
        if self.date_to:
            end = local_midnight(self.date_to + dt.timedelta(days=1))
            q &= Q(**{f"{prefix}starts_at__lt": end})
        if self.team is not None:
            q &= Q(**{f"{prefix}team_id": self.team})
        if self.event_type not in (None, ""):
            if str(self.event_type).isdigit():
                q &= Q(**{f"{prefix}event_type_id": int(self.event_type)})
            else:
                q &= Q(**{f"{prefix}event_type__slug": self.event_type})
        if self.area:
            q &= area_q(self.area, f"{prefix}postcode")
        if self.topic:
            event_ref = f"{prefix[:-2]}_id" if prefix else "pk"
            q &= Q(
                Exists(
                    EventTopicTotals.objects.filter(
                        topic__slug=self.topic, mentions__gt=0, event_id=OuterRef(event_ref)
                    )
                )
            )
        return q

    def months(self) -> list[dt.date] | None:
        """The months of a bounded period of sensible length, else None (ask the data)."""
        if not (self.date_from and self.date_to) or self.date_from > self.date_to:
            return None
        months = month_starts(self.date_from, self.date_to)
        return months if len(months) <= MAX_PERIOD_MONTHS else None

    def as_dict(self) -> dict:
        """The filter as JSON-ready values, with the API's parameter names (for export logs)."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "team": self.team,
            "event_type": self.event_type,
            "topic": self.topic,
            "area": self.area,
        }
        return {key: value for key, value in values.items() if value not in (None, "")}

    @classmethod
    def from_dict(cls, values: dict) -> "StatsFilter":
        """The filter back from :meth:`as_dict` (as an export job keeps it)."""
        day = dt.date.fromisoformat
        return cls(
            date_from=day(values["from"]) if values.get("from") else None,
            date_to=day(values["to"]) if values.get("to") else None,
            team=values.get("team"),
            event_type=values.get("event_type"),
            topic=values.get("topic"),
            area=values.get("area"),
        )

    def year_earlier(self) -> "StatsFilter":
        return replace(
            self,
            date_from=year_earlier(self.date_from) if self.date_from else None,
            date_to=year_earlier(self.date_to) if self.date_to else None,
        )

    def describe(self) -> str:
        """The filter in words, for report covers ("All events" when there is none)."""
        parts = []
        if self.date_from and self.date_to:
            parts.append(f"Events from {self.date_from:%-d %b %Y} to {self.date_to:%-d %b %Y}")
        elif self.date_from:
            parts.append(f"Events from {self.date_from:%-d %b %Y}")
        elif self.date_to:
            parts.append(f"Events up to {self.date_to:%-d %b %Y}")
        else:
            parts.append("All events")
        if self.team is not None:
            team = Team.objects.filter(pk=self.team).first()
            parts.append(f"team: {team.name if team else self.team}")
        if self.event_type not in (None, ""):
            key = str(self.event_type)
            kind = EventType.objects.filter(
                Q(pk=int(key)) if key.isdigit() else Q(slug=key)
            ).first()
            parts.append(f"type: {kind.name if kind else key}")
        if self.topic:
            topic = Topic.objects.filter(slug=self.topic).first()
            parts.append(f"topic raised: {topic.name if topic else self.topic}")
        if self.area:
            parts.append(f"postcode area: {self.area}")
        return "; ".join(parts)


def area_q(area: str, field_name: str) -> Q:
    """Postcodes in an area ("AL") or district ("AL3": not "AL35 …") or sector ("AL3 7").
    A district (and a sector's district) is matched on the postcode's outward code
    (:mod:`events.postcodes`), the rule the coverage figures group by, so the two agree and
    "AL37PT" is in AL3 and in AL3 7 as "AL3 7PT" is."""
    area = " ".join(area.upper().split())
    if not area:
        return Q()
    if is_district(area):
        return Q(Exact(outward_code_of(field_name), area))
    district, _, sector = area.partition(" ")
    if is_district(district) and sector.isdigit():
        return Q(Exact(outward_code_of(field_name), district)) & Q(
            Exact(sector_digit_of(field_name), sector)
        )
    return Q(**{f"{field_name}__istartswith": area})


@dataclass(frozen=True)
class EventScope:
    """One event: the scope of :func:`event_summary`. Its figures are what it adds to any
    summary: all zero until it is held (a draft, a cancelled or a future event)."""

    event: Event

    def q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}id": self.event.pk}) & held_q(prefix)

    def months(self):
        start = self.event.starts_at.astimezone(LONDON).date()
        return [start.replace(day=1)]
