"""The kit register and its availability over the API."""

import pytest

from .api_support import as_user
from .factories import at, book, make_kit


@pytest.fixture
def api(planner):
    return as_user(planner)


def test_the_register_lists_every_contract_field(api):
    tractor = make_kit(name="Bobby", provenance="Built from recycled parts by ROST")
    item = api.get("/api/kit").json()["items"][0]
    assert {
        "id",
        "name",
        "asset_tag",
        "category",
        "condition",
        "quantity",
        "consumable",
        "provenance",
    } <= set(item)
    assert (item["id"], item["asset_tag"], item["provenance"]) == (
        tractor.pk,
        "MPT-01",
        "Built from recycled parts by ROST",
    )


def test_a_planner_adds_and_changes_kit(api):
    response = api.post("/api/kit", {"name": "Gazebo", "asset_tag": "GZB-01", "category": "gazebo"})
    assert response.status_code == 201
    kit_id = response.json()["id"]
    assert api.patch(f"/api/kit/{kit_id}", {"condition": "needs_repair"}).json()["condition"] == (
        "needs_repair"
    )
    assert api.get(f"/api/kit/{kit_id}").json()["name"] == "Gazebo"
    assert api.get("/api/kit/999").status_code == 404


def test_consumables_have_stock_and_unique_items_a_tag(api):
    leaflets = api.post(
        "/api/kit",
        {"name": "Leaflets", "category": "leaflets", "consumable": True, "quantity": 2000},
    )
    assert leaflets.status_code == 201
    assert (leaflets.json()["quantity"], leaflets.json()["asset_tag"]) == (2000, None)
    untagged = api.post("/api/kit", {"name": "Trailer", "category": "trailer"})
    assert untagged.status_code == 422
    assert (
        api.post(
            "/api/kit", {"name": "Trailer", "category": "trailer", "asset_tag": ""}
        ).status_code
        == 422
    )


@pytest.mark.parametrize(
    "body,field",
    [
        ({"asset_tag": "MPT-01"}, "asset_tag"),  # taken
        ({"category": "spaceship"}, "category"),
        ({"condition": "shiny"}, "condition"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10**20}, "quantity"),
        ({"donor": 1}, "donor"),
        ({"provenance": "x" * 2001}, "provenance"),
    ],
)
def test_bad_kit_is_refused_naming_the_field(api, body, field):
    make_kit()
    response = api.post(
        "/api/kit", {"name": "Tractor", "asset_tag": "TR-9", "category": "tractor", **body}
    )
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


def test_availability_says_what_is_free_for_a_window(api, make_event):
    show = make_event(starts_at=at(2026, 7, 4, 9), ends_at=at(2026, 7, 4, 17))
    booked = make_kit(name="Bobby", tag="MPT-01")
    book(show, booked)
    make_kit(name="Betty", tag="MPT-02")
    make_kit(name="Broken", tag="MPT-03", condition="needs_repair")
    leaflets = make_kit(name="Leaflets", category="leaflets", consumable=True, quantity=500)
    book(show, leaflets, quantity=120)
    response = api.get(
        "/api/kit/availability",
        starts_at="2026-07-04T12:00:00+01:00",
        ends_at="2026-07-04T13:00:00+01:00",
    )
    assert response.status_code == 200, response.content
    free = {
        item["name"]: (item["available"], item["free_quantity"])
        for item in response.json()["items"]
    }
    assert free == {
        "Bobby": (False, 0),
        "Betty": (True, 1),
        "Broken": (False, 0),
        "Leaflets": (True, 380),
    }
    later = api.get(
        "/api/kit/availability",
        starts_at="2026-07-04T17:00:00+01:00",
        ends_at="2026-07-04T18:00:00+01:00",
    ).json()
    assert {i["name"]: i["free_quantity"] for i in later["items"]}["Bobby"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"starts_at": "2026-07-04T12:00:00+01:00"},
        {"starts_at": "2026-07-04T12:00:00", "ends_at": "2026-07-04T13:00:00"},
        {"starts_at": "2026-07-04T13:00:00+01:00", "ends_at": "2026-07-04T12:00:00+01:00"},
    ],
)
def test_availability_needs_a_proper_window(api, params):
    assert api.get("/api/kit/availability", **params).status_code == 422
