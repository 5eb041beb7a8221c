"""Every engagement figure is computed here, and only here.

The event page, the dashboard, the API, the PDF and the Excel report all call these
functions, so they agree to the unit. Aggregation happens in the database.

What is counted, for a :class:`StatsFilter`:

- **Events**: events whose start falls in the period, in Europe/London dates (``from`` and
  ``to`` both inclusive), that match the team (the event's lead team), event type (slug or
  id), postcode area (a prefix: ``AL`` is the area, ``AL3`` the district, so ``AL3`` does not
  match ``AL35 …``) and topic (events at which a current entry raised it). Cancelled events
  are never counted, nor anything about them.
- **Visitors, sign-ups, crime reports, entries, topic mentions**: the current engagement
  entries (``EngagementLog.objects.current()``: removed entries do not count) of those
  events, whenever they were recorded. So a month's figures are those of the events that
  *started* in it, and the by-month rows add up to the headline.
- **Officer-hours**: the windows of the events' assignments that were not released.
  ``officer_hours_planned`` sums the planned windows; ``officer_hours_actual`` sums what was
  recorded (``actual_minutes``, else ``actual_ends_at - actual_starts_at``) on the
  assignments that have a record; ``officer_hours`` (the headline, and the denominator of
  ``visitors_per_officer_hour``) takes the actual hours where recorded and the planned ones
  otherwise. Durations are differences of UTC instants taken by the database, so the night
  the clocks go back really is an hour longer.
- **Months** are Europe/London calendar months. ``by_month`` lists every month of the period
  (for an open or very long period: from the first to the last month with events).

For one event (:func:`event_summary`) the same figures cover that event's entries and
hours; a cancelled event counts as 0 events held.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractHour, TruncDate

from .models import (
    Assignment,
    EngagementLog,
    Event,
    EventType,
    KitBooking,
    KitItem,
    Officer,
    Team,
    Topic,
    TopicList,
    TopicMention,
)

LONDON = ZoneInfo("Europe/London")
CANCELLED = Event.Status.CANCELLED
# A period longer than this (or an open one) has its months taken from the data instead.
MAX_PERIOD_MONTHS = 240


# -- Dates ----------------------------------------------------------------------------------
def local_midnight(day: dt.date) -> dt.datetime:
    """The instant a Europe/London day starts (clocks change at 01:00, never at midnight)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


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
        q = ~Q(**{f"{prefix}status": CANCELLED})
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
                    TopicMention.objects.filter(
                        topic__slug=self.topic,
                        log__removed_at__isnull=True,
                        log__event_id=OuterRef(event_ref),
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
    """Postcodes in an area ("AL") or district ("AL3": not "AL35 …") or sector ("AL3 7")."""
    area = " ".join(area.upper().split())
    if not area:
        return Q()
    if area[-1].isdigit() and " " not in area:
        return Q(**{f"{field_name}__iexact": area}) | Q(
            **{f"{field_name}__istartswith": f"{area} "}
        )
    return Q(**{f"{field_name}__istartswith": area})


@dataclass(frozen=True)
class _EventScope:
    """One event, cancelled or not: the scope of :func:`event_summary`."""

    event: Event

    def q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}id": self.event.pk})

    def months(self):
        start = self.event.starts_at.astimezone(LONDON).date()
        return [start.replace(day=1)]


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


_PLANNED = Seconds("ends_at", "starts_at")
_ACTUAL = Coalesce(
    ExpressionWrapper(F("actual_minutes") * 60.0, output_field=FloatField()),
    Seconds("actual_ends_at", "actual_starts_at"),
    output_field=FloatField(),
)
_LOG_SUMS = {
    "visitors": Sum("visitors"),
    "signups": Sum("signups"),
    "crime_reports": Sum("crime_reports"),
    "entries": Count("id"),
}
_HOUR_SUMS = {
    "officers": Count("id"),
    "planned": Sum(_PLANNED),
    "actual": Sum(_ACTUAL),
    "worked": Sum(Coalesce(_ACTUAL, _PLANNED, output_field=FloatField())),
}
_LOG_COLUMNS = ("visitors", "signups", "crime_reports", "entries")
_HOUR_COLUMNS = ("officers", "planned", "actual", "worked")


def _figures(row: dict) -> Figures:
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


def _month_bucket(field_name: str, months: list[dt.date]):
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


def _per_event_sql(scope, **event_columns) -> tuple[str, list]:
    """SQL for every event in scope with its entry and hour totals, one row per event.

    Entries and assignments are first summed per event, then joined to the events: each
    table is read once and no row fans out. Django has no derived tables, so the three
    ORM-built queries are joined here by hand; the columns are those named in
    ``event_columns`` (plus ``id``), ``_LOG_COLUMNS`` and ``_HOUR_COLUMNS``.
    """
    in_scope = Event.objects.filter(scope.q()).order_by()
    events = in_scope.values("id", **event_columns)
    # "event_id IN (…)" rather than a join lets the database read each table in event_id
    # index order and group without sorting.
    logs = (
        EngagementLog.objects.current()
        .filter(event_id__in=in_scope.values("id"))
        .order_by()
        .values("event_id")
        .annotate(**_LOG_SUMS)
    )
    assignments = (
        Assignment.objects.filter(released=False)
        .filter(event_id__in=in_scope.exclude(status=CANCELLED).values("id"))
        .order_by()
        .values("event_id")
        .annotate(**_HOUR_SUMS)
    )
    parts = [qs.query.sql_with_params() for qs in (events, logs, assignments)]
    select = ", ".join(
        [f"ev.{name}" for name in ("id", *event_columns)]
        + [f"COALESCE(lg.{name}, 0) AS {name}" for name in _LOG_COLUMNS]
        + [f"COALESCE(hr.{name}, 0) AS {name}" for name in _HOUR_COLUMNS]
    )
    sql = (
        f"SELECT {select} FROM ({parts[0][0]}) ev"  # noqa: S608 (no user text in the SQL)
        f" LEFT JOIN ({parts[1][0]}) lg ON lg.event_id = ev.id"
        f" LEFT JOIN ({parts[2][0]}) hr ON hr.event_id = ev.id"
    )
    return sql, [param for _sql, params in parts for param in params]


def _fetch(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


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
    inner, params = _per_event_sql(
        scope,
        e_month=_month_bucket("starts_at", months),
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
    figures = _LOG_COLUMNS + _HOUR_COLUMNS
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
    for row in _fetch(sql, params):
        if row["top"]:
            cube.top_events.append(
                {
                    "id": row["id"],
                    "title": row["e_title"],
                    "starts_at": _aware(row["e_starts_at"]),
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
        cube.cells.append((key, _figures(row)))
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
    return _summary(_EventScope(event))[0]


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


# -- Further breakdowns ---------------------------------------------------------------------
def _scalar(queryset, expression, output_field=None):
    """A correlated subquery answering one aggregate (no GROUP BY: one row, or NULL)."""
    return Subquery(
        queryset.order_by().values(value=expression)[:1],
        output_field=output_field or IntegerField(),
    )


def kit_utilisation(filters: StatsFilter) -> list[dict]:
    """Per kit item: events and days it was out, units booked, and visitors at the events
    where it was present (does the mini tractor draw a crowd?). Retired items that were not
    out are left off; cancelled bookings do not count."""
    bookings = KitBooking.objects.exclude(status=KitBooking.Status.CANCELLED).filter(
        filters.q("event__")
    )
    of_item = bookings.filter(item_id=OuterRef("pk"))
    at_events = EngagementLog.objects.current().filter(
        event_id__in=bookings.filter(item_id=OuterRef(OuterRef("pk"))).values("event_id")
    )
    # Local calendar days a booking touches, less one (a same-day booking spans 0 days).
    span = ExpressionWrapper(
        TruncDate("ends_at", tzinfo=LONDON) - TruncDate("starts_at", tzinfo=LONDON),
        output_field=DurationField(),
    )
    distinct_events = Func(F("event_id"), template="COUNT(DISTINCT %(expressions)s)")
    items = (
        KitItem.objects.annotate(
            k_events=Coalesce(_scalar(of_item, distinct_events), 0),
            k_bookings=_scalar(of_item, Func(F("id"), function="COUNT")),
            k_units=_scalar(of_item, Func(F("quantity"), function="SUM")),
            k_span=_scalar(of_item, Func(span, function="SUM"), DurationField()),
            k_visitors=_scalar(at_events, Func(F("visitors"), function="SUM")),
        )
        .exclude(condition=KitItem.Condition.RETIRED, k_events=0)
        .order_by("category", "name")
    )
    rows = []
    for item in items:
        rows.append(
            {
                "id": item.pk,
                "name": item.name,
                "asset_tag": item.asset_tag or "",
                "category": item.get_category_display(),
                "events": item.k_events or 0,
                "bookings": item.k_bookings or 0,
                "days": (item.k_bookings or 0) + (item.k_span.days if item.k_span else 0),
                "units": int(item.k_units or 0),
                "visitors": int(item.k_visitors or 0),
                "visitors_per_event": round((item.k_visitors or 0) / item.k_events, 1)
                if item.k_events
                else None,
            }
        )
    return sorted(rows, key=lambda row: (-row["events"], -row["visitors"], row["name"]))


def event_rows(filters: StatsFilter):
    """Every event in scope with its figures, in start order (for the report tables).

    One query; rows are dicts with the event's fields, ``figures`` (a :class:`Figures`) and
    ``starts_at``/``ends_at`` as aware datetimes.
    """
    sql, params = _per_event_sql(
        filters,
        e_starts_at=F("starts_at"),
        e_ends_at=F("ends_at"),
        e_title=F("title"),
        e_status=F("status"),
        e_location=F("location"),
        e_postcode=F("postcode"),
        e_team_name=F("team__name"),
        e_type_name=F("event_type__name"),
    )
    status = dict(Event.Status.choices)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY ev.e_starts_at, ev.id", params)  # noqa: S608
        while chunk := cursor.fetchmany(2000):
            # Columns in _per_event_sql's order: id, the ones named above, then the totals.
            for (
                pk,
                starts_at,
                ends_at,
                title,
                state,
                location,
                postcode,
                team,
                kind,
                visitors,
                signups,
                crime_reports,
                entries,
                officers,
                planned,
                actual,
                worked,
            ) in chunk:
                yield {
                    "id": pk,
                    "title": title,
                    "starts_at": _aware(starts_at),
                    "ends_at": _aware(ends_at),
                    "status": status.get(state, state),
                    "location": location,
                    "postcode": postcode,
                    "team": team or "",
                    "event_type": kind or "",
                    "figures": Figures(
                        1,
                        visitors,
                        signups,
                        crime_reports,
                        entries,
                        officers,
                        planned,
                        actual,
                        worked,
                    ),
                }


def _aware(value) -> dt.datetime:
    """Raw SQL hands SQLite datetimes back as naive UTC (or text); PostgreSQL's are aware."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def officer_rows(filters: StatsFilter) -> list[dict]:
    """Hours per officer on the events in scope, with what they logged there."""
    worked = {
        row["officer_id"]: row
        for row in Assignment.objects.filter(released=False)
        .filter(filters.q("event__"))
        .order_by()
        .values("officer_id")
        .annotate(events=Count("event_id", distinct=True), **_HOUR_SUMS)
    }
    logged = {
        row["officer_id"]: row
        for row in EngagementLog.objects.current()
        .filter(filters.q("event__"))
        .order_by()
        .values("officer_id")
        .annotate(**_LOG_SUMS)
    }
    officers = Officer.objects.filter(pk__in=worked.keys() | logged.keys()).select_related("team")
    empty = dict.fromkeys(_LOG_COLUMNS + _HOUR_COLUMNS + ("events",), 0)
    rows = [
        {
            "name": officer.name,
            "shoulder_number": officer.shoulder_number,
            "rank": officer.get_rank_display(),
            "team": officer.team.name if officer.team else "",
            "figures": _figures(
                {**empty, **worked.get(officer.pk, {}), **logged.get(officer.pk, {})}
            ),
        }
        for officer in officers
    ]
    return sorted(rows, key=lambda row: (row["team"], row["name"]))


def log_entries(filters: StatsFilter):
    """Every current entry of the events in scope, oldest first, streamed.

    Yields tuples (recorded_at, event title, event start, team, officer, shoulder number,
    visitors, sign-ups, crime reports, notes, topics) where topics is a list of
    (name, count) by name. Two queries read side by side in the same order, so memory
    stays flat.
    """
    recorded_at, read_recorded_at = _many_datetimes("recorded_at")
    starts_at, read_starts_at = _many_datetimes("event__starts_at")
    logs = (
        EngagementLog.objects.current()
        .filter(filters.q("event__"))
        .order_by("recorded_at", "id")
        .values_list(
            "id",
            recorded_at,
            "event__title",
            starts_at,
            "event__team__name",
            "officer__name",
            "officer__shoulder_number",
            "visitors",
            "signups",
            "crime_reports",
            "notes",
        )
    )
    mentions = (
        TopicMention.objects.filter(log__removed_at__isnull=True)
        .filter(filters.q("log__event__"))
        .order_by("log__recorded_at", "log_id")
        .values_list("log_id", "topic_id", "count")
    )
    names = dict(Topic.objects.values_list("id", "name"))
    starts = {}  # an event's start, read once for all its entries
    pending = mentions.iterator(chunk_size=5000)
    mention = next(pending, None)
    for log_id, when, title, start, *values in logs.iterator(chunk_size=5000):
        topics = []
        while mention is not None and mention[0] == log_id:
            topics.append((names[mention[1]], mention[2]))
            mention = next(pending, None)
        if len(topics) > 1:
            topics.sort()
        event_start = starts.get(start)
        if event_start is None:
            event_start = starts[start] = read_starts_at(start)
        yield (read_recorded_at(when), title, event_start, *values, topics)


def _many_datetimes(field_name: str):
    """An expression for reading a datetime column from many rows, and its parser.

    On SQLite, Django parses each stored value with a regular expression, seconds for a
    quarter of a million rows; read as text, ``datetime.fromisoformat`` does it in C.
    """
    if connection.vendor == "sqlite":
        return Cast(field_name, TextField()), _utc_from_text
    return F(field_name), _same


def _utc_from_text(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def _same(value):
    return value


def strategy_list() -> TopicList | None:
    """The current Rural Strategy topic list (the newest active one by name), if any."""
    return (
        TopicList.objects.filter(active=True, name__istartswith="Rural Strategy")
        .order_by("-name")
        .first()
    )


def topic_trends(filters: StatsFilter, *, today: dt.date | None = None) -> dict:
    """Mentions per month of each Rural Strategy topic, beside the same months a year earlier.

    The months are the filter's period when it is bounded and at most 24 months long;
    otherwise the twelve months up to its end (or up to today).
    """
    end = filters.date_to or today or dt.date.today()
    start = filters.date_from
    if not start or start > end or len(month_starts(start, end)) > 24:
        start = add_months(end.replace(day=1), -11)
    this = replace(filters, date_from=start, date_to=end)
    last = this.year_earlier()
    months = month_starts(start, end)
    all_months = month_starts(last.date_from, end)
    offset = len(all_months) - len(months)
    topic_list = strategy_list()
    topics = Topic.objects.filter(topic_list=topic_list) if topic_list else Topic.objects.all()
    counts = (
        TopicMention.objects.filter(log__removed_at__isnull=True, topic__in=topics)
        .filter(this.q("log__event__") | last.q("log__event__"))
        .order_by()
        .values("topic_id", bucket=_month_bucket("log__event__starts_at", all_months))
        .annotate(mentions=Sum("count"))
    )
    series = defaultdict(lambda: [0] * len(all_months))
    for row in counts:
        series[row["topic_id"]][row["bucket"]] += int(row["mentions"])
    rows = []
    for topic in topics.order_by("position", "name"):
        values = series[topic.pk]
        # Months a year earlier sit twelve places back (the two spans may overlap).
        last_year = [values[offset + i - 12] if offset + i >= 12 else 0 for i in range(len(months))]
        this_year = values[offset:]
        rows.append(
            {
                "topic": topic.slug,
                "name": topic.name,
                "months": this_year,
                "last_year": last_year,
                "total": sum(this_year),
                "total_last_year": sum(last_year),
            }
        )
    return {
        "list": topic_list.name if topic_list else "All topics",
        "months": [f"{month:%Y-%m}" for month in months],
        "topics": rows,
    }


# -- One event ------------------------------------------------------------------------------
def previous_occurrence(event: Event) -> Event | None:
    """The same event last time: the one it was copied from, else the latest earlier
    event with the same title and type. Cancelled events never count."""
    earlier = Event.objects.exclude(status=CANCELLED).filter(starts_at__lt=event.starts_at)
    if event.copied_from_id:
        source = earlier.filter(pk=event.copied_from_id).first()
        if source:
            return source
    return (
        earlier.filter(title__iexact=event.title, event_type_id=event.event_type_id)
        .exclude(pk=event.pk)
        .order_by("-starts_at", "-id")
        .first()
    )


def debrief(event: Event, *, notes: int = 5) -> dict:
    """Everything the one-page event debrief shows."""
    logs = EngagementLog.objects.current().filter(event=event).order_by()
    previous = previous_occurrence(event)
    return {
        "event": event,
        "summary": event_summary(event),
        "by_day": list(
            logs.values(day=TruncDate("recorded_at", tzinfo=LONDON))
            .annotate(visitors=Sum("visitors"), entries=Count("id"))
            .order_by("day")
        ),
        "by_hour": list(
            logs.values(hour=ExtractHour("recorded_at", tzinfo=LONDON))
            .annotate(visitors=Sum("visitors"))
            .order_by("hour")
        ),
        "notes": list(
            logs.exclude(notes="").select_related("officer").order_by("-recorded_at", "-id")[:notes]
        ),
        "assignments": list(
            event.assignments.filter(released=False)
            .select_related("officer")
            .annotate(planned_seconds=_PLANNED, actual_seconds=_ACTUAL)
            .order_by("starts_at", "officer__name")
        ),
        "bookings": list(
            event.kit_bookings.exclude(status=KitBooking.Status.CANCELLED)
            .select_related("item")
            .order_by("item__category", "item__name")
        ),
        "previous": previous,
        "previous_summary": event_summary(previous) if previous else None,
    }


def event_totals(event: Event) -> dict:
    """Totals so far for one event: visitors, sign-ups, crime reports, entries, topics."""
    return _log_totals(EngagementLog.objects.current().filter(event=event))


def _log_totals(logs) -> dict:
    """Counts and topic mentions of a set of current engagement entries."""
    totals = logs.order_by().aggregate(**_LOG_SUMS)
    totals = {key: int(value or 0) for key, value in totals.items()}
    totals["topics"] = list(
        TopicMention.objects.filter(log__in=logs)
        .order_by()
        .values("topic__slug", "topic__name")
        .annotate(mentions=Sum("count"))
        .order_by("-mentions", "topic__name")
    )
    return totals


def visitors_by_event(event_ids) -> dict[int, int]:
    """Visitors per event for a page of events, in one query."""
    rows = (
        EngagementLog.objects.current()
        .filter(event_id__in=list(event_ids))
        .order_by()
        .values("event_id")
        .annotate(v=Sum("visitors"))
    )
    return {row["event_id"]: row["v"] for row in rows}


def event_day_totals(event: Event, day: dt.date, *, officer=None) -> dict:
    """One event's figures for one local day (the capture page's running totals)."""
    start = local_midnight(day)
    logs = EngagementLog.objects.current().filter(
        event=event,
        recorded_at__gte=start,
        recorded_at__lt=local_midnight(day + dt.timedelta(days=1)),
    )
    if officer is not None:
        logs = logs.filter(officer=officer)
    return _log_totals(logs)
