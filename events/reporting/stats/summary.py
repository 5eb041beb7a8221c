"""The headline figures, months, teams, event types, topics and top events."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Sum,
)

from ...models import (
    Assignment,
    Event,
    EventTopicTotals,
    Officer,
    Topic,
)
from ...time import LONDON
from .figures import (
    SUMMED_FIGURES,
    Figures,
    figures_of,
    month_bucket,
)
from .filters import EventScope, StatsFilter, month_starts
from .kit import kit_utilisation
from .stand import stand_figures


def _months(scope) -> list[dt.date]:
    months = scope.months()
    if months is not None:
        return months
    span = Event.objects.filter(scope.q()).aggregate(first=Min("starts_at"), last=Max("starts_at"))
    if span["first"] is None:
        return []
    first, last = (span[k].astimezone(LONDON).date() for k in ("first", "last"))
    if getattr(scope, "date_from", None):
        first = max(first, scope.date_from)
    if getattr(scope, "date_to", None):
        last = min(last, scope.date_to)
    return month_starts(first, last)


@dataclass
class Cube:
    """Figures per (month, team, event type): every breakdown is a sum of these cells."""

    months: list[dt.date]
    cells: list[tuple[dict, Figures]] = field(default_factory=list)
    top_events: list[dict] = field(default_factory=list)

    def total(self) -> Figures:
        total = Figures()
        for _key, figures in self.cells:
            total.add(figures)
        return total

    def by(self, *names) -> dict[tuple, Figures]:
        groups: dict[tuple, Figures] = defaultdict(Figures)
        for key, figures in self.cells:
            groups[tuple(key[name] for name in names)].add(figures)
        return groups


def _cube(scope, *, top: int = 0) -> Cube:
    """The cube in one query over the events and their running totals, grouped on ids
    (sorting numbers, not names; a name follows from its id); with ``top``, a second query
    ranks the events with the most visitors (then start, then id)."""
    months = _months(scope)
    cube = Cube(months)
    if not months:
        return cube
    in_scope = Event.objects.filter(scope.q()).order_by()
    cells = (
        in_scope.values(
            e_month=month_bucket("starts_at", months),
            e_team=F("team_id"),
            e_type=F("event_type_id"),
        )
        .annotate(
            e_team_name=Max("team__name"), e_type_name=Max("event_type__name"), **SUMMED_FIGURES
        )
        .order_by()
    )
    for row in cells:
        key = {
            "month": months[row["e_month"]],
            "team": (row["e_team"], row["e_team_name"] or "No team"),
            "event_type": (row["e_type"], row["e_type_name"] or "No type"),
        }
        cube.cells.append((key, figures_of(row)))
    if top:
        best = (
            in_scope.filter(totals__visitors__gt=0)
            .order_by("-totals__visitors", "starts_at", "id")
            .values("id", "title", "starts_at", "location", team_name=F("team__name"))
            .annotate(visitors=F("totals__visitors"))
        )
        cube.top_events = list(best[:top])
    return cube


def _topics(scope) -> list[dict]:
    """Mentions per topic, from the running totals per event and topic. Grouped on the
    topic id alone (joining the names row by row would double the time); names follow."""
    counted = (
        EventTopicTotals.objects.filter(event__in=Event.objects.filter(scope.q()).values("id"))
        .order_by()
        .values("topic_id")
        .annotate(total=Sum("mentions"))
        .filter(total__gt=0)
    )
    counts = {row["topic_id"]: int(row["total"]) for row in counted}
    topics = Topic.objects.filter(pk__in=counts).only("slug", "name") if counts else []
    return _topic_rows([(topic.slug, topic.name, counts[topic.pk]) for topic in topics])


def _topic_rows(counted) -> list[dict]:
    total = sum(mentions for _slug, _name, mentions in counted)
    rows = [
        {
            "topic": slug,
            "name": name,
            "mentions": mentions,
            "share": round(100 * mentions / total, 1) if total else 0.0,
        }
        for slug, name, mentions in counted
    ]
    return sorted(rows, key=lambda row: (-row["mentions"], row["name"]))


def _officers(scope, cube: Cube) -> int:
    """Distinct people on the held events in scope (an officer on three shifts, or at three
    events, is one officer). One event's count is in its running totals already."""
    if isinstance(scope, EventScope):
        return cube.total().officers
    # Officers with a shift in scope: an EXISTS per officer (a few hundred, each stopping at
    # the first shift it finds) is ten times quicker than a COUNT(DISTINCT) over every shift.
    shifts = Assignment.objects.filter(officer_id=OuterRef("pk"), released=False)
    return Officer.objects.filter(Exists(shifts.filter(scope.q("event__")))).count()


def _summary(scope, *, top: int = 0) -> tuple[dict, Cube]:
    cube = _cube(scope, top=top)
    by_month = cube.by("month")
    total = cube.total().as_dict()
    summary = {"events": total.pop("events"), "officers": _officers(scope, cube), **total}
    summary.update(stand_figures(scope))
    summary["topics"] = _topics(scope)
    summary["by_month"] = [
        {"month": f"{month:%Y-%m}", **by_month.get((month,), Figures()).as_dict()}
        for month in cube.months
    ]
    return summary, cube


def summary(filters: StatsFilter) -> dict:
    """The headline figures, topics and months for a filter (``GET /api/stats/summary``)."""
    return _summary(filters)[0]


def event_summary(event: Event) -> dict:
    """The same shape as :func:`summary`, for one event (``GET /api/events/{id}/stats``)."""
    return _summary(EventScope(event))[0]


def _breakdown(cube: Cube, name: str) -> list[dict]:
    rows = [
        {"id": key[0][0], "name": key[0][1], **figures.as_dict()}
        for key, figures in cube.by(name).items()
    ]
    return sorted(rows, key=lambda row: (-row["visitors"], -row["events"], row["name"]))


def dashboard(filters: StatsFilter, *, top: int = 10) -> dict:
    """Everything the dashboard shows, in seven queries (eight for an open period)."""
    data, cube = _summary(filters, top=top)
    data["by_team"] = _breakdown(cube, "team")
    data["by_event_type"] = _breakdown(cube, "event_type")
    data["kit"] = kit_utilisation(filters)
    data["top_events"] = cube.top_events
    return data
