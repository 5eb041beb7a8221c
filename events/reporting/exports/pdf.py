"""The PDF management report (reportlab), and the pieces the event debrief shares.

Only formatting happens here; the rows come from :mod:`events.reporting.exports.rows`. User text is
safe by construction: table cells are plain strings, which reportlab draws literally (no
markup), and the few paragraphs escape it first, so ``<b>x</b>`` or ``<img src=…>`` are
printed as typed and nothing is ever fetched. Long tables are cut into modest tables, so
layout time grows linearly with the rows.
"""

import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from ...time import LONDON
from .. import stats
from ..stats import StatsFilter
from . import rows as report
from .progress import Progress, sized

CONTENT_TYPE = "application/pdf"
FONTS = Path(__file__).resolve().parent / "fonts"
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARKING = "OFFICIAL"
NAVY = colors.HexColor("#0b2447")
BLUE = colors.HexColor("#1d70b8")
LIGHT = colors.HexColor("#f3f2f1")
LINE = colors.HexColor("#b1b4b6")
ROWS_PER_TABLE = 50
UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@cache
def register_fonts() -> None:
    """DejaVu Sans, vendored in fonts/: shows ŵ, ŷ and accents; nothing is downloaded."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "muted": ParagraphStyle("muted", parent=body, textColor=colors.HexColor("#505a5f")),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=20, leading=25),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=4
        ),
        "marking": ParagraphStyle(
            "marking", parent=body, fontName=BOLD, fontSize=12, alignment=TA_CENTER
        ),
    }


def plain(value) -> str:
    """User text as one printable line (control characters and line breaks made spaces), with
    characters the font has no glyph for (a tractor emoji) left out rather than printed as
    empty boxes."""
    if value is None:
        return ""
    text = UNPRINTABLE.sub(" ", str(value))
    if not text.isascii():
        glyphs = font_glyphs()
        text = "".join(char for char in text if ord(char) in glyphs or char.isspace())
    return " ".join(text.split())


@cache
def font_glyphs() -> frozenset[int]:
    """The code points DejaVu Sans draws."""
    register_fonts()
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def para(text, style="body") -> Paragraph:
    """A paragraph of user text: escaped, so markup in it is printed, never obeyed."""
    return Paragraph(escape(plain(text)), styles()[style])


def limit(width: float, size: float) -> int:
    """How many characters fit a column (an estimate: DejaVu Sans averages ~0.55 em)."""
    return max(4, int(width / (size * 0.56)))


def fit(text: str, width: float, size: float) -> str:
    """Text cut to a column's width."""
    most = limit(width, size)
    return text if len(text) <= most else text[: most - 1] + "…"


def number(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "int":
        return f"{value:,}"
    if kind == "decimal":
        return f"{value:,.2f}"
    if kind == "percent":
        return f"{value * 100:.1f}%"
    if kind == "date":
        return f"{value:%d %b %Y}"
    if kind == "datetime":
        return f"{value.astimezone(LONDON):%d %b %Y %H:%M}"
    if kind == "month":
        return f"{value:%b %Y}"
    return str(value)


NUMERIC = {"int", "decimal", "percent"}


def clip(text: str, width: float, size: float, safe: int) -> str:
    """Text cut (with "…") to what really fits ``width`` points; ``safe`` characters always
    fit (even of the widest letters), so most cells are never measured."""
    if len(text) <= safe or stringWidth(text, FONT, size) <= width:
        return text
    low, high = safe, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", FONT, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def cells(values, columns, widths, size: float) -> list[str]:
    """A row as the strings a table draws: text clipped to its column, numbers formatted."""
    row = []
    for value, column, width in zip(values, columns, widths, strict=True):
        if column.kind == "text":
            room = width - 6  # the cell's padding
            row.append(clip(plain(value), room, size, int(room / (size * 0.95))))
        else:
            row.append(number(value, column.kind))
    return row


# The widest a formatted value of each kind can be (the sample is measured).
SAMPLES = {
    "int": "1,234,567",
    "decimal": "12,345.67",
    "percent": "100.0%",
    "date": "30 Sep 2026",
    "datetime": "30 Sep 2026 23:59",
    "month": "Sep 2026",
}


def wrapped(values, columns) -> list:
    """A row whose text wraps in its column (a long name is shown whole, on more lines):
    for tables that are not cut into page-sized pieces."""
    return [
        para(value, "small") if column.kind == "text" else number(value, column.kind)
        for value, column in zip(values, columns, strict=True)
    ]


def column_widths(columns, width: float, size: float) -> list[float]:
    """Widths from the content: numbers and dates get what their widest value and the
    longest word of their title need; text columns share the rest by their declared
    weights, and never less than their title's longest word."""

    def need(text: str, font: str) -> float:
        return stringWidth(text, font, size) + 6 + 1

    def longest_word(title: str) -> float:
        return max(need(word, BOLD) for word in title.replace("-", "- ").split())

    fixed = {
        index: max(longest_word(column.title), need(SAMPLES[column.kind], FONT))
        for index, column in enumerate(columns)
        if column.kind in SAMPLES
    }
    text = [index for index in range(len(columns)) if index not in fixed]
    rest = max(width - sum(fixed.values()), 0)
    weight = sum(columns[index].width for index in text) or 1
    widths = [0.0] * len(columns)
    for index, value in fixed.items():
        widths[index] = value
    for index in text:
        widths[index] = max(
            rest * columns[index].width / weight, longest_word(columns[index].title)
        )
    scale = min(1.0, width / sum(widths))  # never wider than the page
    return [w * scale for w in widths]


def table_style(columns, size: float, header: bool = True) -> TableStyle:
    """Commands styling every cell: for the small tables (see ``tables`` for long ones)."""
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("LEADING", (0, 0), (-1, -1), size + 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for index, column in enumerate(columns):
        if column.kind in NUMERIC:
            commands.append(("ALIGN", (index, 0), (index, -1), "RIGHT"))
    if header:
        commands += HEADER_COMMANDS + [("FONT", (0, 0), (-1, 0), BOLD, size)]
    return TableStyle(commands)


HEADER_COMMANDS = [
    ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
]


def column_styles(columns, size: float, font: str) -> list[CellStyle]:
    """One cell style per column, shared by every row of a long table."""
    styles = []
    for column in columns:
        style = CellStyle(column.title)
        style.fontname, style.fontsize, style.leading = font, size, size + 2
        style.topPadding = style.bottomPadding = 1.5
        style.leftPadding = style.rightPadding = 3
        style.valign = "TOP"
        style.alignment = "RIGHT" if column.kind in NUMERIC else "LEFT"
        styles.append(style)
    return styles


def tables(
    table: report.Table,
    width: float,
    *,
    size: float = 7.5,
    chunk=ROWS_PER_TABLE,
    page: tuple[float, float] | None = None,
):
    """Flowables for a table of any length: tables of ``chunk`` rows, each with the header.

    One reportlab Table of N rows costs O(N²) to split over pages; many modest ones keep
    the whole report linear in the rows. Rows share one cell style per column instead of
    styling every cell by command (reportlab's ``cellStyles``), and cells are plain
    strings, which reportlab draws as they are: no markup is ever parsed.

    ``page`` (the height free where the table starts, and a whole page's) makes each piece
    exactly one page of rows, so the header is at the top of every page and nowhere else.
    """
    widths = column_widths(table.columns, width, size)
    header = [
        "\n".join(simpleSplit(column.title.replace("-", "- "), BOLD, size, w - 6)).replace(
            "- ", "-"
        )
        for column, w in zip(table.columns, widths, strict=True)
    ]
    row_height = size + 2 + 3  # one line: leading plus the top and bottom padding
    header_height = max(text.count("\n") + 1 for text in header) * (size + 2) + 3
    if page is not None:
        first, full = (int((space - header_height) // row_height) - 1 for space in page)
        sizes = iter([max(first, 1)])
        chunk = max(full, 1)
    else:
        sizes = iter(())
    head = column_styles(table.columns, size, BOLD)
    body = column_styles(table.columns, size, FONT)
    style = TableStyle([*HEADER_COMMANDS, ("LINEBELOW", (0, 1), (-1, -1), 0.25, LINE)])

    def flowable(rows):
        return Table(
            [header, *rows],
            colWidths=widths,
            rowHeights=[header_height] + [row_height] * len(rows) if page else None,
            repeatRows=1,
            style=style,
            cellStyles=[head] + [body] * len(rows),
        )

    batch, count = [], 0
    size_now = next(sizes, chunk)
    for values in table.rows:
        row = cells(values, table.columns, widths, size) if page else wrapped(values, table.columns)
        batch.append(row)
        if len(batch) == size_now:
            yield flowable(batch)
            count += len(batch)
            batch = []
            size_now = next(sizes, chunk)
    if batch:
        yield flowable(batch)
    elif not count:
        yield para("None in this period.", "muted")


class MarkedCanvas(canvas.Canvas):
    """Marks every page OFFICIAL, top and bottom, with "Page N of M" (known at the end)."""

    title = "Community engagement report"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for number, state in enumerate(self.pages, 1):
            self.__dict__.update(state)
            self.mark(number, len(self.pages))
            super().showPage()
        super().save()

    def mark(self, number: int, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(BOLD, 10)
        self.setFillColor(colors.black)
        self.drawCentredString(width / 2, height - 12 * mm, MARKING)
        self.drawCentredString(width / 2, 8 * mm, MARKING)
        self.setFont(FONT, 7.5)
        self.setFillColor(colors.HexColor("#505a5f"))
        self.drawString(15 * mm, 8 * mm, self.title)
        self.drawRightString(width - 15 * mm, 8 * mm, f"Page {number} of {total}")
        self.restoreState()


def document(stream, title: str, **kwargs) -> SimpleDocTemplate:
    register_fonts()
    return SimpleDocTemplate(
        stream,
        pagesize=kwargs.pop("pagesize", A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="Outreach",
        subject=MARKING,
        **kwargs,
    )


def bar_chart(
    labels,
    values,
    *,
    width,
    height,
    horizontal=False,
    colour=BLUE,
    label_width=None,
    empty="Nothing recorded in this period.",
) -> Drawing:
    """A bar chart in reportlab's own graphics (labels are drawn as literal strings)."""
    drawing = Drawing(width, height)
    if not values:
        drawing.add(String(0, height / 2, empty, fontName=FONT, fontSize=8))
        return drawing
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    left = label_width or (30 if not horizontal else 150)
    chart.x, chart.y = left, 25 if not horizontal else 10
    chart.width, chart.height = width - left - 10, height - (40 if not horizontal else 20)
    chart.data = [list(values)]
    chart.bars[0].fillColor = colour
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    axis = chart.categoryAxis
    axis.categoryNames = [plain(label) for label in labels]
    axis.labels.fontName = FONT
    axis.labels.fontSize = 7
    if horizontal:
        axis.labels.boxAnchor = "e"
        axis.reverseDirection = True
    elif len(labels) > 12:
        axis.labels.angle = 90
        axis.labels.boxAnchor = "e"
        axis.labels.dy = -2
    drawing.add(chart)
    return drawing


def figure_table(pairs, width: float, size: float = 9) -> Table:
    """Label and value pairs, values right-aligned and bold."""
    return Table(
        [[label, value] for label, value in pairs],
        colWidths=[width * 0.68, width * 0.32],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, size),
                ("FONT", (1, 0), (1, -1), BOLD, size),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )


def cover(data: dict, filters: StatsFilter, generated_at, width: float) -> list:
    story = [
        Spacer(1, 8 * mm),
        Paragraph("Community engagement report", styles()["title"]),
        Spacer(1, 3 * mm),
        para(filters.describe(), "body"),
        Paragraph(
            f"Generated {timezone.localtime(generated_at):%d %B %Y at %H:%M}", styles()["muted"]
        ),
        Spacer(1, 6 * mm),
        Paragraph("Headline figures", styles()["h1"]),
        figure_table(
            [(label, number(value, kind)) for label, value, kind in report.headline(data)],
            width * 0.8,
            size=10,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            "Figures cover the events held in the period (started, and neither a draft nor"
            " cancelled) and every current engagement entry made at them. Officers are"
            " distinct people. Officer-hours count the recorded hours where an officer's were"
            " recorded and the planned window otherwise, measured in real (UTC) time.",
            styles()["small"],
        ),
    ]
    return story


def write_engagement(
    stream, filters: StatsFilter, *, generated_at=None, progress: Progress | None = None
) -> int:
    """Write the management report PDF to a binary stream; answers the number of table rows.
    ``progress`` (optional) is told the rows to write, then counts them as they are laid out."""
    generated_at = generated_at or timezone.now()
    progress = progress or Progress()
    data = stats.dashboard(filters, top=15)
    doc = document(stream, "Community engagement report")
    width = doc.width
    story = cover(data, filters, generated_at, width)
    counted = []

    def section(title: str, table: report.Table, *, size=7.5) -> None:
        story.append(CondPageBreak(40 * mm))
        story.append(Paragraph(escape(title), styles()["h1"]))
        rows = list(progress.rows(table.rows))
        counted.append(len(rows))
        story.extend(tables(report.Table(table.title, table.columns, rows), width, size=size))

    months = report.months(data)
    topics = report.topics(data)
    small = [
        topics,
        months,
        report.teams(data),
        report.event_types(data),
        report.kit(data),
        report.top_events(data),
        report.coverage(stats.coverage(filters)),
    ]
    progress.expect(stats.row_counts(filters)["events"] + sized(small))
    story.append(Paragraph("Visitors by month", styles()["h1"]))
    story.append(
        bar_chart(
            [f"{row[0]:%b %y}" for row in months.rows],
            [row[2] for row in months.rows],
            width=width,
            height=62 * mm,
        )
    )
    story.append(PageBreak())
    story.append(Paragraph("Topics raised", styles()["h1"]))
    story.append(
        bar_chart(
            [row[0] for row in topics.rows[:15]],
            [row[1] for row in topics.rows[:15]],
            width=width,
            height=max(30 * mm, 6 * mm * min(len(topics.rows), 15)),
            horizontal=True,
            label_width=160,
        )
    )
    for title, table in zip(
        (
            "Topics raised",
            "By month",
            "By team",
            "By event type",
            "Kit utilisation",
            "Top events by visitors",
            "Coverage: where haven't we been?",
        ),
        small,
        strict=True,
    ):
        section(title, table)
    story.append(PageBreak())
    heading = Paragraph("Events", styles()["h1"])
    story.append(heading)
    # A page of rows per piece: the frame's height less its padding, and on the first page
    # less the heading (whose space before is not taken at the top of a frame).
    whole = doc.height - 12
    first = whole - heading.wrap(width, whole)[1] - heading.getSpaceAfter()
    events = report.event_list(filters)
    event_count = 0

    def counting(rows):
        nonlocal event_count
        for row in rows:
            event_count += 1
            yield row

    rows = counting(progress.rows(events.rows))
    events_table = report.Table("Events", events.columns, rows)
    story.extend(tables(events_table, width, page=(first, whole)))
    doc.build(story, canvasmaker=MarkedCanvas)
    progress.flush()
    return sum(counted) + event_count
