"""The engagement workbook: openpyxl in write-only mode, so memory stays flat at any size.

Only formatting happens here; the rows come from :mod:`events.reporting.exports.rows`. Text that a
user typed is always written as text: a value starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return becomes a quote-prefixed string cell, never a formula, and characters
that an xlsx file cannot hold are dropped rather than failing the export.
"""

import datetime as dt
import re

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ...time import LONDON
from .. import stats
from ..stats import StatsFilter
from . import rows as report
from .progress import Progress, sized

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    "int": "#,##0",
    "decimal": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "month": "mmm yyyy",
}
# XML 1.0 cannot carry these (nor lone surrogates); Excel would refuse the file.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Either of the above: one search tells whether a string needs any care at all.
NEEDS_CARE = re.compile("^[=+\\-@\t\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MAX_TEXT = 32767
BOLD = Font(bold=True)


def clean_text(value: str) -> str:
    if UNSTORABLE.search(value):
        value = UNSTORABLE.sub("", value)
    return value[:MAX_TEXT]


def text_cell(sheet, value: str):
    """A plain string, or a quote-prefixed text cell for a string Excel would evaluate."""
    # str.isprintable is False for every character UNSTORABLE matches (and for a few more,
    # such as a newline, which then take the careful path): a quick first test.
    if value.isprintable() and not value.startswith(FORMULA_START) and len(value) <= MAX_TEXT:
        return value
    if not NEEDS_CARE.search(value) and len(value) <= MAX_TEXT:
        return value
    value = clean_text(value)
    if not value.startswith(FORMULA_START):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"  # openpyxl took the leading "=" for a formula
    cell.quotePrefix = True
    return cell


def excel_datetime(value):
    """Excel has no time zones: write the Europe/London wall time."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        if value.tzinfo is not LONDON:
            value = value.astimezone(LONDON)
        return value.replace(tzinfo=None)
    return value


# Per text column, what text_cell made of each string seen lately: names, titles and topics
# come back row after row. Bounded: emptied when full, and long (free) text is not kept.
MEMO_SIZE = 20_000
MEMO_TEXT = 200


class SheetWriter:
    """Appends rows of plain values to a sheet, as typed and formatted cells."""

    def __init__(self, sheet, columns):
        self.sheet = sheet
        self.columns = columns
        # One styled cell per formatted column, refilled for each row: a write-only sheet
        # writes a row out as soon as it is appended, so the cell can be reused.
        self.cells = [
            self.styled(FORMATS[column.kind]) if column.kind in FORMATS else None
            for column in columns
        ]
        self.texts = [(index, {}) for index, column in enumerate(columns) if column.kind == "text"]
        self.formatted = [(index, cell) for index, cell in enumerate(self.cells) if cell]
        self.rows = 0

    def styled(self, number_format: str, value=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value)
        cell.number_format = number_format
        return cell

    def header(self, titles=None) -> None:
        cells = []
        for title in titles or [column.title for column in self.columns]:
            cell = WriteOnlyCell(self.sheet, title)
            cell.font = BOLD
            cells.append(cell)
        self.sheet.append(cells)

    def convert(self, values) -> list:
        """The row as openpyxl takes it: safe text, formatted cells, other values as they are.
        (The hot loop of a quarter-million-row sheet, hence the column lists.)"""
        row = list(values)
        for index, memo in self.texts:
            value = row[index]
            if type(value) is str:
                safe = memo.get(value)
                if safe is None:
                    safe = text_cell(self.sheet, value)
                    if len(value) <= MEMO_TEXT:
                        if len(memo) >= MEMO_SIZE:
                            memo.clear()
                        memo[value] = safe
                row[index] = safe
        for index, cell in self.formatted:
            value = row[index]
            if type(value) is str:  # text where a number was expected: still only text
                row[index] = text_cell(self.sheet, value)
            elif value is not None:
                if type(value) is dt.datetime and value.tzinfo is not None:
                    if value.tzinfo is not LONDON:
                        value = value.astimezone(LONDON)
                    value = value.replace(tzinfo=None)
                cell.value = value
                row[index] = cell
        return row

    def append(self, values) -> None:
        self.sheet.append(self.convert(values))
        self.rows += 1


def for_print(sheet, *, title_rows: str | None = None) -> None:
    """Print setup for a board pack: A4 landscape, one page wide (as many tall as it takes),
    the header row repeated on every printed page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4 (openpyxl Worksheet.PAPERSIZE_A4)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows


def write_table(
    workbook, table: report.Table, title: str | None = None, progress: Progress | None = None
) -> int:
    """A sheet holding one table: bold frozen header, column widths, auto-filter."""
    sheet = workbook.create_sheet(title or table.title)
    for index, column in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    for_print(sheet, title_rows="1:1")
    writer = SheetWriter(sheet, table.columns)
    writer.header()
    for values in progress.rows(table.rows) if progress else table.rows:
        writer.append(values)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{writer.rows + 1}"
    return writer.rows


def write_summary(workbook, data: dict, filters: StatsFilter, generated_at) -> None:
    """Filter, time, headline figures, then the month and topic tables with their charts."""
    sheet = workbook.create_sheet("Summary")
    # B holds "Generated at" (yyyy-mm-dd hh:mm): 18 characters, or Excel shows ###.
    for letter, width in zip("ABCDEFG", (52, 18, 14, 14, 12, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    for_print(sheet)
    headline = SheetWriter(sheet, (report.Column("Figure"), report.Column("Value")))
    title = WriteOnlyCell(sheet, "Community engagement report")
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append(["OFFICIAL"])
    sheet.append(["Filter", text_cell(sheet, filters.describe())])
    sheet.append(
        ["Generated at", headline.styled(FORMATS["datetime"], excel_datetime(generated_at))]
    )
    sheet.append([])
    headline.header()
    for label, value, kind in report.headline(data):
        sheet.append([label, headline.styled(FORMATS[kind], value)])
    row = 6 + len(report.HEADLINE)  # the last row written so far
    charts = []
    for table, value_column, chart_title in (
        (report.months(data), 3, "Visitors by month"),
        (report.topics(data), 2, "Mentions by topic"),
    ):
        writer = SheetWriter(sheet, table.columns)
        sheet.append([])
        writer.header()
        header_row = row + 2
        for values in table.rows:
            writer.append(values)
        row = header_row + writer.rows
        if writer.rows:
            charts.append((chart_title, header_row, row, value_column))
    for number, (chart_title, first, last, value_column) in enumerate(charts):
        chart = BarChart()
        chart.type = "col" if number == 0 else "bar"
        chart.title = chart_title
        chart.legend = None
        chart.height, chart.width = 8, 18
        chart.add_data(
            Reference(sheet, min_col=value_column, min_row=first, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=first + 1, max_row=last))
        sheet.add_chart(chart, f"I{3 + number * 18}")


def write_engagement(
    stream, filters: StatsFilter, *, generated_at=None, progress: Progress | None = None
) -> int:
    """Write the engagement workbook to a binary stream; answers the number of data rows.
    ``progress`` (optional) is told the rows to write, then counts them as they are written."""
    generated_at = generated_at or timezone.now()
    progress = progress or Progress()
    data = stats.dashboard(filters, top=25)
    counts = stats.row_counts(filters)
    tables = [
        (report.events(filters), None),
        (report.topics(data), "Topics"),
        (report.trends(stats.topic_trends(filters)), "Topic trends"),
        (report.teams(data), "Teams"),
        (report.event_types(data), "Event types"),
        (report.officers(filters), None),
        (report.kit(data), "Kit"),
        (report.coverage(stats.coverage(filters)), "Coverage"),
        (report.logs(filters), None),
    ]
    progress.expect(counts["events"] + counts["logs"] + sized(table for table, _ in tables))
    workbook = Workbook(write_only=True)
    write_summary(workbook, data, filters, generated_at)
    rows = sum(write_table(workbook, table, title, progress) for table, title in tables)
    workbook.save(stream)
    progress.flush()
    return rows
