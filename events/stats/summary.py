"""The headline figures, months, teams, event types, topics and top events."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    F,
    Max,
    Min,
    Sum,
    Value,
    When,
)

from ..models import (
    Event,
    Topic,
    TopicMention,
)
from .figures import (
    HOUR_COLUMNS,
    LOG_COLUMNS,
    Figures,
    aware,
    fetch_dicts,
    figures_of,
    month_bucket,
    per_event_sql,
)
from .filters import CANCELLED, LONDON, EventScope, StatsFilter, month_starts
from .kit import kit_utilisation


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
    """The cube in one query; with ``top``, also the events with the most visitors, read
    from the same per-event totals (a CTE both halves of a UNION share)."""
    months = _months(scope)
    cube = Cube(months)
    if not months:
        return cube
    inner, params = per_event_sql(
        scope,
        e_month=month_bucket("starts_at", months),
        e_team=F("team_id"),
        e_team_name=F("team__name"),
        e_type=F("event_type_id"),
        e_type_name=F("event_type__name"),
        e_held=Case(When(status=CANCELLED, then=Value(0)), default=Value(1)),
        e_title=F("title"),
        e_starts_at=F("starts_at"),
        e_location=F("location"),
    )
    keys = "e_month, e_team, e_team_name, e_type, e_type_name"
    figures = LOG_COLUMNS + HOUR_COLUMNS
    sums = ", ".join(f"SUM({name}) AS {name}" for name in figures)
    # Grouped on the ids alone (sorting numbers, not names); a name follows from its id.
    sql = (
        f"WITH per_event AS ({inner}) "  # noqa: S608 (no user text in the SQL)
        "SELECT 0 AS top, e_month, e_team, MAX(e_team_name) AS e_team_name, e_type,"
        " MAX(e_type_name) AS e_type_name, NULL AS id, NULL AS e_title,"
        f" NULL AS e_starts_at, NULL AS e_location, SUM(e_held) AS events, {sums}"
        " FROM per_event GROUP BY e_month, e_team, e_type"
    )
    if top:
        sql += (
            f" UNION ALL SELECT * FROM (SELECT 1, {keys}, id, e_title, e_starts_at, e_location,"  # noqa: S608
            f" e_held, {', '.join(figures)} FROM per_event WHERE visitors > 0"
            f" ORDER BY visitors DESC, e_starts_at, id LIMIT {int(top)}) best"
        )
    for row in fetch_dicts(sql, params):
        if row["top"]:
            cube.top_events.append(
                {
                    "id": row["id"],
                    "title": row["e_title"],
                    "starts_at": aware(row["e_starts_at"]),
                    "location": row["e_location"],
                    "team_name": row["e_team_name"],
                    "visitors": int(row["visitors"]),
                }
            )
            continue
        key = {
            "month": months[row["e_month"]],
            "team": (row["e_team"], row["e_team_name"] or "No team"),
            "event_type": (row["e_type"], row["e_type_name"] or "No type"),
        }
        cube.cells.append((key, figures_of(row)))
    # UNION ALL keeps no order: rank again (visitors, then start, then id).
    cube.top_events.sort(key=lambda event: (-event["visitors"], event["starts_at"], event["id"]))
    return cube


def _topics(scope) -> list[dict]:
    mentions = (
        TopicMention.objects.filter(log__removed_at__isnull=True)
        .filter(log__event_id__in=Event.objects.filter(scope.q()).values("id"))
        .order_by()
        .values("topic_id")
        .annotate(mentions=Sum("count"))
    )
    counts = {row["topic_id"]: row["mentions"] for row in mentions}
    topics = Topic.objects.filter(pk__in=counts) if counts else []
    return _topic_rows(
        [(topic.slug, topic.name, int(counts[topic.pk])) for topic in topics],
    )


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


def _summary(scope, *, top: int = 0) -> tuple[dict, Cube]:
    cube = _cube(scope, top=top)
    by_month = cube.by("month")
    summary = cube.total().as_dict()
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
    """Everything the dashboard shows, in four queries (five for an open period)."""
    data, cube = _summary(filters, top=top)
    data["by_team"] = _breakdown(cube, "team")
    data["by_event_type"] = _breakdown(cube, "event_type")
    data["kit"] = kit_utilisation(filters)
    data["top_events"] = cube.top_events
    return data
