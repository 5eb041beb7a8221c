"""A consumable's stock cannot drop below what bookings still to come hold, whichever writer
tries: the kit page, the API, an import or the admin. Each refuses in the same words."""

import pytest
from django.urls import reverse

from events.models import KitItem
from events.services.kit import kit_book

from .admin_support import change_form
from .api_support import as_user
from .factories import at, make_kit
from .test_import import csv_bytes, upload

REFUSAL = "300 Rural crime leaflets are booked"


@pytest.fixture
def leaflets(db):
    return make_kit(
        name="Rural crime leaflets",
        category=KitItem.Category.LEAFLETS,
        consumable=True,
        quantity=500,
    )


@pytest.fixture
def booked(make_event, leaflets):
    show = make_event(
        title="Redbourn County Show", starts_at=at(2030, 7, 3, 9), ends_at=at(2030, 7, 3, 17)
    )
    fete = make_event(
        title="Harpenden fete", starts_at=at(2030, 7, 3, 12), ends_at=at(2030, 7, 3, 16)
    )
    kit_book(event=show, item=leaflets, quantity=200)
    kit_book(event=fete, item=leaflets, quantity=100)
    return leaflets


def stock(item):
    return KitItem.objects.get(pk=item.pk).quantity


def test_the_kit_page_refuses_to_drop_the_stock_below_bookings(client, planner, booked):
    client.force_login(planner)
    data = {
        "name": booked.name,
        "category": "leaflets",
        "condition": "ready",
        "consumable": "on",
        "quantity": 250,
    }
    response = client.post(reverse("kit_edit", args=[booked.pk]), data)

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert stock(booked) == 500


def test_the_api_refuses_with_409_kit_stock(planner, booked):
    response = as_user(planner).patch(f"/api/kit/{booked.pk}", {"quantity": 250})

    assert response.status_code == 409
    found = response.json()["conflicts"]
    assert {c["kind"] for c in found} == {"kit_stock"}
    assert all(REFUSAL in c["message"] for c in found)
    assert stock(booked) == 500


def test_an_import_refuses_and_saves_nothing(client, planner, booked):
    client.force_login(planner)
    rows = [
        ["name", "asset_tag", "category", "condition", "consumable", "quantity"],
        [booked.name, "", "leaflets", "ready", "yes", "250"],
    ]
    dry_run = upload(client, "kit", csv_bytes(rows))

    assert REFUSAL in dry_run.content.decode()
    assert stock(booked) == 500


def test_the_admin_refuses_on_the_form(client, admin_user, booked):
    client.force_login(admin_user)
    url = reverse("admin:events_kititem_change", args=[booked.pk])
    data = change_form(client, booked)
    data["quantity"] = ["250"]
    response = client.post(url, data)

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert stock(booked) == 500


def test_stock_can_drop_to_exactly_what_is_booked(planner, booked):
    assert as_user(planner).patch(f"/api/kit/{booked.pk}", {"quantity": 300}).status_code == 200
    assert stock(booked) == 300
