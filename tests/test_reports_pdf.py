"""The PDF management report: its text read back with pypdf, hostile text printed literally."""

import datetime as dt
import io
import socket

import pytest
from pypdf import PdfReader

from events.models import Team
from events.reporting import stats
from events.reporting.exports import pdf
from events.reporting.exports import rows as report
from events.reporting.stats import StatsFilter

from .factories import assign, at, book, log, make_kit, make_officer
from .test_stats import build_events, count_queries

PERIOD = StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 7, 31))
HOSTILE = [
    "0.1 <A <0.9",
    "J&C",
    "<b>x</b>",
    '<img src="http://example.com/x.png">',
]


def render(filters=PERIOD) -> tuple[PdfReader, int]:
    stream = io.BytesIO()
    rows = pdf.write_engagement(stream, filters, generated_at=at(2024, 8, 1, 9))
    stream.seek(0)
    return PdfReader(stream), rows


def text_of(reader: PdfReader) -> str:
    """The text of every page, runs of whitespace made single spaces (table cells and
    their labels come out on separate lines)."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def show(make_event, team, topic):
    event = make_event(
        title="Sioe Sir Fôn: Ŵyn and Ŷd",
        starts_at=at(2024, 7, 5, 8, 30),
        ends_at=at(2024, 7, 5, 18),
    )
    officer = make_officer(team=team, name="Siân Llewelyn")
    assign(event, officer, actual_minutes=600)
    log(event, officer, visitors=1234, signups=56, crime_reports=7, topics=[(topic, 9)])
    book(event, make_kit())
    return event


def test_the_report_shows_the_summary_figures(show, topic):
    reader, _ = render()
    text = text_of(reader)
    summary = stats.summary(PERIOD)
    assert summary["visitors"] == 1234
    for expected in (
        "Community engagement report",
        "Events from 1 Jul 2024 to 31 Jul 2024",
        "Visitors engaged 1,234",
        "Messaging sign-ups 56",
        "Crime reports taken 7",
        "Officer-hours (recorded, else planned) 10.00",
        f"Visitors per officer-hour {summary['visitors_per_officer_hour']:.2f}",
        topic.name,
        "Sioe Sir Fôn: Ŵyn and Ŷd",  # Welsh letters survive: the font has them
        "Mini police tractor 'Bobby'",
    ):
        assert expected in text, expected


def test_every_page_is_marked_official_and_numbered(show):
    reader, _ = render()
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        assert text.count("OFFICIAL") >= 2  # header and footer
        assert f"Page {number} of {total}" in text


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_printed_literally_never_as_markup(make_event, monkeypatch, text):
    team = Team.objects.create(name=text)
    event = make_event(title=text, team=team, starts_at=at(2024, 7, 9, 10))
    log(event, make_officer(team=team), visitors=3)

    def no_network(*args, **kwargs):
        raise AssertionError("the report tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    reader, _ = render(StatsFilter(date_from=PERIOD.date_from, date_to=PERIOD.date_to))
    content = text_of(reader)
    assert content.count(text) >= 3  # team table, top events and the event list


def test_a_hostile_filter_description_is_escaped(make_event):
    team = Team.objects.create(name='<font size="80">J&C</font>')
    make_event(title="Fete", team=team, starts_at=at(2024, 7, 9, 10))
    reader, _ = render(StatsFilter(date_from=PERIOD.date_from, team=team.pk))
    assert 'team: <font size="80">J&C</font>' in text_of(reader)


def test_long_tables_are_cut_into_modest_tables():
    columns = (report.Column("Name"), report.Column("Count", "int"))
    flowables = list(
        pdf.tables(report.Table("Many", columns, ((f"row {n}", n) for n in range(120))), 400)
    )
    assert [len(table._cellvalues) for table in flowables] == [51, 51, 21]  # header + rows
    assert all(table._cellvalues[0] == ["Name", "Count"] for table in flowables)
    name, count = flowables[0]._cellvalues[2]
    assert (name.text, count) == ("row 1", "1")  # text wraps (a Paragraph); numbers do not
    assert flowables[0]._cellStyles[1][1].alignment == "RIGHT"  # numbers right-aligned
    assert flowables[0]._cellStyles[0][0].fontname == pdf.BOLD


def test_an_empty_table_says_so():
    columns = (report.Column("Name"),)
    [flowable] = list(pdf.tables(report.Table("None", columns, []), 400))
    assert "None in this period" in flowable.text


def test_text_is_cut_to_its_column():
    assert pdf.fit("A" * 200, 100, 7.5) == "A" * 22 + "…"
    assert pdf.fit("Short", 100, 7.5) == "Short"
    assert pdf.plain("Line\nbreak\x07bell") == "Line break bell"


def test_an_empty_period_still_makes_a_report(db):
    reader, rows = render()
    text = text_of(reader)
    assert "Events held 0" in text and "None in this period." in text
    assert rows == 2  # July, at zero; coverage's row of the events outside the areas (none)


def test_the_report_takes_constant_queries(make_event, team, topic):
    build_events(make_event, team, topic, 2)
    few = count_queries(render)
    build_events(make_event, team, topic, 60, start_day=2)
    assert count_queries(render) == few


def test_column_widths_come_from_the_content_so_nothing_overprints():
    """Every header word and every formatted number or date fits its column (issue 14, 6)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pdf.register_fonts()
    columns = report.event_list(PERIOD).columns
    widths = pdf.column_widths(columns, 180 * 2.8346, 7.5)
    assert sum(widths) <= 180 * 2.8346 + 0.01
    for column, width in zip(columns, widths, strict=True):
        for word in column.title.replace("-", "- ").split():
            assert stringWidth(word, pdf.BOLD, 7.5) + 6 <= width, (column.title, word)
        if column.kind in pdf.SAMPLES:
            assert stringWidth(pdf.SAMPLES[column.kind], pdf.FONT, 7.5) + 6 <= width


def test_long_text_is_clipped_to_what_really_fits():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pdf.register_fonts()
    clipped = pdf.clip("W" * 80, 100, 7.5, 5)
    assert clipped.endswith("…") and stringWidth(clipped, pdf.FONT, 7.5) <= 100
    assert pdf.clip("Short name", 100, 7.5, 5) == "Short name"


def test_the_events_header_is_at_the_top_of_each_page_and_nowhere_else(make_event, team):
    for day in range(1, 29):
        for hour in (9, 13, 17):
            make_event(title=f"Street briefing {day}-{hour}", starts_at=at(2024, 7, day, hour))
    reader, _ = render()
    pages = [page.extract_text() for page in reader.pages]
    event_pages = [text for text in pages if "Street briefing" in text]
    assert len(event_pages) >= 2
    for text in event_pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        headers = [
            n for n in range(len(lines) - 2) if lines[n : n + 3] == ["Date", "Event", "Team"]
        ]
        assert len(headers) == 1, headers  # once per page
        assert headers[0] <= 1  # at its top (on the first page, after the heading "Events")


def test_characters_the_font_lacks_are_left_out_not_boxed(make_event):
    make_event(title="Tractor 🚜 day", starts_at=at(2024, 7, 9, 10))
    reader, _ = render()
    text = text_of(reader)
    assert "Tractor day" in text and "🚜" not in text
    assert pdf.plain("Sioe Ŵyn 🚜") == "Sioe Ŵyn"


def test_in_the_small_tables_a_long_name_wraps_whole(make_event, team):
    title = "Harpenden and Wheathampstead Rural Crime Partnership Open Day at Rothamsted Manor"
    event = make_event(title=title, starts_at=at(2024, 7, 9, 10))
    officer = make_officer(team=team, name="Siân")
    assign(event, officer)
    log(event, officer, visitors=40)
    reader, _ = render()
    text = text_of(reader)
    top = text[text.index("Top events by visitors") :]
    assert "Rothamsted Manor" in top and "Rothamsted…" not in top
