"""The persona matrix: every API operation, asked by every role (shared/DOMAIN.md's table).

401 when not signed in, 403 when signed in but not allowed, 404 for what the caller may not
see (an officer asking about another officer's entry learns nothing about it).
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from events.services.series import series_repeat

from .api_support import as_user, now_event
from .factories import assign, book, log, make_kit, make_officer, soon

PERSONAS = [
    "planner",
    "officer_user",
    "other_officer_user",
    "manager",
    "admin_user",
    "outsider",
    "anonymous",
]


def expect(planner, officer, other_officer, manager, admin, outsider=403, anonymous=401):
    return dict(
        zip(
            PERSONAS,
            [planner, officer, other_officer, manager, admin, outsider, anonymous],
            strict=True,
        )
    )


EVERYONE = expect(200, 200, 200, 200, 200)
PLANNING = expect(200, 403, 403, 403, 200)


def _event_body():
    return {
        "title": "Village fete",
        "starts_at": soon(40).isoformat(),
        "ends_at": soon(40, 17).isoformat(),
    }


OPERATIONS = [
    ("GET", "/api/teams", None, EVERYONE),
    ("GET", "/api/topics", None, EVERYONE),
    ("GET", "/api/event-types", None, EVERYONE),
    ("GET", "/api/partners", None, EVERYONE),
    ("GET", "/api/officers", None, EVERYONE),
    (
        "POST",
        "/api/officers",
        lambda w: {"name": "PC New", "shoulder_number": "N1"},
        expect(403, 403, 403, 403, 201),
    ),
    ("GET", "/api/officers/{spare}", None, EVERYONE),
    (
        "PATCH",
        "/api/officers/{spare}",
        lambda w: {"name": "PC Renamed"},
        expect(403, 403, 403, 403, 200),
    ),
    ("GET", "/api/kit", None, EVERYONE),
    (
        "POST",
        "/api/kit",
        lambda w: {"name": "Gazebo 2", "asset_tag": "GZB-02", "category": "gazebo"},
        expect(201, 403, 403, 403, 201),
    ),
    ("GET", "/api/kit/{free_item}", None, EVERYONE),
    ("PATCH", "/api/kit/{free_item}", lambda w: {"condition": "needs_repair"}, PLANNING),
    ("GET", "/api/kit/availability?starts_at={window_start}&ends_at={window_end}", None, EVERYONE),
    ("GET", "/api/events", None, EVERYONE),
    ("POST", "/api/events", lambda w: _event_body(), expect(201, 403, 403, 403, 201)),
    ("GET", "/api/events/{event}", None, EVERYONE),
    ("PATCH", "/api/events/{event}", lambda w: {"title": "Renamed"}, PLANNING),
    # The event has engagement logs, so DELETE cancels it (200) rather than erasing it.
    ("DELETE", "/api/events/{event}", None, PLANNING),
    ("DELETE", "/api/events/{empty_event}", None, expect(204, 403, 403, 403, 204)),
    (
        "POST",
        "/api/events/{event}/copy",
        lambda w: {"starts_at": soon(60).isoformat()},
        expect(201, 403, 403, 403, 201),
    ),
    ("GET", "/api/events/{event}/assignments", None, EVERYONE),
    (
        "POST",
        "/api/events/{event}/assignments",
        lambda w: {"officer_id": w.spare},
        expect(201, 403, 403, 403, 201),
    ),
    (
        "DELETE",
        "/api/events/{event}/assignments/{assignment}",
        None,
        expect(204, 403, 403, 403, 204),
    ),
    ("GET", "/api/events/{event}/kit-bookings", None, EVERYONE),
    (
        "POST",
        "/api/events/{event}/kit-bookings",
        lambda w: {"kit_item_id": w.free_item},
        expect(201, 403, 403, 403, 201),
    ),
    ("DELETE", "/api/events/{event}/kit-bookings/{booking}", None, expect(204, 403, 403, 403, 204)),
    ("POST", "/api/events/{event}/kit-bookings/{booking}/check-out", None, PLANNING),
    (
        "POST",
        "/api/events/{event}/kit-bookings/{out_booking}/return",
        lambda w: {"condition": "ready"},
        PLANNING,
    ),
    ("GET", "/api/events/{event}/logs", None, EVERYONE),
    # Admins may log, but the admin persona has no officer record to log as: 403 says so.
    (
        "POST",
        "/api/events/{event}/logs",
        lambda w: {"visitors": 3},
        expect(201, 201, 404, 403, 403),
    ),
    ("GET", "/api/logs/{my_log}", None, expect(200, 200, 404, 200, 200)),
    ("PATCH", "/api/logs/{my_log}", lambda w: {"visitors": 7}, expect(200, 200, 404, 403, 200)),
    ("DELETE", "/api/logs/{my_log}", None, expect(204, 204, 404, 403, 204)),
    ("GET", "/api/stats/summary", None, expect(200, 403, 403, 200, 200)),
    # An officer sees the figures and debrief of events they are on; others' are not there.
    ("GET", "/api/events/{event}/stats", None, expect(200, 200, 404, 200, 200)),
    ("GET", "/api/events/{event}/debrief.pdf", None, expect(200, 200, 404, 200, 200)),
    ("GET", "/api/reports/engagement.xlsx", None, expect(200, 403, 403, 200, 200)),
    ("GET", "/api/reports/engagement.pdf", None, expect(200, 403, 403, 200, 200)),
    (
        "POST",
        "/api/events/{event}/repeat",
        lambda w: {"every": "week", "count": 3, "dry_run": True},
        PLANNING,
    ),
    ("GET", "/api/series/{series}", None, EVERYONE),
    ("DELETE", "/api/auth/token", None, expect(204, 204, 204, 204, 204, outsider=204)),
]


@pytest.fixture
def world(
    db,
    make_event,
    team,
    planner,
    officer_user,
    other_officer_user,
    manager,
    admin_user,
    outsider,
    topic,
):
    event = now_event(make_event, title="Redbourn County Show")
    me = officer_user.officer
    spare = make_officer(team=team, name="PC Spare")
    assignment = assign(event, me)
    booking = book(event, make_kit())
    out_booking = book(
        event, make_kit(name="Gazebo", tag="GZB-01", category="gazebo"), status="checked_out"
    )
    free_item = make_kit(name="Trailer", tag="TRL-01", category="trailer")
    my_log = log(event, me, visitors=5, topics=[(topic, 2)])
    window_start = soon(90)
    farm_watch = make_event(title="Farm Watch", starts_at=soon(60, 19), ends_at=soon(60, 21))
    series = series_repeat(event=farm_watch, every="month", count=2, user=planner).series
    return SimpleNamespace(
        series=series.pk,
        event=event.pk,
        empty_event=make_event(title="Mistake").pk,
        spare=spare.pk,
        assignment=assignment.pk,
        booking=booking.pk,
        out_booking=out_booking.pk,
        free_item=free_item.pk,
        my_log=my_log.pk,
        window_start=window_start.isoformat().replace("+", "%2B"),
        window_end=(window_start + dt.timedelta(hours=4)).isoformat().replace("+", "%2B"),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "method,path,body,expected", OPERATIONS, ids=[f"{m} {p}" for m, p, _b, _e in OPERATIONS]
)
def test_each_role_gets_what_the_domain_table_says(
    request, world, persona, method, path, body, expected
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    api = as_user(user)
    url = path.format(**vars(world))
    response = api.send(method, url, body(world) if body else None)
    assert response.status_code == expected[persona], response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["detail"]
    elif response.status_code == 200 and url.endswith((".pdf", ".xlsx")):
        assert response.body[:4] in {b"%PDF", b"PK\x03\x04"}
    elif response.status_code == 200:
        assert response["Content-Type"] == "application/json; charset=utf-8"


def test_an_officer_learns_nothing_about_another_officers_entry(world, other_officer_user):
    response = as_user(other_officer_user).get(f"/api/logs/{world.my_log}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such engagement entry."}


def test_an_officer_sees_only_their_own_entries_in_an_event_list(
    world, officer_user, other_officer_user, make_event
):
    mine = as_user(officer_user).get(f"/api/events/{world.event}/logs").json()
    theirs = as_user(other_officer_user).get(f"/api/events/{world.event}/logs").json()
    assert [entry["id"] for entry in mine["items"]] == [world.my_log]
    assert theirs == {"items": [], "count": 0}


def test_the_session_cookie_works_like_a_token(world, planner):
    api = as_user(planner, via="session")
    assert api.get(f"/api/events/{world.event}").status_code == 200
    assert api.patch(f"/api/events/{world.event}", {"title": "Renamed"}).status_code == 200
