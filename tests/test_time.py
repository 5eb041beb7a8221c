"""Time said once (events/time.py): London days, clock changes, durations in UTC, labels."""

import datetime as dt

import pytest

from events.time import (
    LONDON,
    days_label,
    local_date,
    local_days,
    local_midnight,
    local_today,
    utc_duration,
    window,
    window_on,
)

from .factories import at

SPRING_FORWARD = dt.date(2026, 3, 29)  # 01:00 GMT becomes 02:00 BST
FALL_BACK = dt.date(2026, 10, 25)  # 02:00 BST becomes 01:00 GMT
DAY = dt.timedelta(days=1)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_a_london_day_starts_at_local_midnight_in_winter_and_in_summer():
    assert local_midnight(dt.date(2026, 1, 15)) == utc(2026, 1, 15, 0)
    assert local_midnight(dt.date(2026, 7, 4)) == utc(2026, 7, 3, 23)


def test_the_day_the_clocks_go_forward_is_23_hours_long():
    start, end = local_midnight(SPRING_FORWARD), local_midnight(SPRING_FORWARD + DAY)
    assert start == utc(2026, 3, 29, 0)
    assert end == utc(2026, 3, 29, 23)
    assert utc_duration(start, end) == dt.timedelta(hours=23)


def test_the_day_the_clocks_go_back_is_25_hours_long():
    start, end = local_midnight(FALL_BACK), local_midnight(FALL_BACK + DAY)
    assert start == utc(2026, 10, 24, 23)
    assert end == utc(2026, 10, 26, 0)
    assert utc_duration(start, end) == dt.timedelta(hours=25)


def test_a_window_across_the_october_change_lasts_25_hours_in_utc():
    starts_at, ends_at = at(2026, 10, 24, 12), at(2026, 10, 25, 12)
    assert utc_duration(starts_at, ends_at) == dt.timedelta(hours=25)
    # The same two wall-clock times subtracted in one zone would say 24: that is the trap.
    assert ends_at - starts_at == dt.timedelta(hours=24)


def test_a_window_across_the_march_change_lasts_23_hours_in_utc():
    assert utc_duration(at(2026, 3, 28, 12), at(2026, 3, 29, 12)) == dt.timedelta(hours=23)


def test_today_is_the_london_day_not_the_utc_one():
    assert local_today(utc(2026, 7, 3, 23, 30)) == dt.date(2026, 7, 4)
    assert local_today(utc(2026, 1, 3, 23, 30)) == dt.date(2026, 1, 3)
    assert local_date(utc(2026, 7, 3, 22, 59)) == dt.date(2026, 7, 3)


def test_today_without_an_argument_is_now_in_london():
    assert local_today() == dt.datetime.now(LONDON).date()


def test_a_window_across_midnight_touches_both_days():
    assert local_days(at(2026, 7, 3, 22), at(2026, 7, 4, 2)) == (
        dt.date(2026, 7, 3),
        dt.date(2026, 7, 4),
    )


def test_a_window_that_ends_at_midnight_does_not_touch_the_next_day():
    assert local_days(at(2026, 7, 3, 18), at(2026, 7, 4, 0)) == (
        dt.date(2026, 7, 3),
        dt.date(2026, 7, 3),
    )


def test_a_window_over_the_clock_change_night_covers_its_london_days():
    assert local_days(at(2026, 10, 24, 20), at(2026, 10, 25, 6)) == (
        dt.date(2026, 10, 24),
        FALL_BACK,
    )


@pytest.mark.parametrize(
    "starts_at,ends_at,label",
    [
        (at(2026, 7, 4, 9), at(2026, 7, 4, 17), "Sat 4 Jul 2026 09:00–17:00"),
        (at(2026, 7, 4, 9), at(2026, 7, 6, 18), "Sat 4 Jul 2026 09:00 – Mon 6 Jul 2026 18:00"),
        (at(2026, 7, 3, 22), at(2026, 7, 4, 2), "Fri 3 Jul 2026 22:00 – Sat 4 Jul 2026 02:00"),
        (at(2026, 7, 4, 18), at(2026, 7, 5, 0), "Sat 4 Jul 2026 18:00–00:00"),
        (at(2026, 12, 31, 20), at(2027, 1, 1, 2), "Thu 31 Dec 2026 20:00 – Fri 1 Jan 2027 02:00"),
    ],
)
def test_a_window_reads_as_london_times(starts_at, ends_at, label):
    assert window(starts_at, ends_at) == label


def test_a_window_given_in_utc_is_labelled_in_london_time():
    assert window(utc(2026, 7, 4, 8), utc(2026, 7, 4, 16)) == "Sat 4 Jul 2026 09:00–17:00"
    assert window(utc(2026, 1, 10, 9), utc(2026, 1, 10, 12)) == "Sat 10 Jan 2026 09:00–12:00"


def test_the_short_window_label_leaves_the_years_out():
    assert window(at(2026, 6, 5, 9), at(2026, 6, 7, 17), year=False) == (
        "Fri 5 Jun 09:00 – Sun 7 Jun 17:00"
    )
    assert window(at(2026, 6, 5, 9), at(2026, 6, 5, 17), year=False) == "Fri 5 Jun 09:00–17:00"


def test_each_day_of_a_three_day_show_has_its_own_part_of_the_window():
    starts_at, ends_at = at(2026, 6, 5, 9), at(2026, 6, 7, 17)
    labels = [window_on(dt.date(2026, 6, day), starts_at, ends_at) for day in (5, 6, 7)]
    assert labels == ["from 09:00", "all day", "until 17:00"]
    assert window_on(dt.date(2026, 6, 5), starts_at, at(2026, 6, 5, 17)) == "09:00–17:00"


@pytest.mark.parametrize(
    "starts_at,ends_at,label",
    [
        (at(2027, 6, 12, 9), at(2027, 6, 12, 17), "Sat 12 Jun 2027"),
        (at(2027, 6, 12, 9), at(2027, 6, 14, 17), "Sat 12 – Mon 14 Jun 2027"),
        (at(2027, 5, 31, 9), at(2027, 6, 2, 17), "Mon 31 May – Wed 2 Jun 2027"),
        (at(2027, 6, 12, 18), at(2027, 6, 13, 0), "Sat 12 Jun 2027"),
    ],
)
def test_the_days_a_window_covers_read_as_one_label(starts_at, ends_at, label):
    assert days_label(starts_at, ends_at) == label
