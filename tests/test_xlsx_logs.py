"""The Logs sheet's quick paths: London times read once an hour, text checked once per value,
an entry's topics joined from consecutive rows. Each must give what the slow way gives."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection

from events.models import Topic, TopicList
from events.reporting import stats
from events.reporting.exports import rows as report
from events.reporting.exports import xlsx
from events.reporting.stats import StatsFilter
from events.reporting.stats.listings import _london_reader, log_rows

from .factories import at, log, make_officer
from .test_stats import count_queries

UTC = dt.UTC
AUTUMN = StatsFilter(date_from=dt.date(2024, 10, 1), date_to=dt.date(2024, 10, 31))
SPRING = StatsFilter(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31))


def reopened(filters):
    stream = io.BytesIO()
    xlsx.write_engagement(stream, filters, generated_at=at(2024, 11, 1, 9))
    stream.seek(0)
    return openpyxl.load_workbook(stream)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def stored(value: dt.datetime):
    """A UTC instant as the entry query reads it from this database."""
    if connection.vendor == "sqlite":
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kathmandu", "Australia/Lord_Howe"])
@pytest.mark.django_db
def test_the_hourly_offset_gives_what_astimezone_gives(zone):
    """Every 7 minutes across clock changes, forwards then backwards in time: the same
    wall time, offset and fold. Kathmandu changed at 18:30 UTC and Lord Howe by half an
    hour, so hours that do not keep one offset are covered too."""
    zone = ZoneInfo(zone)
    starts = [utc(2024, 3, 30, 12), utc(2024, 10, 26, 12), utc(1985, 12, 31, 12), utc(2024, 4, 6)]
    instants = [
        start + dt.timedelta(minutes=7 * step, seconds=step % 3, microseconds=step)
        for start in starts
        for step in range(24 * 60 // 7 * 2)
    ]
    read = _london_reader(zone)
    for instant in [*instants, *reversed(instants), *instants[::5]]:
        got = read(stored(instant))
        want = instant.astimezone(zone)
        # (an ambiguous London time never equals a UTC one, PEP 495: compare in UTC)
        assert got.astimezone(UTC) == instant
        assert (got.replace(tzinfo=None), got.utcoffset(), got.fold) == (
            want.replace(tzinfo=None),
            want.utcoffset(),
            want.fold,
        ), instant


def test_london_times_across_the_clock_changes_in_the_reopened_workbook(make_event, team):
    """Both 01:30s of the night the clocks go back, and the hour that never happens in
    spring: the sheet shows London wall-clock time, in order."""
    october = make_event(title="Harvest fair", starts_at=at(2024, 10, 26, 22))
    march = make_event(title="Lambing day", starts_at=at(2024, 3, 30, 22))
    officer = make_officer(team=team)
    autumn = [utc(2024, 10, 27, 0, 30), utc(2024, 10, 27, 0, 59), utc(2024, 10, 27, 1, 30)]
    spring = [utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1, 0), utc(2024, 3, 31, 1, 30)]
    for instant in autumn:
        log(october, officer, recorded_at=instant)
    for instant in spring:
        log(march, officer, recorded_at=instant)

    rows = list(log_rows(AUTUMN))
    assert [row[0].astimezone(UTC) for row in rows] == autumn
    assert [(row[0].hour, row[0].minute, row[0].fold) for row in rows] == [
        (1, 30, 0),
        (1, 59, 0),
        (1, 30, 1),
    ]
    assert [row[2] for row in rows] == [dt.date(2024, 10, 26)] * 3  # 22:00 BST

    sheet = reopened(AUTUMN)["Logs"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        dt.datetime(2024, 10, 27, 1, 30),
        dt.datetime(2024, 10, 27, 1, 59),
        dt.datetime(2024, 10, 27, 1, 30),
    ]
    sheet = reopened(SPRING)["Logs"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        dt.datetime(2024, 3, 31, 0, 30),
        dt.datetime(2024, 3, 31, 2, 0),
        dt.datetime(2024, 3, 31, 2, 30),
    ]
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["C2"].value == dt.datetime(2024, 3, 30) and sheet["C2"].is_date


@pytest.fixture
def topics(db):
    topic_list, _ = TopicList.objects.get_or_create(name="Test topics")

    def make(name, slug):
        return Topic.objects.create(topic_list=topic_list, name=name, slug=slug)

    return {
        "b": make("Burglary", "t-burglary"),
        "a": make("Anti-social behaviour", "t-asb"),
        "hostile": make("=1+1", "t-hostile"),
        "twin": make("Burglary", "t-burglary-2"),
    }


def test_an_entrys_topics_are_joined_in_name_order(make_event, team, topics):
    event = make_event(title="Fete", starts_at=at(2024, 10, 5, 10))
    officer = make_officer(team=team)
    base = at(2024, 10, 5, 11)
    t = topics
    mentions = [
        [(t["b"], 2), (t["a"], 1), (t["twin"], 1)],
        [],
        [(t["a"], 3)],
        [(t["b"], 1), (t["a"], 1)],
        [],
    ]
    for minute, topics_ in enumerate(mentions):
        log(event, officer, recorded_at=base + dt.timedelta(minutes=minute), topics=topics_)
    texts = [row[9] for row in log_rows(AUTUMN)]
    assert texts == [
        "Anti-social behaviour ×1; Burglary ×1; Burglary ×2",
        "",
        "Anti-social behaviour ×3",
        "Anti-social behaviour ×1; Burglary ×1",
        "",
    ]
    # log_entries lists the same entries, in the same order, with (name, count) pairs.
    entries = list(stats.log_entries(AUTUMN))
    assert [[f"{name} ×{count}" for name, count in entry[-1]] for entry in entries] == [
        text.split("; ") if text else [] for text in texts
    ]
    assert [entry[0] for entry in entries] == [row[0] for row in log_rows(AUTUMN)]


def test_repeated_hostile_text_stays_inert_in_every_row(make_event, team, topics):
    """Titles, teams, names and topics come back row after row and are checked once per
    value: every row must still get the inert, quote-prefixed cell."""
    team.name = "@team"
    team.save()
    event = make_event(title='=HYPERLINK("http://x")', starts_at=at(2024, 10, 9, 10))
    officer = make_officer(team=team, name="+44 Officer", number="-7")
    for minute in range(3):
        log(
            event,
            officer,
            recorded_at=at(2024, 10, 9, 11, minute),
            topics=[(topics["hostile"], 2)],
            notes="\tTabbed" if minute == 1 else "=SUM(A1)",
        )
    sheet = reopened(AUTUMN)["Logs"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 3
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
        values = {cell.column_letter: cell for cell in row}
        for letter, text in (
            ("B", '=HYPERLINK("http://x")'),
            ("D", "@team"),
            ("E", "+44 Officer"),
            ("F", "-7"),
            ("J", "=1+1 ×2"),
        ):
            assert values[letter].value == text and values[letter].quotePrefix, letter
    assert [row[10].value for row in rows] == ["=SUM(A1)", "\tTabbed", "=SUM(A1)"]
    assert all(row[10].quotePrefix for row in rows)


def test_the_text_memo_is_bounded_and_still_right_after_it_empties(monkeypatch):
    monkeypatch.setattr(xlsx, "MEMO_SIZE", 3)
    sheet = openpyxl.Workbook(write_only=True).create_sheet("Check")
    writer = xlsx.SheetWriter(sheet, (report.Column("Name"), report.Column("Visitors", "int")))
    names = ["Ann", "=Bob", "Cy\x07", "Dee", "=Bob", "Ann", "x" * 300, "Cy\x07", "Eve\n"]
    converted = [writer.convert((name, 1))[0] for name in names]
    memo = writer.texts[0][1]
    assert len(memo) <= 3 and "x" * 300 not in memo
    plain = [
        value if isinstance(value, str) else (value.value, value.quotePrefix) for value in converted
    ]
    assert plain == [
        "Ann",
        ("=Bob", True),
        "Cy",
        "Dee",
        ("=Bob", True),
        "Ann",
        "x" * 300,
        "Cy",
        "Eve\n",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain words", "plain words"),
        ("two\nlines", "two\nlines"),
        ("non\u00a0breaking", "non\u00a0breaking"),
        ("bad\ud800surrogate\ufffe", "badsurrogate"),
        ("bell\x07", "bell"),
        ("\x07=1+1", "=1+1"),
    ],
)
def test_text_cells_keep_what_excel_can_hold(text, expected):
    sheet = openpyxl.Workbook(write_only=True).create_sheet("Check")
    value = xlsx.text_cell(sheet, text)
    if expected.startswith("="):
        assert (value.value, value.data_type, value.quotePrefix) == (expected, "s", True)
    else:
        assert value == expected


def test_the_logs_take_constant_queries(make_event, team, topics):
    def read():
        list(log_rows(AUTUMN))
        list(stats.log_entries(AUTUMN))

    officer = make_officer(team=team)
    event = make_event(title="One", starts_at=at(2024, 10, 2, 10))
    log(event, officer, recorded_at=at(2024, 10, 2, 11), topics=[(topics["a"], 1)])
    few = count_queries(read)
    for day in range(3, 20):
        event = make_event(title=f"Day {day}", starts_at=at(2024, 10, day, 10))
        log(event, make_officer(team=team), topics=[(topics["a"], 1), (topics["b"], day)])
        log(event, officer, topics=[])
    assert count_queries(read) == few
