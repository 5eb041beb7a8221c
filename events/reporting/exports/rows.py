"""The engagement report as plain tables: a title, typed columns, then rows of plain values.

Every figure comes from :mod:`events.reporting.stats`; the writers (``xlsx``, ``pdf``) only format.
Datetimes are aware, in Europe/London; shares are fractions (0.25 for 25 %); hours are
decimal hours; an empty cell is None.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ...time import LONDON
from .. import stats
from ..stats import Figures, StatsFilter
from ..stats.listings import log_rows


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text | int | decimal | percent | date | datetime | month
    width: float = 12  # in Excel character widths; the PDF scales them to the page


@dataclass
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: Iterable[tuple]


FIGURE_COLUMNS = (
    Column("Events", "int", 9),
    Column("Visitors", "int", 10),
    Column("Officer-hours", "decimal", 13),
    Column("Sign-ups", "int", 10),
    Column("Crime reports", "int", 13),
    Column("Visitors per officer-hour", "decimal", 14),
)


def figure_values(figures: dict) -> tuple:
    return (
        figures["events"],
        figures["visitors"],
        figures["officer_hours"],
        figures["signups"],
        figures["crime_reports"],
        figures["visitors_per_officer_hour"],
    )


HEADLINE = (
    ("Events held", "events", "int"),
    ("Visitors engaged", "visitors", "int"),
    ("Officers (distinct people)", "officers", "int"),
    ("Officer-hours (recorded, else planned)", "officer_hours", "decimal"),
    ("Officer-hours planned", "officer_hours_planned", "decimal"),
    ("Officer-hours recorded", "officer_hours_actual", "decimal"),
    ("Visitors per officer-hour", "visitors_per_officer_hour", "decimal"),
    ("Messaging sign-ups", "signups", "int"),
    ("Crime reports taken", "crime_reports", "int"),
    ("Engagement entries", "entries", "int"),
    ("Stand-code scans", "scans", "int"),
    ("Community messages links followed", "signup_clicks", "int"),
    ("Report rural crime links followed", "report_clicks", "int"),
)


def headline(data: dict) -> list[tuple[str, object, str]]:
    """(label, value, kind) for each headline figure."""
    return [(label, data[key], kind) for label, key, kind in HEADLINE]


def months(data: dict) -> Table:
    return Table(
        "Visitors by month",
        (Column("Month", "month", 11), *FIGURE_COLUMNS),
        [
            (dt.date.fromisoformat(f"{row['month']}-01"), *figure_values(row))
            for row in data["by_month"]
        ],
    )


def topics(data: dict) -> Table:
    return Table(
        "Topics raised",
        (Column("Topic", "text", 40), Column("Mentions", "int", 11), Column("Share", "percent")),
        [(row["name"], row["mentions"], row["share"] / 100) for row in data["topics"]],
    )


def breakdown(data: dict, key: str, title: str, label: str) -> Table:
    return Table(
        title,
        (Column(label, "text", 40), *FIGURE_COLUMNS),
        [(row["name"], *figure_values(row)) for row in data[key]],
    )


def teams(data: dict) -> Table:
    return breakdown(data, "by_team", "By team", "Team")


def event_types(data: dict) -> Table:
    return breakdown(data, "by_event_type", "By event type", "Event type")


def kit(data: dict) -> Table:
    return Table(
        "Kit utilisation",
        (
            Column("Item", "text", 36),
            Column("Asset tag", "text", 11),
            Column("Category", "text", 18),
            Column("Events", "int", 9),
            Column("Days out", "int", 10),
            Column("Units booked", "int", 12),
            Column("Visitors at its events", "int", 14),
            Column("Visitors per event", "decimal", 12),
        ),
        [
            (
                row["name"],
                row["asset_tag"],
                row["category"],
                row["events"],
                row["days"],
                row["units"],
                row["visitors"],
                row["visitors_per_event"],
            )
            for row in data["kit"]
        ],
    )


def top_events(data: dict) -> Table:
    return Table(
        "Top events by visitors",
        (
            Column("Starts", "datetime", 17),
            Column("Event", "text", 40),
            Column("Team", "text", 30),
            Column("Visitors", "int", 10),
        ),
        [
            (row["starts_at"].astimezone(LONDON), row["title"], row["team_name"], row["visitors"])
            for row in data["top_events"]
        ],
    )


def trends(trend: dict) -> Table:
    """Month by month, one row per topic and month (filters and pivots well in Excel)."""
    return Table(
        f"Topic trends: {trend['list']}",
        (
            Column("Topic", "text", 40),
            Column("Month", "month", 11),
            Column("Mentions", "int", 11),
            Column("Same month last year", "int", 14),
        ),
        [
            (row["name"], dt.date.fromisoformat(f"{month}-01"), now, before)
            for row in trend["topics"]
            for month, now, before in zip(
                trend["months"], row["months"], row["last_year"], strict=True
            )
        ],
    )


EVENT_COLUMNS = (
    Column("Starts", "datetime", 17),
    Column("Ends", "datetime", 17),
    Column("Event", "text", 40),
    Column("Type", "text", 24),
    Column("Team", "text", 30),
    Column("Status", "text", 11),
    Column("Location", "text", 26),
    Column("Postcode", "text", 10),
    Column("Officers", "int", 9),
    Column("Visitors", "int", 10),
    Column("Sign-ups", "int", 10),
    Column("Crime reports", "int", 13),
    Column("Entries", "int", 9),
    Column("Officer-hours planned", "decimal", 13),
    Column("Officer-hours recorded", "decimal", 13),
    Column("Officer-hours", "decimal", 13),
    Column("Visitors per officer-hour", "decimal", 14),
    Column("Stand-code scans", "int", 10),
    Column("Community messages links followed", "int", 12),
    Column("Report rural crime links followed", "int", 12),
)
STAND_NAMES = tuple(stats.STAND_FIGURES.values())


def _event_values(event: dict) -> tuple:
    figures: Figures = event["figures"]
    return (
        event["starts_at"].astimezone(LONDON),
        event["ends_at"].astimezone(LONDON),
        event["title"],
        event["event_type"],
        event["team"],
        event["status"],
        event["location"],
        event["postcode"],
        figures.officers,
        figures.visitors,
        figures.signups,
        figures.crime_reports,
        figures.entries,
        stats.hours(figures.planned_seconds),
        stats.hours(figures.actual_seconds),
        stats.hours(figures.worked_seconds),
        stats.per_hour(figures.visitors, figures.worked_seconds),
    )


def events(filters: StatsFilter) -> Table:
    def rows():
        # One query for the stand-code figures of every event that has any, then the stream.
        stand = stats.stand_figures_by_event(filters)
        for event in stats.event_rows(filters):
            hits = stand.get(event["id"], {})
            yield (*_event_values(event), *(hits.get(name, 0) for name in STAND_NAMES))

    return Table("Events", EVENT_COLUMNS, rows())


def event_list(filters: StatsFilter) -> Table:
    """The events, in the few columns a printed page holds."""

    def rows():
        for event in stats.event_rows(filters):
            figures: Figures = event["figures"]
            yield (
                event["starts_at"].astimezone(LONDON).date(),
                event["title"],
                event["team"],
                event["event_type"],
                figures.visitors,
                figures.signups,
                figures.crime_reports,
                stats.hours(figures.worked_seconds),
            )

    return Table(
        "Events",
        (
            Column("Date", "date", 10),
            Column("Event", "text", 34),
            Column("Team", "text", 22),
            Column("Type", "text", 16),
            Column("Visitors", "int", 8),
            Column("Sign-ups", "int", 8),
            Column("Crime", "int", 6),
            Column("Officer-hours", "decimal", 9),
        ),
        rows(),
    )


def officers(filters: StatsFilter) -> Table:
    return Table(
        "Officers",
        (
            Column("Officer", "text", 28),
            Column("Shoulder number", "text", 12),
            Column("Rank", "text", 16),
            Column("Team", "text", 30),
            Column("Events", "int", 9),
            Column("Officer-hours planned", "decimal", 13),
            Column("Officer-hours recorded", "decimal", 13),
            Column("Officer-hours", "decimal", 13),
            Column("Entries logged", "int", 10),
            Column("Visitors logged", "int", 10),
        ),
        [
            (
                row["name"],
                row["shoulder_number"],
                row["rank"],
                row["team"],
                row["figures"].events,
                stats.hours(row["figures"].planned_seconds),
                stats.hours(row["figures"].actual_seconds),
                stats.hours(row["figures"].worked_seconds),
                row["figures"].entries,
                row["figures"].visitors,
            )
            for row in stats.officer_rows(filters)
        ],
    )


def logs(filters: StatsFilter) -> Table:
    return Table(
        "Logs",
        (
            Column("Recorded at", "datetime", 17),
            Column("Event", "text", 40),
            Column("Event date", "date", 11),
            Column("Team", "text", 30),
            Column("Officer", "text", 24),
            Column("Shoulder number", "text", 12),
            Column("Visitors", "int", 10),
            Column("Sign-ups", "int", 10),
            Column("Crime reports", "int", 13),
            Column("Topics", "text", 40),
            Column("Notes", "text", 60),
        ),
        log_rows(filters),
    )


OUTSIDE = "Events with no postcode, or one in no listed district"


def coverage(data: dict) -> Table:
    """Every area, longest gap first (:func:`events.reporting.stats.coverage`); the held
    events in no listed area make a last row, so the sheet adds up to the events held."""
    marked = f"Nothing in {data['months']} months"
    rows = [
        (
            row["area"],
            row["name"],
            row["events"],
            row["visitors"],
            row["signups"],
            row["last_event"],
            row["days_since"],
            "yes" if row["stale"] else "",
        )
        for row in data["items"]
    ]
    rows.append(("Outside", OUTSIDE, data["outside"], None, None, None, None, None))
    return Table(
        "Coverage by postcode district",
        (
            Column("District", "text", 9),
            Column("Places", "text", 40),
            Column("Events held", "int", 10),
            Column("Visitors", "int", 10),
            Column("Sign-ups", "int", 10),
            Column("Last event", "date", 11),
            Column("Days since", "int", 10),
            Column(marked, "text", 12),
        ),
        rows,
    )
