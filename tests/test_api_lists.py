"""Every list answers ``{"items", "count"}`` in a fixed number of queries, however many rows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import EventType, KitItem, Team

from .api_support import Api, as_user, now_event
from .factories import assign, at, book, log, make_kit, make_officer, soon


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


# -- The paging contract (shared/API.md: limit 50 by default, at most 500; offset) ----------

PAGED = [
    "/api/teams",
    "/api/topics",
    "/api/event-types",
    "/api/partners",
    "/api/officers",
    "/api/kit",
    "/api/kit/availability",
    "/api/events",
    "/api/events/{event_id}/assignments",
    "/api/events/{event_id}/kit-bookings",
    "/api/events/{event_id}/logs",
]


def make_teams(n):
    Team.objects.bulk_create(Team(name=f"Team {number:03}") for number in range(n))


def test_a_list_gives_fifty_items_unless_asked_and_counts_them_all(planner, team):
    make_teams(60)
    page = as_user(planner).get("/api/teams").json()
    assert len(page["items"]) == 50
    assert page["count"] == 61


def test_limit_and_offset_choose_the_page(planner, team):
    make_teams(9)
    page = as_user(planner).get("/api/teams", limit=3, offset=2).json()
    assert [item["name"] for item in page["items"]] == ["Team 001", "Team 002", "Team 003"]
    assert page["count"] == 10
    beyond = as_user(planner).get("/api/teams", offset=100).json()
    assert beyond == {"items": [], "count": 10}


@pytest.mark.parametrize(
    "params,field",
    [
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_page_bounds_are_refused_naming_the_parameter(planner, params, field):
    response = as_user(planner).get("/api/teams", **params)
    assert response.status_code == 422
    body = response.json()
    assert field in body["detail"]
    assert [error["field"] for error in body["errors"]] == [field]


def test_the_largest_page_is_500(planner, team):
    make_teams(510)
    page = as_user(planner).get("/api/teams", limit=500).json()
    assert len(page["items"]) == 500
    assert page["count"] == 511


def counts(api, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url, **params).status_code == 200
    return sum("COUNT(" in query["sql"].upper() for query in ctx.captured_queries)


def test_a_first_page_that_is_not_full_needs_no_count_query(planner, team):
    api = as_user(planner)
    make_teams(4)
    assert counts(api, "/api/teams") == 0
    assert counts(api, "/api/teams", limit=5) == 1  # full: there may be more
    assert counts(api, "/api/teams", offset=1) == 1  # not the first page


def test_the_openapi_document_shows_the_paging_of_every_list(db):
    schema = Api().get("/api/openapi.json").json()
    for path in PAGED:
        operation = schema["paths"][path]["get"]
        parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        assert parameters["limit"]["schema"]["maximum"] == 500, path
        assert parameters["limit"]["schema"]["default"] == 50, path
        assert parameters["offset"]["schema"]["minimum"] == 0, path
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        page = schema["components"]["schemas"][ok.rsplit("/", 1)[1]]
        assert set(page["properties"]) == {"items", "count"}, path
        assert set(page["required"]) == {"items", "count"}, path


def test_the_openapi_document_shows_the_event_filters(db):
    operation = Api().get("/api/openapi.json").json()["paths"]["/api/events"]["get"]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert names == {"from", "to", "status", "team", "event_type", "q", "limit", "offset"}


# -- One filter for the web list and the API -------------------------------------------------


@pytest.fixture
def world(make_event, team, other_team):
    fete = EventType.objects.get_or_create(slug="fete", defaults={"name": "Fete (test)"})[0]
    make_event(title="ROST fete", event_type=fete, starts_at=at(2026, 7, 4, 10))
    make_event(title="Draft show", status="draft", starts_at=at(2026, 7, 10, 10))
    make_event(title="NPT fete", event_type=fete, team=other_team, starts_at=at(2026, 7, 4, 10))
    make_event(title="Market", starts_at=at(2026, 8, 1, 10), location="Harpenden", postcode="AL5")
    # 00:30 on Sunday 5 July in London is still Saturday 4 July in UTC.
    make_event(title="Night patrol", starts_at=at(2026, 7, 5, 0, 30), ends_at=at(2026, 7, 5, 3))
    # Ends on the stroke of midnight: nothing of it falls on Sunday 5 July.
    make_event(title="Evening talk", starts_at=at(2026, 7, 4, 20), ends_at=at(2026, 7, 5, 0))
    return {"fete": fete, "team": team, "other_team": other_team}


FILTERS = [
    {"from": "2026-07-05", "to": "2026-07-31"},
    {"from": "2026-07-01", "to": "2026-07-04"},
    {"from": "2026-07-01", "to": "2026-08-31", "event_type": "fete"},
    {"from": "2026-07-01", "to": "2026-08-31", "team": "other_team"},
    {"from": "2026-07-01", "to": "2026-08-31", "status": "draft"},
    {"from": "2026-07-01", "to": "2026-08-31", "q": " harpenden "},
    {"from": "2026-07-01", "to": "2026-08-31", "q": "al5"},
    {"from": "2026-07-01", "to": "2026-08-31", "event_type": "fete", "team": "team"},
]


def web_titles(user, params, world) -> list[str]:
    query = {"date_from": params.get("from"), "date_to": params.get("to")}
    for name in ("status", "q"):
        if name in params:
            query[name] = params[name]
    if "team" in params:
        query["team"] = world[params["team"]].pk
    if "event_type" in params:
        query["event_type"] = world["fete"].pk
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    return [event.title for event in response.context["filter"].qs]


def api_titles(user, params, world) -> list[str]:
    if "team" in params:
        params = {**params, "team": world[params["team"]].pk}
    response = as_user(user).get("/api/events", **params)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(p))
def test_the_web_list_and_the_api_filter_events_the_same_way(planner, world, params):
    assert web_titles(planner, params, world) == api_titles(planner, params, world)


def test_dates_are_london_days(planner, world):
    assert api_titles(planner, {"from": "2026-07-05", "to": "2026-07-05"}, world) == [
        "Night patrol"
    ]
    assert "Evening talk" in api_titles(planner, {"from": "2026-07-04", "to": "2026-07-04"}, world)
