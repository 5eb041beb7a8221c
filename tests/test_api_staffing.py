"""Staffing and kit on an event over the API: every clash answers 409 saying what clashes
with what; bookings go out and come back."""

import datetime as dt

import pytest

from events.models import Assignment, KitBooking, Unavailability
from events.services.events import event_cancel

from .api_support import as_user
from .factories import assign, at, book, make_kit, make_officer


@pytest.fixture
def api(planner):
    return as_user(planner)


@pytest.fixture
def show(make_event):
    return make_event(
        title="Redbourn County Show", starts_at=at(2026, 7, 4, 9), ends_at=at(2026, 7, 4, 17)
    )


@pytest.fixture
def market(make_event):
    return make_event(
        title="Harpenden market", starts_at=at(2026, 7, 4, 12), ends_at=at(2026, 7, 4, 15)
    )


def assert_conflict(response, kind, *words):
    assert response.status_code == 409, response.content
    body = response.json()
    assert set(body) == {"detail", "conflicts"}
    assert body["detail"]
    assert [conflict["kind"] for conflict in body["conflicts"]] == [kind]
    conflict = body["conflicts"][0]
    for word in words:
        assert word in conflict["message"]
    return conflict


# ---- assignments ------------------------------------------------------------------------


def test_assigning_an_officer_for_the_whole_event(api, show, team):
    officer = make_officer(team=team, name="PC Hughes")
    response = api.post(
        f"/api/events/{show.pk}/assignments", {"officer_id": officer.pk, "role": "lead"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["officer_id"] == officer.pk
    assert body["officer_name"] == "PC Hughes"
    assert body["role"] == "lead"
    assert dt.datetime.fromisoformat(body["starts_at"]) == show.starts_at
    assert dt.datetime.fromisoformat(body["ends_at"]) == show.ends_at
    listed = api.get(f"/api/events/{show.pk}/assignments").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]


def test_assigning_for_part_of_the_event(api, show, team):
    officer = make_officer(team=team)
    response = api.post(
        f"/api/events/{show.pk}/assignments",
        {
            "officer_id": officer.pk,
            "starts_at": "2026-07-04T12:00:00+01:00",
            "ends_at": "2026-07-04T14:00:00+01:00",
        },
    )
    assert response.status_code == 201
    assert Assignment.objects.get().starts_at == at(2026, 7, 4, 12)


def test_an_officer_already_elsewhere_is_refused_with_409(api, show, market, team):
    officer = make_officer(team=team, name="PC Hughes")
    assign(market, officer)
    response = api.post(f"/api/events/{show.pk}/assignments", {"officer_id": officer.pk})
    conflict = assert_conflict(response, "officer_overlap", "PC Hughes", "Harpenden market")
    assert conflict["officer_id"] == officer.pk
    assert conflict["event_id"] == market.pk
    assert dt.datetime.fromisoformat(conflict["starts_at"]) == market.starts_at


def test_back_to_back_windows_do_not_clash(api, show, market, team):
    officer = make_officer(team=team)
    assign(market, officer)
    response = api.post(
        f"/api/events/{show.pk}/assignments",
        {
            "officer_id": officer.pk,
            "starts_at": "2026-07-04T09:00:00+01:00",
            "ends_at": "2026-07-04T12:00:00+01:00",
        },
    )
    assert response.status_code == 201


def test_an_officer_on_leave_is_refused_with_409(api, show, team):
    officer = make_officer(team=team, name="PC Hughes")
    Unavailability.objects.create(
        officer=officer, kind="leave", starts_at=at(2026, 7, 1), ends_at=at(2026, 7, 8)
    )
    response = api.post(f"/api/events/{show.pk}/assignments", {"officer_id": officer.pk})
    assert_conflict(response, "officer_unavailable", "PC Hughes", "leave")


@pytest.mark.parametrize(
    "body,field",
    [
        ({"officer_id": 999}, "officer_id"),
        ({"role": "lead"}, "officer_id"),
        ({"officer_id": "{officer}", "role": "captain"}, "role"),
        (
            {
                "officer_id": "{officer}",
                "starts_at": "2026-07-05T09:00:00+01:00",
                "ends_at": "2026-07-05T10:00:00+01:00",
            },
            "starts_at",
        ),
        ({"officer_id": "{officer}", "starts_at": "2026-07-04T09:00:00"}, "starts_at"),
        ({"officer_id": "{officer}", "released": True}, "released"),
    ],
)
def test_bad_assignments_are_refused_naming_the_field(api, show, team, body, field):
    officer = make_officer(team=team)
    body = {k: officer.pk if v == "{officer}" else v for k, v in body.items()}
    response = api.post(f"/api/events/{show.pk}/assignments", body)
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


def test_nobody_can_be_assigned_to_a_cancelled_event(api, show, team):
    event_cancel(event=show)
    response = api.post(
        f"/api/events/{show.pk}/assignments", {"officer_id": make_officer(team=team).pk}
    )
    assert response.status_code == 422
    assert "cancelled" in response.json()["detail"]


def test_taking_an_officer_off(api, show, market, team):
    assignment = assign(show, make_officer(team=team))
    assert api.delete(f"/api/events/{market.pk}/assignments/{assignment.pk}").status_code == 404
    assert api.delete(f"/api/events/{show.pk}/assignments/{assignment.pk}").status_code == 204
    assert not Assignment.objects.exists()
    assert api.delete(f"/api/events/{show.pk}/assignments/{assignment.pk}").status_code == 404


# ---- kit bookings -----------------------------------------------------------------------


def test_booking_kit_for_the_event(api, show):
    tractor = make_kit(name="Mini police tractor 'Bobby'")
    response = api.post(f"/api/events/{show.pk}/kit-bookings", {"kit_item_id": tractor.pk})
    assert response.status_code == 201
    body = response.json()
    assert (body["kit_item_id"], body["kit_item_name"], body["quantity"], body["status"]) == (
        tractor.pk,
        "Mini police tractor 'Bobby'",
        1,
        "reserved",
    )
    assert api.get(f"/api/events/{show.pk}/kit-bookings").json()["count"] == 1


def test_kit_booked_elsewhere_is_refused_with_409(api, show, market):
    tractor = make_kit(name="Bobby", tag="MPT-01")
    book(market, tractor)
    response = api.post(f"/api/events/{show.pk}/kit-bookings", {"kit_item_id": tractor.pk})
    conflict = assert_conflict(response, "kit_overlap", "Bobby", "Harpenden market")
    assert conflict["kit_item_id"] == tractor.pk
    assert conflict["event_id"] == market.pk


def test_more_leaflets_than_in_stock_is_refused_with_409(api, show, market):
    leaflets = make_kit(
        name="Rural crime leaflets", category="leaflets", consumable=True, quantity=500
    )
    book(market, leaflets, quantity=400)
    response = api.post(
        f"/api/events/{show.pk}/kit-bookings", {"kit_item_id": leaflets.pk, "quantity": 200}
    )
    assert_conflict(response, "kit_stock", "Only 100 of 500")
    ok = api.post(
        f"/api/events/{show.pk}/kit-bookings", {"kit_item_id": leaflets.pk, "quantity": 100}
    )
    assert ok.status_code == 201


def test_kit_needing_repair_is_refused_with_409(api, show):
    tractor = make_kit(name="Bobby", condition="needs_repair")
    response = api.post(f"/api/events/{show.pk}/kit-bookings", {"kit_item_id": tractor.pk})
    assert_conflict(response, "kit_unavailable", "Bobby", "needs repair")


@pytest.mark.parametrize(
    "body,field",
    [
        ({"kit_item_id": 999}, "kit_item_id"),
        ({"kit_item_id": "{item}", "quantity": 2}, "quantity"),
        ({"kit_item_id": "{item}", "quantity": 0}, "quantity"),
        ({"kit_item_id": "{item}", "quantity": 2**70}, "quantity"),
        ({"kit_item_id": "{item}", "status": "returned"}, "status"),
    ],
)
def test_bad_bookings_are_refused_naming_the_field(api, show, body, field):
    item = make_kit()
    body = {k: item.pk if v == "{item}" else v for k, v in body.items()}
    response = api.post(f"/api/events/{show.pk}/kit-bookings", body)
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


def test_kit_goes_out_and_comes_back_needing_repair(api, show):
    tractor = make_kit()
    booking = book(show, tractor)
    base = f"/api/events/{show.pk}/kit-bookings/{booking.pk}"
    assert api.post(f"{base}/return").status_code == 422  # not out yet
    out = api.post(f"{base}/check-out")
    assert out.status_code == 200
    assert out.json()["status"] == "checked_out"
    assert out.json()["checked_out_at"]
    assert api.delete(base).status_code == 422  # out: record its return instead
    back = api.post(f"{base}/return", {"condition": "needs_repair", "notes": "Flat tyre"})
    assert back.status_code == 200
    assert (
        back.json()["status"],
        back.json()["condition_on_return"],
        back.json()["return_notes"],
    ) == ("returned", "needs_repair", "Flat tyre")
    tractor.refresh_from_db()
    assert tractor.condition == "needs_repair"


def test_returning_with_no_body_means_ready(api, show):
    booking = book(show, make_kit(), status="checked_out")
    response = api.post(f"/api/events/{show.pk}/kit-bookings/{booking.pk}/return")
    assert response.status_code == 200
    assert response.json()["condition_on_return"] == "ready"


def test_a_return_refuses_unknown_conditions_and_fields(api, show):
    booking = book(show, make_kit(), status="checked_out")
    base = f"/api/events/{show.pk}/kit-bookings/{booking.pk}/return"
    assert api.post(base, {"condition": "broken"}).status_code == 422
    assert api.post(base, {"condition": "ready", "returned_by": 3}).status_code == 422


def test_cancelling_a_booking_frees_the_kit(api, show, market):
    tractor = make_kit()
    booking = book(market, tractor)
    assert api.delete(f"/api/events/{show.pk}/kit-bookings/{booking.pk}").status_code == 404
    assert api.delete(f"/api/events/{market.pk}/kit-bookings/{booking.pk}").status_code == 204
    assert KitBooking.objects.get().status == "cancelled"
    assert api.get(f"/api/events/{market.pk}/kit-bookings").json()["count"] == 0
    assert (
        api.post(f"/api/events/{show.pk}/kit-bookings", {"kit_item_id": tractor.pk}).status_code
        == 201
    )
