"""The one-page event debrief (reportlab): when, where, who, kit, and what came of it.

Everything is laid out in one frame that shrinks to fit, so the debrief is always one
page however many officers or notes an event has. Figures come from :mod:`events.reporting.stats`.
"""

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, Spacer, Table, TableStyle

from ...models import Event
from ...time import LONDON, window
from .. import stats
from . import pdf
from . import rows as report

MAX_OFFICERS = 12
MAX_KIT = 10
NOTE_LENGTH = 240


def when(event: Event) -> str:
    start = event.starts_at.astimezone(LONDON)
    end = event.ends_at.astimezone(LONDON)
    if start.date() == end.date():
        return f"{start:%A %-d %B %Y, %H:%M}–{end:%H:%M}"  # the heading's long form
    return window(event.starts_at, event.ends_at)


def change(now, before) -> str:
    if before in (None, 0) or now is None:
        return "–"
    return f"{(now - before) / before * 100:+.0f}%"


def grid(rows, widths, *, size=7.5, header=True, numeric=()) -> Table:
    columns = [
        report.Column("", "int" if index in numeric else "text") for index in range(len(widths))
    ]
    return Table(rows, colWidths=widths, style=pdf.table_style(columns, size, header=header))


def two_up(left, right, width) -> Table:
    """Two columns of flowables side by side."""
    half = (width - 6 * mm) / 2
    return Table(
        [[left, right]],
        colWidths=[half + 3 * mm, half + 3 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 6 * mm),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
            ]
        ),
    )


def key_figures(summary: dict, width: float) -> list:
    figures = [(label, pdf.number(summary[key], kind)) for label, key, kind in report.HEADLINE[1:]]
    return [Paragraph("Key figures", pdf.styles()["h2"]), pdf.figure_table(figures, width, 8)]


def where_and_who(event: Event, data: dict, width: float) -> list:
    partners = ", ".join(pdf.plain(partner.name) for partner in event.partners.all())
    facts = [
        ("When", when(event)),
        ("Where", pdf.plain(" ".join(filter(None, [event.location, event.postcode])) or "–")),
        ("Type", pdf.plain(event.event_type.name if event.event_type else "–")),
        ("Lead team", pdf.plain(event.team.name if event.team else "–")),
        ("Status", event.get_status_display()),
        ("Partners", partners or "–"),
    ]
    style = pdf.styles()["small"]
    return [
        Paragraph("When and where", pdf.styles()["h2"]),
        Table(
            [[label, pdf.para(value, "small")] for label, value in facts],
            colWidths=[width * 0.22, width * 0.78],
            style=TableStyle(
                [
                    ("FONT", (0, 0), (0, -1), pdf.BOLD, style.fontSize),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        ),
    ]


def officers(data: dict, width: float) -> list:
    assignments = data["assignments"]
    rows = [["Officer", "Role", "Planned h", "Actual h"]]
    for assignment in assignments[:MAX_OFFICERS]:
        actual = assignment.actual_seconds
        rows.append(
            [
                pdf.para(assignment.officer.name, "small"),  # a long name wraps
                assignment.get_role_display(),
                f"{stats.hours(assignment.planned_seconds):.2f}",
                f"{stats.hours(actual):.2f}" if actual is not None else "–",
            ]
        )
    people = f"{data['officers']} officer{'' if data['officers'] == 1 else 's'}"
    if len(assignments) != data["officers"]:
        people += f", {len(assignments)} shifts"
    story = [Paragraph(f"Who ({people})", pdf.styles()["h2"])]
    if not assignments:
        return [*story, pdf.para("Nobody was assigned.", "small")]
    widths = [width * 0.5, width * 0.18, width * 0.16, width * 0.16]
    story.append(grid(rows, widths, numeric=(2, 3)))
    if len(assignments) > MAX_OFFICERS:
        story.append(pdf.para(f"and {len(assignments) - MAX_OFFICERS} more", "small"))
    return story


def kit(data: dict, width: float) -> list:
    bookings = data["bookings"]
    story = [Paragraph("Kit", pdf.styles()["h2"])]
    if not bookings:
        return [*story, pdf.para("No kit was booked.", "small")]
    rows = [["Item", "Asset tag", "Quantity"]]
    for booking in bookings[:MAX_KIT]:
        rows.append(
            [
                pdf.fit(pdf.plain(booking.item.name), width * 0.58, 7.5),
                pdf.plain(booking.item.asset_tag or ""),
                f"{booking.quantity:,}",
            ]
        )
    story.append(grid(rows, [width * 0.58, width * 0.24, width * 0.18], numeric=(2,)))
    if len(bookings) > MAX_KIT:
        story.append(pdf.para(f"and {len(bookings) - MAX_KIT} more", "small"))
    return story


def charts(data: dict, width: float) -> list:
    story = []
    for title, rows, label in (
        ("Visitors by day", data["by_day"], lambda row: f"{row['day']:%a %-d %b}"),
        ("Visitors by hour of day", data["by_hour"], lambda row: f"{row['hour']:02d}:00"),
    ):
        story.append(Paragraph(title, pdf.styles()["h2"]))
        story.append(
            pdf.bar_chart(
                [label(row) for row in rows],
                [row["visitors"] for row in rows],
                width=width,
                height=38 * mm,
                label_width=34,
                empty="No entries logged.",
            )
        )
    return story


def topics(summary: dict, width: float) -> list:
    story = [Paragraph("Top topics", pdf.styles()["h2"])]
    if not summary["topics"]:
        return [*story, pdf.para("No topics recorded.", "small")]
    rows = [["Topic", "Mentions", "Share"]]
    for topic in summary["topics"][:6]:
        rows.append(
            [
                pdf.fit(pdf.plain(topic["name"]), width * 0.62, 7.5),
                f"{topic['mentions']:,}",
                f"{topic['share']:.1f}%",
            ]
        )
    return [*story, grid(rows, [width * 0.62, width * 0.2, width * 0.18], numeric=(1, 2))]


def comparison(data: dict, width: float) -> list:
    previous = data["previous"]
    story = [Paragraph("Compared with last time", pdf.styles()["h2"])]
    if previous is None:
        return [*story, pdf.para("No earlier occurrence of this event.", "small")]
    now, then = data["summary"], data["previous_summary"]
    rows = [["", "This time", f"{previous.starts_at.astimezone(LONDON):%b %Y}", "Change"]]
    for label, key, kind in (
        ("Visitors", "visitors", "int"),
        ("Sign-ups", "signups", "int"),
        ("Crime reports", "crime_reports", "int"),
        ("Officer-hours", "officer_hours", "decimal"),
        ("Visitors per officer-hour", "visitors_per_officer_hour", "decimal"),
    ):
        rows.append(
            [
                label,
                pdf.number(now[key], kind),
                pdf.number(then[key], kind),
                change(now[key], then[key]),
            ]
        )
    widths = [width * 0.4, width * 0.2, width * 0.2, width * 0.2]
    return [*story, grid(rows, widths, numeric=(1, 2, 3))]


def notes(data: dict) -> list:
    story = [Paragraph("Notes from the stand", pdf.styles()["h2"])]
    if not data["notes"]:
        return [*story, pdf.para("No notes were recorded.", "small")]
    for entry in data["notes"]:
        text = pdf.plain(entry.notes)
        if len(text) > NOTE_LENGTH:
            text = text[: NOTE_LENGTH - 1] + "…"
        stamp = f"{entry.recorded_at.astimezone(LONDON):%a %H:%M}, {pdf.plain(entry.officer.name)}"
        story.append(pdf.para(f"{stamp}: {text}", "small"))
    return story


def write_debrief(stream, event: Event, *, generated_at=None) -> int:
    """Write the one-page debrief of an event to a binary stream; answers the entries counted."""
    generated_at = generated_at or timezone.now()
    data = stats.debrief(event)
    doc = pdf.document(stream, f"Event debrief: {pdf.plain(event.title)}")
    width = doc.width
    half = (width - 6 * mm) / 2
    summary = data["summary"]
    story = [
        Paragraph("Event debrief", pdf.styles()["muted"]),
        pdf.para(event.title, "title"),
        Paragraph(
            f"Generated {timezone.localtime(generated_at):%d %B %Y at %H:%M}",
            pdf.styles()["muted"],
        ),
        Spacer(1, 3 * mm),
        two_up(where_and_who(event, data, half), key_figures(summary, half), width),
        two_up(charts(data, half), topics(summary, half) + comparison(data, half), width),
        two_up(officers(data, half), kit(data, half), width),
        *notes(data),
    ]
    frame_height = doc.height - 2 * mm
    doc.build([KeepInFrame(width, frame_height, story, mode="shrink")], canvasmaker=Canvas)
    return summary["entries"]


class Canvas(pdf.MarkedCanvas):
    title = "Event debrief"
