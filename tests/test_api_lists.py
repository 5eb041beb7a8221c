"""Every list answers ``{"items", "count"}`` in a fixed number of queries, however many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import KitItem

from .api_support import as_user, now_event
from .factories import assign, book, log, make_kit, make_officer, soon


@pytest.fixture
def event(make_event):
    return now_event(make_event)


def add_assignments(event, team, topic, n):
    for _ in range(n):
        assign(event, make_officer(team=team))


def add_bookings(event, team, topic, n):
    for _ in range(n):
        number = KitItem.objects.count()
        book(event, make_kit(name=f"Gazebo {number}", tag=f"GZB-{number}", category="gazebo"))


def add_logs(event, team, topic, n):
    officer = make_officer(team=team)
    for _ in range(n):
        log(event, officer, visitors=3, topics=[(topic, 2)])


def add_kit(event, team, topic, n):
    add_bookings(event, team, topic, n)


LISTS = [
    ("/api/events/{event}/assignments", add_assignments, {}),
    ("/api/events/{event}/kit-bookings", add_bookings, {}),
    ("/api/events/{event}/logs", add_logs, {}),
    ("/api/kit", add_kit, {}),
    (
        "/api/kit/availability",
        add_kit,
        {"starts_at": soon(-1).isoformat(), "ends_at": soon(1).isoformat()},
    ),
]


@pytest.mark.parametrize("path,add,params", LISTS, ids=[path for path, _a, _p in LISTS])
def test_the_query_count_does_not_grow_with_rows(planner, event, team, topic, path, add, params):
    api = as_user(planner)
    url = path.format(event=event.pk)
    api.get(url, **params)  # the token's first use is recorded once

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url, limit=500, **params)
        assert response.status_code == 200, response.content
        return len(ctx.captured_queries), response.json()["count"]

    add(event, team, topic, 2)
    few, few_rows = queries()
    add(event, team, topic, 25)
    many, many_rows = queries()
    assert many_rows == few_rows + 25
    assert many == few
