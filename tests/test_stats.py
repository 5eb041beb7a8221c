"""Every figure from hand-built data, with the arithmetic written out; filters; clock changes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, EventType, KitBooking, Topic
from events.reporting import stats
from events.reporting.stats import StatsFilter
from events.services.events import event_cancel, event_copy, event_update

from .factories import assign, at, book, log, make_kit, make_officer, soon

JULY = StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 8, 31))


@pytest.fixture
def fly_tipping(db):
    return Topic.objects.get(slug="fly-tipping")


@pytest.fixture
def world(make_event, team, other_team, topic, fly_tipping):
    """Two events held in July and August 2024, one cancelled, one outside the period."""
    fete = EventType.objects.get(slug="fete")
    market = EventType.objects.get(slug="market")
    rhys, sian, owain = (make_officer(team=team, name=n) for n in ("Rhys", "Siân", "Owain"))
    wheathampstead = make_event(
        title="Wheathampstead Fete",
        starts_at=at(2024, 7, 6, 10),
        ends_at=at(2024, 7, 6, 14),
        event_type=fete,
        postcode="AL4 8AA",
    )
    assign(wheathampstead, rhys, actual_minutes=270)  # 4 h planned, 4.5 h recorded
    assign(wheathampstead, sian, ends_at=at(2024, 7, 6, 12))  # 2 h planned, none recorded
    assign(wheathampstead, owain, starts_at=at(2024, 7, 6, 11), released=True)  # released
    log(wheathampstead, rhys, visitors=7, signups=2, topics=[(topic, 3)])
    log(wheathampstead, sian, visitors=5, signups=1, crime_reports=1, topics=[(fly_tipping, 1)])
    log(wheathampstead, sian, visitors=3)
    log(wheathampstead, rhys, visitors=100, signups=9, removed_at=at(2024, 7, 6, 13))  # removed

    market_day = make_event(
        title="Harpenden Market",
        starts_at=at(2024, 8, 3, 9),
        ends_at=at(2024, 8, 3, 12),
        event_type=market,
        team=other_team,
        postcode="AL5 2TF",
    )
    assign(market_day, owain)  # 3 h planned
    log(market_day, owain, visitors=10, signups=4, topics=[(fly_tipping, 2)])

    called_off = make_event(title="Rained-off fete", starts_at=at(2024, 7, 20, 10), event_type=fete)
    assign(called_off, rhys)
    log(called_off, rhys, visitors=50, topics=[(topic, 5)])
    called_off = event_cancel(event=called_off)  # rained off after the first visitors came

    later = make_event(title="September show", starts_at=at(2024, 9, 1, 10))
    assign(later, rhys)
    log(later, rhys, visitors=40)
    return {"fete": wheathampstead, "market": market_day, "cancelled": called_off, "later": later}


def test_the_summary_adds_up_by_hand(world):
    data = stats.summary(JULY)
    assert data["events"] == 2  # the cancelled one and September's are not counted
    assert data["visitors"] == 7 + 5 + 3 + 10  # the removed entry does not count
    assert data["signups"] == 2 + 1 + 4
    assert data["crime_reports"] == 1
    assert data["entries"] == 4
    assert data["officer_hours_planned"] == 4 + 2 + 3  # released assignment left out
    assert data["officer_hours_actual"] == 4.5  # only Rhys's hours were recorded
    assert data["officer_hours"] == 4.5 + 2 + 3  # recorded where recorded, else planned
    assert data["visitors_per_officer_hour"] == round(25 / 9.5, 2)
    assert data["topics"] == [
        {"topic": "fly-tipping", "name": "Fly-tipping", "mentions": 1 + 2, "share": 50.0},
        {
            "topic": "poaching-hare-coursing",
            "name": "Poaching and hare coursing",
            "mentions": 3,
            "share": 50.0,
        },
    ]
    months = {row["month"]: (row["events"], row["visitors"]) for row in data["by_month"]}
    assert months == {"2024-07": (1, 7 + 5 + 3), "2024-08": (1, 10)}


def test_the_summary_has_the_api_shape(world):
    data = stats.summary(JULY)
    for key in (
        "events",
        "visitors",
        "officer_hours",
        "signups",
        "crime_reports",
        "visitors_per_officer_hour",
        "topics",
        "by_month",
    ):
        assert key in data
    assert set(data["topics"][0]) >= {"topic", "name", "mentions"}
    assert set(data["by_month"][0]) >= {"month", "events", "visitors"}
    assert stats.event_summary(world["fete"]).keys() == data.keys()


# Figures of the whole period only: the months carry none of these.
NOT_BY_MONTH = ("topics", "by_month", "officers", "scans", "signup_clicks", "report_clicks")


def test_one_event_has_the_same_figures(world):
    data = stats.event_summary(world["fete"])
    assert (data["events"], data["visitors"], data["signups"], data["crime_reports"]) == (
        1,
        15,
        3,
        1,
    )
    assert data["officer_hours"] == 4.5 + 2
    assert data["officers"] == 2  # Rhys and Siân (Owain was released)
    assert data["by_month"] == [
        {
            **{k: v for k, v in data.items() if k not in NOT_BY_MONTH},
            "month": "2024-07",
        }
    ]


def test_a_cancelled_event_is_not_an_event_held(world):
    data = stats.event_summary(world["cancelled"])
    assert data["events"] == 0
    assert data["officer_hours"] == 0  # its officers were released with it
    assert data["visitors_per_officer_hour"] is None  # no hours: no rate, not a crash


def test_only_events_held_count_anywhere(make_event, team, topic):
    """Held: started, and neither a draft nor cancelled. A draft's entries and a coming
    event's planned hours count nowhere: not in a total, a rate, a topic, kit or a row."""
    rhys, sian = make_officer(team=team, name="Rhys"), make_officer(team=team, name="Siân")
    gazebo = make_kit(name="Gazebo", tag="GZB-1", category="gazebo")
    held = make_event(title="Held", starts_at=at(2024, 7, 6, 10), ends_at=at(2024, 7, 6, 14))
    assign(held, rhys)
    log(held, rhys, visitors=8, topics=[(topic, 1)])
    book(held, gazebo)
    draft = make_event(title="Draft", starts_at=at(2024, 7, 13, 10), status=Event.Status.DRAFT)
    assign(draft, sian)
    log(draft, sian, visitors=50, topics=[(topic, 5)])
    # Starts in 50 minutes; an entry may already be logged while the stand is set up (logging
    # opens an hour before the shift).
    coming = make_event(title="Coming", starts_at=timezone.now() + dt.timedelta(minutes=50))
    assign(coming, sian)
    log(coming, sian, visitors=7, recorded_at=timezone.now())
    book(coming, gazebo)
    everything = StatsFilter(date_from=dt.date(2024, 1, 1), date_to=soon(days=60).date())

    data = stats.dashboard(everything)
    assert (data["events"], data["officers"], data["visitors"]) == (1, 1, 8)
    assert (data["officer_hours"], data["officer_hours_planned"]) == (4.0, 4.0)
    assert data["visitors_per_officer_hour"] == 2.0
    assert [(row["topic"], row["mentions"]) for row in data["topics"]] == [(topic.slug, 1)]
    assert sum(row["events"] for row in data["by_month"]) == 1
    assert [row["title"] for row in data["top_events"]] == ["Held"]
    assert [(row["name"], row["events"]) for row in data["kit"]] == [("Gazebo", 1)]
    assert [row["title"] for row in stats.event_rows(everything)] == ["Held"]
    assert [row["name"] for row in stats.officer_rows(everything)] == ["Rhys"]
    assert [entry[1] for entry in stats.log_entries(everything)] == ["Held"]
    july = StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 7, 31))
    [trend] = [row for row in stats.topic_trends(july)["topics"] if row["topic"] == topic.slug]
    assert trend["total"] == 1
    for event in (draft, coming):  # one event's figures: its share of any summary, none
        figures = stats.event_summary(event)
        assert [figures[key] for key in ("events", "visitors", "officers", "topics")] == [
            0,
            0,
            0,
            [],
        ]
        assert figures["officer_hours_planned"] == 0


def test_an_event_is_held_from_its_start(make_event):
    now = timezone.now()
    started = make_event(starts_at=now - dt.timedelta(minutes=5))
    assert stats.is_held(started) and stats.is_held(started, now=now)
    assert not stats.is_held(started, now=now - dt.timedelta(minutes=10))
    for status, held in [("draft", False), ("confirmed", True), ("completed", True)]:
        started.status = status
        assert stats.is_held(started) is held, status
    started.status = "cancelled"
    assert not stats.is_held(started)
    coming = make_event(starts_at=now + dt.timedelta(minutes=5))
    assert not stats.is_held(coming)
    assert list(Event.objects.filter(stats.held_q())) == [started]  # as stored: confirmed


def test_breakdowns_by_team_and_type_add_up(world, team, other_team):
    data = stats.dashboard(JULY)
    by_team = {row["name"]: (row["events"], row["visitors"]) for row in data["by_team"]}
    assert by_team == {team.name: (1, 15), other_team.name: (1, 10)}
    by_type = {row["name"]: (row["events"], row["officer_hours"]) for row in data["by_event_type"]}
    assert by_type == {"Village fete": (1, 6.5), "Market": (1, 3.0)}
    assert [row["title"] for row in data["top_events"]] == [
        "Wheathampstead Fete",
        "Harpenden Market",
    ]
    assert [row["visitors"] for row in data["top_events"]] == [15, 10]


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({"team": "team"}, {"Wheathampstead Fete"}),
        ({"team": "other_team"}, {"Harpenden Market"}),
        ({"event_type": "market"}, {"Harpenden Market"}),
        ({"topic": "poaching-hare-coursing"}, {"Wheathampstead Fete"}),
        ({"topic": "fly-tipping"}, {"Wheathampstead Fete", "Harpenden Market"}),
        ({"area": "al5"}, {"Harpenden Market"}),
        ({"area": "AL"}, {"Wheathampstead Fete", "Harpenden Market"}),
        ({"date_to": dt.date(2024, 7, 31)}, {"Wheathampstead Fete"}),
        ({"topic": "fly-tipping", "team": "other_team"}, {"Harpenden Market"}),
        ({"topic": "fly-tipping", "event_type": "fete", "area": "AL4"}, {"Wheathampstead Fete"}),
        ({"topic": "poaching-hare-coursing", "team": "other_team"}, set()),
    ],
)
def test_filters_combine(world, request, filters, titles):
    values = {**JULY.__dict__}
    for key, value in filters.items():
        values[key] = request.getfixturevalue(value).pk if key == "team" else value
    chosen = StatsFilter(**values)
    expected = [world[k] for k in ("fete", "market") if world[k].title in titles]
    data = stats.summary(chosen)
    assert data["events"] == len(titles)
    assert data["visitors"] == sum(stats.event_summary(e)["visitors"] for e in expected)
    assert {row["title"] for row in stats.event_rows(chosen)} == titles


def test_an_event_type_may_be_given_by_id(world):
    market = EventType.objects.get(slug="market")
    assert stats.summary(StatsFilter(event_type=market.pk))["events"] == 1
    assert stats.summary(StatsFilter(event_type=str(market.pk)))["events"] == 1


def test_a_district_is_not_a_prefix_of_a_longer_one(make_event):
    held = at(2024, 7, 6, 10)
    make_event(title="AL3", postcode="AL3 7PT", starts_at=held)
    make_event(title="AL35", postcode="AL35 1AA", starts_at=held)
    make_event(title="AL3 no space", postcode="AL3", starts_at=held)
    titles = {row["title"] for row in stats.event_rows(StatsFilter(area="AL3"))}
    assert titles == {"AL3", "AL3 no space"}
    assert len(list(stats.event_rows(StatsFilter(area="AL")))) == 3
    assert {r["title"] for r in stats.event_rows(StatsFilter(area="al3 7"))} == {"AL3"}


def test_hours_across_the_october_clock_change_are_real_hours(make_event, team):
    # 27 October 2024: clocks go back at 02:00 BST, so 00:30 to 03:30 lasts four hours.
    night = make_event(starts_at=at(2024, 10, 27, 0, 30), ends_at=at(2024, 10, 27, 3, 30))
    assign(night, make_officer(team=team))
    recorded = assign(
        night,
        make_officer(team=team),
        actual_starts_at=at(2024, 10, 27, 0, 30),
        actual_ends_at=at(2024, 10, 27, 3, 30),
    )
    data = stats.event_summary(night)
    assert data["officer_hours_planned"] == 4 + 4
    assert data["officer_hours_actual"] == 4
    assert recorded.planned_minutes == 240


def test_hours_across_the_march_clock_change_are_real_hours(make_event, team):
    # 31 March 2024: clocks go forward at 01:00 GMT, so 00:30 to 03:30 lasts two hours.
    night = make_event(starts_at=at(2024, 3, 31, 0, 30), ends_at=at(2024, 3, 31, 3, 30))
    assign(night, make_officer(team=team))
    assert stats.event_summary(night)["officer_hours"] == 2


def test_months_and_periods_are_london_calendar_months(make_event, team):
    # 00:30 on 1 August BST is 23:30 on 31 July UTC: it is an August event.
    make_event(title="Late July", starts_at=at(2024, 7, 31, 23, 30))
    make_event(title="Early August", starts_at=at(2024, 8, 1, 0, 30))
    data = stats.summary(JULY)
    months = {row["month"]: row["events"] for row in data["by_month"]}
    assert months == {"2024-07": 1, "2024-08": 1}
    july_only = StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 7, 31))
    assert [r["title"] for r in stats.event_rows(july_only)] == ["Late July"]


def test_by_month_lists_every_month_of_the_period(world):
    spring = StatsFilter(date_from=dt.date(2024, 5, 15), date_to=dt.date(2024, 8, 2))
    months = [(row["month"], row["events"]) for row in stats.summary(spring)["by_month"]]
    assert months == [("2024-05", 0), ("2024-06", 0), ("2024-07", 1), ("2024-08", 0)]


def test_an_open_period_takes_its_months_from_the_data(world):
    months = [row["month"] for row in stats.summary(StatsFilter())["by_month"]]
    assert months == ["2024-07", "2024-08", "2024-09"]
    assert stats.summary(StatsFilter(date_from=dt.date(2030, 1, 1)))["by_month"] == []


def test_nothing_to_count_gives_zeros_not_errors(db):
    data = stats.summary(JULY)
    assert data["events"] == data["visitors"] == 0
    assert data["officer_hours"] == 0
    assert data["visitors_per_officer_hour"] is None
    assert data["topics"] == []
    assert [row["events"] for row in data["by_month"]] == [0, 0]


def test_kit_utilisation_counts_events_days_and_visitors_where_present(make_event, team):
    tractor = make_kit()
    gazebo = make_kit(name="Gazebo", tag="GZB-01", category="gazebo")
    officer = make_officer(team=team)
    show = make_event(starts_at=at(2024, 7, 5, 8), ends_at=at(2024, 7, 7, 18))  # 3 days
    fete = make_event(starts_at=at(2024, 7, 13, 10), ends_at=at(2024, 7, 13, 16))  # 1 day
    quiet = make_event(starts_at=at(2024, 7, 20, 10))
    book(show, tractor)
    book(fete, tractor)
    book(fete, gazebo)
    book(quiet, gazebo, status=KitBooking.Status.CANCELLED)  # cancelled: not out
    log(show, officer, visitors=120)
    log(show, officer, visitors=30)
    log(fete, officer, visitors=40)
    log(quiet, officer, visitors=5)
    kit = {row["asset_tag"]: row for row in stats.kit_utilisation(JULY)}
    assert (kit["MPT-01"]["events"], kit["MPT-01"]["days"]) == (2, 3 + 1)
    assert kit["MPT-01"]["visitors"] == 120 + 30 + 40
    assert kit["MPT-01"]["visitors_per_event"] == 95.0
    assert (kit["GZB-01"]["events"], kit["GZB-01"]["days"], kit["GZB-01"]["visitors"]) == (1, 1, 40)


def test_topic_trends_set_each_month_beside_the_same_month_last_year(make_event, team, topic):
    officer = make_officer(team=team)
    for year, count in ((2023, 2), (2024, 5)):
        event = make_event(starts_at=at(year, 10, 12, 10))
        log(event, officer, topics=[(topic, count)])
    autumn = StatsFilter(date_from=dt.date(2024, 9, 1), date_to=dt.date(2024, 11, 30))
    trends = stats.topic_trends(autumn)
    assert trends["list"] == "Rural Strategy 2024"
    assert trends["months"] == ["2024-09", "2024-10", "2024-11"]
    row = next(r for r in trends["topics"] if r["topic"] == topic.slug)
    assert row["months"] == [0, 5, 0]
    assert row["last_year"] == [0, 2, 0]
    assert (row["total"], row["total_last_year"]) == (5, 2)
    assert {r["topic"] for r in trends["topics"]} == set(
        Topic.objects.filter(topic_list__name="Rural Strategy 2024").values_list("slug", flat=True)
    )


def test_the_same_event_last_time(make_event):
    last_year = make_event(title="Redbourn County Show", starts_at=at(2023, 7, 1, 9))
    make_event(title="Redbourn County Show", starts_at=at(2022, 7, 1, 9))
    make_event(
        title="Redbourn County Show", starts_at=at(2023, 12, 1, 9), status=Event.Status.CANCELLED
    )
    this_year = make_event(title="redbourn county show", starts_at=at(2024, 7, 1, 9))
    assert stats.previous_occurrence(this_year) == last_year
    copied, _unfilled = event_copy(event=last_year, starts_at=at(2025, 7, 1, 9), user=None)
    copied = event_update(event=copied, title="Renamed show")
    assert stats.previous_occurrence(copied) == last_year
    assert stats.previous_occurrence(last_year).starts_at == at(2022, 7, 1, 9)


def test_report_rows_agree_with_the_summary(world):
    data = stats.summary(JULY)
    events = list(stats.event_rows(JULY))
    assert sum(e["figures"].visitors for e in events) == data["visitors"]
    assert (
        round(sum(e["figures"].worked_seconds for e in events) / 3600, 2) == data["officer_hours"]
    )
    officers = stats.officer_rows(JULY)
    assert sum(o["figures"].visitors for o in officers) == data["visitors"]
    assert {o["name"]: stats.hours(o["figures"].worked_seconds) for o in officers} == {
        "Rhys": 4.5,
        "Siân": 2.0,
        "Owain": 3.0,
    }
    entries = list(stats.log_entries(JULY))
    assert len(entries) == data["entries"]
    assert sum(entry[6] for entry in entries) == data["visitors"]
    topics = sorted((name, count) for entry in entries for name, count in entry[-1])
    assert topics == [("Fly-tipping", 1), ("Fly-tipping", 2), ("Poaching and hare coursing", 3)]


def test_the_event_list_figures_are_those_of_held_events(world):
    """Figures of the events held; a cancelled or future event has none (not zeros)."""
    event_update(event=world["later"], starts_at=at(2099, 9, 1, 10), ends_at=at(2099, 9, 2))
    events = [world[name].pk for name in ("fete", "market", "cancelled", "later")]
    assert stats.event_figures(events) == {
        world["fete"].pk: {"officers": 2, "visitors": 15, "officer_hours": 6.5},
        world["market"].pk: {"officers": 1, "visitors": 10, "officer_hours": 3.0},
    }


def build_events(make_event, team, topic, count, start_day=1):
    for n in range(count):
        event = make_event(title=f"Fete {n}", starts_at=at(2024, 7, start_day + n % 28, 10))
        officer = make_officer(team=team)
        assign(event, officer)
        log(event, officer, visitors=n, topics=[(topic, 1)])
        book(event, make_kit(name=f"Gazebo {start_day}-{n}", tag=f"G-{start_day}-{n}"))


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_the_dashboard_figures_take_a_few_queries_whatever_the_rows(make_event, team, topic):
    build_events(make_event, team, topic, 2)
    few = count_queries(lambda: stats.dashboard(JULY))
    build_events(make_event, team, topic, 40, start_day=2)
    many = count_queries(lambda: stats.dashboard(JULY))
    assert few == many <= 7
    open_period = count_queries(lambda: stats.dashboard(StatsFilter()))
    assert open_period == many + 1  # the months come from the data


def test_report_rows_take_constant_queries(make_event, team, topic):
    def read_everything():
        list(stats.event_rows(JULY))
        stats.officer_rows(JULY)
        list(stats.log_entries(JULY))
        stats.topic_trends(JULY)

    build_events(make_event, team, topic, 2)
    few = count_queries(read_everything)
    build_events(make_event, team, topic, 30, start_day=3)
    assert count_queries(read_everything) == few
