"""Repeating events (issue 15, item 1): a series is made from one event, previewed date by date
with what could not be carried, saved in one step; from any of its events on, it can be
cancelled or given new times of day, staff and kit moving with it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Assignment, Event, KitBooking, Series
from events.recurrence import occurrence_days
from events.services import ConflictError
from events.services.series import series_repeat, series_retime_from
from events.time import local

from .api_support import as_user
from .factories import assign, at, book, make_kit, make_officer

CLASH_DAY = dt.date(2027, 4, 17)  # the 4th market: 6 Mar, 20 Mar, 3 Apr, 17 Apr


@pytest.fixture
def pc(team):
    return make_officer(team=team, name="Siân Llewelyn")


@pytest.fixture
def bobby(db):
    return make_kit()


@pytest.fixture
def market(make_event, pc, bobby):
    """A Saturday farmers' market stand, staffed and with the mini tractor."""
    event = make_event(
        title="Harpenden farmers' market",
        starts_at=at(2027, 3, 6, 9),
        ends_at=at(2027, 3, 6, 13),
        location="Harpenden High Street",
    )
    assign(event, pc)
    book(event, bobby)
    return event


@pytest.fixture
def clash(make_event, pc):
    """The same PC is on a fete on the day of the 4th market."""
    fete = make_event(
        title="Kimpton Village Fete", starts_at=at(2027, 4, 17, 10), ends_at=at(2027, 4, 17, 12)
    )
    assign(fete, pc)
    return fete


def _days(events):
    return [local(e.starts_at).date() for e in events]


def _series_events(series):
    return list(series.events.order_by("starts_at"))


# ---- the dates ----------------------------------------------------------------------------


def test_monthly_keeps_the_weekdays_place_and_a_fifth_weekday_becomes_the_last():
    first_tuesdays = occurrence_days(dt.date(2027, 9, 7), "month", count=4)
    assert first_tuesdays == [
        dt.date(2027, 9, 7),
        dt.date(2027, 10, 5),
        dt.date(2027, 11, 2),
        dt.date(2027, 12, 7),
    ]
    fifth_friday = occurrence_days(dt.date(2027, 10, 29), "month", count=3)
    assert fifth_friday == [dt.date(2027, 10, 29), dt.date(2027, 11, 26), dt.date(2027, 12, 31)]
    assert occurrence_days(dt.date(2027, 1, 2), "4 weeks", until=dt.date(2027, 3, 27)) == [
        dt.date(2027, 1, 2),
        dt.date(2027, 1, 30),
        dt.date(2027, 2, 27),
        dt.date(2027, 3, 27),
    ]


# ---- repeating ----------------------------------------------------------------------------


def test_a_fortnightly_series_of_ten_is_previewed_then_saved_with_its_one_clash(
    market, clash, pc, bobby, planner
):
    before = Event.objects.count()
    preview = series_repeat(event=market, every="2 weeks", count=10, user=planner, dry_run=True)
    assert not preview.saved
    assert Event.objects.count() == before and not Series.objects.exists()
    assert Event.objects.get(pk=market.pk).series_id is None
    days = _days(o.event for o in preview.occurrences)
    assert days[0] == dt.date(2027, 3, 20) and days[-1] == dt.date(2027, 7, 10) and len(days) == 9
    not_carried = {local(o.event.starts_at).date(): o.unfilled for o in preview.occurrences}
    assert [day for day, unfilled in not_carried.items() if unfilled] == [CLASH_DAY]
    [conflict] = not_carried[CLASH_DAY]
    assert conflict.kind == "officer_overlap" and "Kimpton Village Fete" in conflict.message

    repeat = series_repeat(event=market, every="2 weeks", count=10, user=planner)
    assert repeat.saved and repeat.unfilled == [conflict]
    events = _series_events(repeat.series)
    assert len(events) == 10 and events[0] == market
    # 09:00 UK time every time, across the March clock change.
    assert {local(e.starts_at).time() for e in events} == {dt.time(9)}
    staffed = _days(e for e in events if e.assignments.filter(officer=pc, released=False))
    assert CLASH_DAY not in staffed and len(staffed) == 9
    assert KitBooking.objects.filter(item=bobby, event__series=repeat.series).count() == 10
    assert {e.copied_from_id for e in events[1:]} == {market.pk}


def test_a_monthly_first_tuesday_keeps_ten_oclock_uk_time_across_the_clock_change(
    make_event, pc, planner
):
    farm_watch = make_event(
        title="Farm Watch meeting", starts_at=at(2027, 9, 7, 10), ends_at=at(2027, 9, 7, 12)
    )
    assign(farm_watch, pc)
    repeat = series_repeat(event=farm_watch, every="month", count=4, user=planner)
    events = _series_events(repeat.series)
    assert _days(events) == [
        dt.date(2027, 9, 7),
        dt.date(2027, 10, 5),
        dt.date(2027, 11, 2),
        dt.date(2027, 12, 7),
    ]
    assert {(local(e.starts_at).time(), local(e.ends_at).time()) for e in events} == {
        (dt.time(10), dt.time(12))
    }
    # In UTC, November's meeting starts an hour later than September's.
    assert events[0].starts_at.astimezone(dt.UTC).hour == 9
    assert events[2].starts_at.astimezone(dt.UTC).hour == 10
    shifts = Assignment.objects.filter(event__series=repeat.series).order_by("starts_at")
    assert {local(s.starts_at).time() for s in shifts} == {dt.time(10)} and len(shifts) == 4


def test_it_refuses_both_or_neither_limit_too_many_and_a_second_series(market, planner):
    cases = [
        {"count": 3, "until": dt.date(2027, 5, 1)},
        {},
        {"count": 53},
        {"until": dt.date(2029, 3, 6)},
    ]
    for limits in cases:
        with pytest.raises(ValidationError):
            series_repeat(event=market, every="week", user=planner, **limits)
    with pytest.raises(ValidationError, match="more than 52"):
        series_repeat(event=market, every="week", until=dt.date(2029, 3, 6), user=planner)
    series_repeat(event=market, every="week", count=2, user=planner)
    with pytest.raises(ValidationError, match="already part of a series"):
        series_repeat(event=market, every="week", count=2, user=planner)
    assert Series.objects.count() == 1


# ---- cancelling this and later ------------------------------------------------------------


def test_cancel_this_and_later_confirms_what_it_releases_then_cancels_them(
    client, market, planner, pc
):
    series = series_repeat(event=market, every="week", count=4, user=planner).series
    events = _series_events(series)
    client.force_login(planner)
    url = reverse("series_cancel", args=[events[2].pk])
    page = client.get(url)
    html = page.content.decode()
    assert "This cancels 2 events" in html and html.count(pc.name) == 2
    assert not Event.objects.filter(series=series, status="cancelled").exists()

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("series_detail", args=[series.pk])
    statuses = [Event.objects.get(pk=e.pk).status for e in events]
    assert statuses == ["confirmed", "draft", "cancelled", "cancelled"]  # repeats are drafts
    assert not Assignment.objects.filter(event__in=events[2:], released=False).exists()
    assert not KitBooking.objects.filter(event__in=events[2:], status="reserved").exists()
    assert Assignment.objects.filter(event=events[1], released=False).exists()


# ---- new times of day ---------------------------------------------------------------------


@pytest.fixture
def weekly(market, planner):
    return _series_events(series_repeat(event=market, every="week", count=3, user=planner).series)


def test_new_times_for_later_events_move_their_staff_and_kit(weekly, pc, bobby):
    moved = series_retime_from(event=weekly[1], starts_at=dt.time(10), ends_at=dt.time(15))
    assert [e.pk for e in moved] == [e.pk for e in weekly[1:]]
    events = [Event.objects.get(pk=e.pk) for e in weekly]
    assert local(events[0].starts_at).time() == dt.time(9)
    assert {(local(e.starts_at).time(), local(e.ends_at).time()) for e in events[1:]} == {
        (dt.time(10), dt.time(15))
    }
    shifts = Assignment.objects.filter(event__in=events[1:], officer=pc)
    bookings = KitBooking.objects.filter(event__in=events[1:], item=bobby)
    for row in [*shifts, *bookings]:  # shifted by the change of start, as any move does
        assert (local(row.starts_at).time(), local(row.ends_at).time()) == (
            dt.time(10),
            dt.time(14),
        )


def test_new_times_that_would_clash_change_nothing_and_list_each_clash(
    client, weekly, make_event, pc, bobby, planner
):
    fete = make_event(
        title="Kimpton Village Fete", starts_at=at(2027, 3, 20, 13), ends_at=at(2027, 3, 20, 16)
    )
    assign(fete, pc)
    other = make_event(
        title="Wheathampstead show", starts_at=at(2027, 3, 13, 13), ends_at=at(2027, 3, 13, 17)
    )
    book(other, bobby)
    before = [(e.starts_at, e.ends_at) for e in weekly]

    def rows():
        shifts = Assignment.objects.filter(event__in=weekly)
        return sorted((r.pk, r.starts_at, r.ends_at) for r in [*shifts, *KitBooking.objects.all()])

    rows_before = rows()
    with pytest.raises(ConflictError) as refused:
        series_retime_from(event=weekly[1], starts_at=dt.time(12), ends_at=dt.time(17))
    kinds = sorted(c.kind for c in refused.value.conflicts)
    assert kinds == ["kit_overlap", "officer_overlap"]
    after = Event.objects.filter(pk__in=[e.pk for e in weekly]).order_by("starts_at")
    assert [(e.starts_at, e.ends_at) for e in after] == before
    assert rows() == rows_before

    client.force_login(planner)
    page = client.post(
        reverse("series_times", args=[weekly[1].pk]), {"starts_at": "12:00", "ends_at": "17:00"}
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="error-summary"' in html
    assert "Kimpton Village Fete" in html and "Wheathampstead show" in html
    assert rows() == rows_before


# ---- pages --------------------------------------------------------------------------------


def test_repeating_from_the_page_previews_each_date_then_saves(client, market, clash, planner):
    client.force_login(planner)
    url = reverse("event_repeat", args=[market.pk])
    form = {"every": "2 weeks", "count": "10", "until": ""}
    preview = client.post(url, form)
    html = preview.content.decode()
    assert 'data-testid="repeat-preview"' in html and "9 repeats, every 2 weeks on Saturday" in html
    assert "Siân Llewelyn is already on “Kimpton Village Fete”" in html
    assert not Series.objects.exists()

    saved = client.post(url, {**form, "confirm": "1"})
    series = Series.objects.get()
    assert saved["Location"] == reverse("series_detail", args=[series.pk])
    assert series.events.count() == 10


def test_the_repeat_form_says_what_is_wrong(client, market, planner):
    client.force_login(planner)
    page = client.post(reverse("event_repeat", args=[market.pk]), {"every": "week"})
    html = page.content.decode()
    assert 'data-testid="error-summary"' in html and "either an end date or a number" in html
    assert not Series.objects.exists()


def test_the_event_page_links_to_repeat_and_to_its_series(client, market, planner, officer_user):
    client.force_login(planner)
    page = client.get(reverse("event_detail", args=[market.pk])).content.decode()
    assert reverse("event_repeat", args=[market.pk]) in page
    series = series_repeat(event=market, every="week", count=2, user=planner).series
    later = _series_events(series)[1]
    page = client.get(reverse("event_detail", args=[later.pk])).content.decode()
    assert reverse("series_detail", args=[series.pk]) in page
    assert reverse("series_cancel", args=[later.pk]) in page
    assert reverse("event_repeat", args=[later.pk]) not in page

    client.force_login(officer_user)
    page = client.get(reverse("event_detail", args=[later.pk])).content.decode()
    assert reverse("series_detail", args=[series.pk]) in page
    assert reverse("series_cancel", args=[later.pk]) not in page
    assert client.get(reverse("event_repeat", args=[market.pk])).status_code == 403


def test_the_series_page_lists_its_events_in_a_fixed_number_of_queries(client, market, planner):
    client.force_login(planner)
    small = series_repeat(event=market, every="week", count=2, user=planner).series
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("series_detail", args=[small.pk]))
    assert page.status_code == 200
    assert "every week on Saturday" in page.content.decode()
    big_origin = Event.objects.create(
        title="Farm Watch", starts_at=at(2028, 1, 4, 19), ends_at=at(2028, 1, 4, 21)
    )  # no staff or kit: the page's queries do not depend on them
    big = series_repeat(event=big_origin, every="month", count=12, user=planner).series
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("series_detail", args=[big.pk]))
    html = page.content.decode()
    assert html.count(reverse("event_detail", args=[0])[:-2]) >= 12
    assert len(many) == len(few)
    assert client.get(reverse("series_detail", args=[99999])).status_code == 404


# ---- API ----------------------------------------------------------------------------------


def test_the_api_repeats_with_201_and_lists_what_was_unfilled(market, clash, planner):
    api = as_user(planner)
    path = f"/api/events/{market.pk}/repeat"
    response = api.post(path, {"every": "2 weeks", "count": 10})
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["items"]) == 9 and all(
        item["series"] == body["series"] for item in body["items"]
    )
    assert [c["kind"] for c in body["unfilled"]] == ["officer_overlap"]
    [clashing] = [item for item in body["items"] if item["unfilled"]]
    assert clashing["starts_at"] == "2027-04-17T08:00:00Z"  # 09:00 UK summer time

    listed = api.get(f"/api/series/{body['series']}")
    assert listed.status_code == 200
    series = listed.json()
    assert series["count"] == 10 and series["items"][0]["id"] == market.pk
    assert series["every"] == "2 weeks" and series["origin"] == market.pk


def test_an_api_dry_run_answers_200_and_saves_nothing(market, clash, planner):
    before = Event.objects.count()
    response = as_user(planner).post(
        f"/api/events/{market.pk}/repeat", {"every": "week", "until": "2027-04-17", "dry_run": True}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["series"] is None and len(body["items"]) == 6
    assert {item["id"] for item in body["items"]} == {None}
    assert [c["kind"] for c in body["unfilled"]] == ["officer_overlap"]
    assert Event.objects.count() == before and not Series.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"every": "week"}, "until"),
        ({"every": "week", "count": 3, "until": "2027-05-01"}, "until"),
        ({"every": "week", "count": 53}, "count"),
        ({"every": "week", "until": "2029-01-01"}, "until"),
        ({"every": "fortnight", "count": 3}, "every"),
        ({"every": "week", "count": 3, "colour": "blue"}, "colour"),
    ],
)
def test_the_api_refuses_bad_repeats_with_422_naming_the_field(market, planner, body, field):
    response = as_user(planner).post(f"/api/events/{market.pk}/repeat", body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Series.objects.exists()


def test_an_until_past_52_events_says_so(market, planner):
    response = as_user(planner).post(
        f"/api/events/{market.pk}/repeat", {"every": "week", "until": "2029-01-01"}
    )
    assert "more than 52 events" in response.json()["detail"]


def test_the_api_answers_404_and_403(market, planner, officer_user):
    assert (
        as_user(planner).post("/api/events/99999/repeat", {"every": "week", "count": 2}).status_code
        == 404
    )
    assert as_user(planner).get("/api/series/99999").status_code == 404
    refused = as_user(officer_user).post(
        f"/api/events/{market.pk}/repeat", {"every": "week", "count": 2}
    )
    assert refused.status_code == 403 and not Series.objects.exists()
    series = series_repeat(event=market, every="week", count=2, user=planner).series
    assert as_user(officer_user).get(f"/api/series/{series.pk}").status_code == 200
