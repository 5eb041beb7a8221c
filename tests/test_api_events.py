"""Events over the API: filtered, paged lists in constant queries; create, change, delete
(or cancel), copy forward."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, EventType, KitBooking, Partner

from .api_support import as_user, now_event
from .factories import assign, at, book, log, make_kit, make_officer, soon


@pytest.fixture
def api(planner):
    return as_user(planner)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [event["title"] for event in response.json()["items"]]


def test_the_list_shows_every_contract_field(api, make_event, topic):
    event = make_event(title="Redbourn County Show", location="Redbourn Common", postcode="AL3 7BX")
    event.focus_topics.add(topic)
    item = api.get("/api/events").json()["items"][0]
    assert {
        "id",
        "title",
        "event_type",
        "team",
        "status",
        "starts_at",
        "ends_at",
        "location",
        "postcode",
        "description",
        "expected_attendance",
        "partners",
        "focus_topics",
    } <= set(item)
    assert item["focus_topics"] == [topic.slug]
    assert item["team"] == event.team_id
    assert dt.datetime.fromisoformat(item["starts_at"]) == event.starts_at


def test_filters_combine(api, make_event, team, other_team):
    fete = EventType.objects.get_or_create(slug="fete", defaults={"name": "Fete (test)"})[0]
    make_event(title="ROST fete", event_type=fete, starts_at=at(2026, 7, 4, 10))
    make_event(title="ROST show", status="draft", starts_at=at(2026, 7, 10, 10))
    make_event(title="NPT fete", event_type=fete, team=other_team, starts_at=at(2026, 7, 4, 10))
    make_event(title="August market", starts_at=at(2026, 8, 1, 10), location="Harpenden")
    assert titles(api.get("/api/events", event_type="fete", team=team.pk)) == ["ROST fete"]
    assert titles(api.get("/api/events", status="draft")) == ["ROST show"]
    assert titles(api.get("/api/events", **{"from": "2026-07-05", "to": "2026-07-31"})) == [
        "ROST show"
    ]
    assert titles(api.get("/api/events", q="harpenden")) == ["August market"]
    assert titles(api.get("/api/events", to="2026-07-04")) == ["ROST fete", "NPT fete"]


def test_unknown_filter_values_match_nothing(api, make_event):
    make_event()
    assert titles(api.get("/api/events", team=999)) == []
    assert titles(api.get("/api/events", event_type="no-such-type")) == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"from": "04/07/2026"},
        {"team": "rost"},
        {"from": "0001-01-01"},
        {"q": "x" * 101},
        {"event_type": "two words"},
    ],
)
def test_malformed_filters_are_refused(api, params):
    response = api.get("/api/events", **params)
    assert response.status_code == 422
    assert next(iter(params)) in response.json()["detail"]


def test_lists_are_paged(api, make_event):
    for n in range(7):
        make_event(title=f"Fete {n}", starts_at=soon(days=10 + n))
    page = api.get("/api/events", limit=3, offset=3).json()
    assert page["count"] == 7
    assert [item["title"] for item in page["items"]] == ["Fete 3", "Fete 4", "Fete 5"]
    assert api.get("/api/events", offset=6).json()["count"] == 7
    assert len(api.get("/api/events").json()["items"]) == 7


@pytest.mark.parametrize("params", [{"limit": 501}, {"limit": 0}, {"offset": -1}, {"limit": "x"}])
def test_page_bounds_are_enforced(api, params):
    assert api.get("/api/events", **params).status_code == 422


def queries_for(api, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, **params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_page(api, make_event, team, topic):
    partner = Partner.objects.create(name="Redbourn Show Society", kind="show_organiser")

    def build(start, count):
        for n in range(start, start + count):
            event = make_event(title=f"Fete {n}", starts_at=soon(days=5 + n))
            event.partners.add(partner)
            event.focus_topics.add(topic)
            assign(event, make_officer(team=team))

    api.get("/api/events")  # the token's first use is recorded once, not on every request
    build(0, 3)
    few = queries_for(api, "/api/events", limit=500)
    build(3, 40)
    many = queries_for(api, "/api/events", limit=500)
    small_page = queries_for(api, "/api/events", limit=5, offset=5)
    assert few == many
    # A page that is not the whole list also counts the rows: one query more, never more.
    assert small_page == many + 1


def test_a_planner_creates_an_event_with_only_the_required_fields(api, planner):
    response = api.post(
        "/api/events",
        {
            "title": "Fete",
            "starts_at": "2026-07-04T09:00:00+01:00",
            "ends_at": "2026-07-04T17:00:00+01:00",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    event = Event.objects.get(pk=body["id"])
    assert event.starts_at == at(2026, 7, 4, 9)
    assert event.created_by == planner


def test_creating_with_every_field(api, team, topic):
    fete = EventType.objects.get_or_create(slug="fete", defaults={"name": "Fete (test)"})[0]
    partner = Partner.objects.create(name="Redbourn Show Society", kind="show_organiser")
    lead = make_officer(team=team)
    body = {
        "title": "Redbourn County Show",
        "starts_at": "2026-07-04T09:00:00+01:00",
        "ends_at": "2026-07-06T18:00:00+01:00",
        "event_type": "fete",
        "team": team.pk,
        "lead_officer": lead.pk,
        "status": "confirmed",
        "location": "Redbourn Common",
        "postcode": "AL3 7BX",
        "description": "Three days.\nTwo mini tractors.",
        "expected_attendance": 12000,
        "partners": [partner.pk],
        "focus_topics": [topic.slug],
    }
    response = api.post("/api/events", body)
    assert response.status_code == 201, response.content
    out = response.json()
    for field in [
        "title",
        "event_type",
        "team",
        "lead_officer",
        "status",
        "location",
        "postcode",
        "description",
        "expected_attendance",
        "partners",
        "focus_topics",
    ]:
        assert out[field] == body[field], field
    event = Event.objects.get(pk=out["id"])
    assert event.event_type == fete


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"starts_at": "2026-07-04T09:00:00"}, "starts_at"),
        ({"ends_at": "2026-07-04T08:00:00+01:00"}, "ends_at"),
        ({"team": 999}, "team"),
        ({"event_type": "no-such-type"}, "event_type"),
        ({"focus_topics": ["no-such-topic"]}, "focus_topics"),
        ({"partners": [999]}, "partners"),
        ({"status": "cancelled"}, "status"),
        ({"uid": "00000000-0000-0000-0000-000000000000"}, "uid"),
        ({"id": 5}, "id"),
        ({"created_by": 1}, "created_by"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Fete\x00"}, "title"),
        ({"postcode": "AL3\n7BX"}, "postcode"),
        ({"expected_attendance": -1}, "expected_attendance"),
        ({"expected_attendance": 10**40}, "expected_attendance"),
        ({"starts_at": "9999-12-31T23:59:59-23:59"}, "starts_at"),
        ({"starts_at": 1783152000}, "starts_at"),
    ],
)
def test_bad_input_is_refused_naming_the_field(api, changes, field):
    body = {
        "title": "Fete",
        "starts_at": "2026-07-04T09:00:00+01:00",
        "ends_at": "2026-07-04T17:00:00+01:00",
    }
    response = api.post("/api/events", {**body, **changes})
    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith(f"{field}:") or field in response.json()["detail"]
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not Event.objects.exists()


def test_reading_one_event(api, make_event):
    event = make_event()
    assert api.get(f"/api/events/{event.pk}").json()["title"] == event.title
    assert api.get("/api/events/999").status_code == 404


def test_patch_changes_only_what_is_sent(api, make_event, other_team):
    event = make_event(title="Fete", location="Green")
    response = api.patch(f"/api/events/{event.pk}", {"title": "Summer fete", "team": other_team.pk})
    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.title, event.location, event.team) == ("Summer fete", "Green", other_team)
    assert event.sequence == 1


def test_patch_null_clears_an_optional_link_but_not_a_required_field(api, make_event):
    event = make_event()
    assert api.patch(f"/api/events/{event.pk}", {"team": None}).json()["team"] is None
    assert api.patch(f"/api/events/{event.pk}", {"title": None}).status_code == 422
    assert api.patch(f"/api/events/{event.pk}", {"starts_at": None}).status_code == 422


def test_patch_moves_the_status_along_and_cancelling_releases_everyone(api, make_event, team):
    event = make_event(status="draft")
    officer = make_officer(team=team)
    assign(event, officer)
    book(event, make_kit())
    assert (
        api.patch(f"/api/events/{event.pk}", {"status": "confirmed"}).json()["status"]
        == "confirmed"
    )
    assert (
        api.patch(f"/api/events/{event.pk}", {"status": "cancelled"}).json()["status"]
        == "cancelled"
    )
    assert not event.assignments.filter(released=False).exists()
    assert not KitBooking.objects.live().exists()
    response = api.patch(f"/api/events/{event.pk}", {"title": "Back on"})
    assert response.status_code == 422
    assert "cancelled" in response.json()["detail"]


def test_an_impossible_status_move_is_422(api, make_event):
    event = make_event(status="draft")
    response = api.patch(f"/api/events/{event.pk}", {"status": "completed"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_delete_erases_an_event_without_logs(api, make_event):
    event = make_event()
    response = api.delete(f"/api/events/{event.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not Event.objects.filter(pk=event.pk).exists()


def test_delete_cancels_an_event_with_logs_instead(api, make_event, team):
    event = now_event(make_event)
    log(event, make_officer(team=team), visitors=40)
    response = api.delete(f"/api/events/{event.pk}")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    event.refresh_from_db()
    assert event.is_cancelled
    assert event.logs.count() == 1


def test_copy_makes_a_new_event_with_the_same_staffing_and_kit(api, make_event, team):
    event = make_event(title="Redbourn County Show", starts_at=at(2026, 7, 4, 9))
    officer = make_officer(team=team)
    assign(event, officer, role="lead")
    tractor = make_kit()
    book(event, tractor)
    response = api.post(f"/api/events/{event.pk}/copy", {"starts_at": "2027-07-03T09:00:00+01:00"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["conflicts"] == []
    copy = Event.objects.get(pk=body["event"]["id"])
    assert copy.starts_at == at(2027, 7, 3, 9)
    assert copy.copied_from == event
    assert body["event"]["copied_from"] == event.pk
    assert list(copy.assignments.values_list("officer", flat=True)) == [officer.pk]
    assert list(copy.kit_bookings.values_list("item", flat=True)) == [tractor.pk]


def test_copy_answers_what_it_could_not_fill(api, make_event, team):
    event = make_event(starts_at=at(2026, 7, 4, 9))
    officer = make_officer(team=team)
    assign(event, officer)
    tractor = make_kit()
    book(event, tractor)
    busy = make_event(title="Harpenden market", starts_at=at(2027, 7, 3, 8))
    assign(busy, officer)
    book(busy, tractor)
    response = api.post(f"/api/events/{event.pk}/copy", {"starts_at": "2027-07-03T09:00:00+01:00"})
    assert response.status_code == 201
    kinds = sorted(conflict["kind"] for conflict in response.json()["conflicts"])
    assert kinds == ["kit_overlap", "officer_overlap"]
    assert all("Harpenden market" in c["message"] for c in response.json()["conflicts"])


def test_copy_needs_an_aware_start(api, make_event):
    event = make_event()
    response = api.post(f"/api/events/{event.pk}/copy", {"starts_at": "2027-07-03T09:00:00"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "starts_at",
            "message": "Give the time with its UTC offset, e.g. 2026-07-04T09:00:00+01:00.",
        }
    ]
