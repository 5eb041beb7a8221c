"""Cancelling asks first and says what it releases; a cancelled event can be reinstated, taking
back its officers and kit where still free and listing what could not come back."""

import pytest

from events.models import Assignment, AuditEntry, Event, KitBooking
from events.services.events import event_cancel
from events.services.kit import kit_book
from events.services.staffing import assignment_add

from .api_support import as_user
from .factories import at, make_kit, make_officer


@pytest.fixture
def show(make_event):
    return make_event(
        title="Redbourn County Show", starts_at=at(2027, 7, 3, 9), ends_at=at(2027, 7, 3, 17)
    )


@pytest.fixture
def fete(make_event):
    return make_event(
        title="Wheathampstead fete", starts_at=at(2027, 7, 3, 12), ends_at=at(2027, 7, 3, 16)
    )


@pytest.fixture
def staffed(show, team):
    hale = make_officer(team=team, name="PC Hale")
    moss = make_officer(team=team, name="PCSO Moss")
    tractor = make_kit()
    return {
        "hale": assignment_add(event=show, officer=hale, role=Assignment.Role.LEAD),
        "moss": assignment_add(event=show, officer=moss),
        "tractor": kit_book(event=show, item=tractor),
    }


def test_cancel_asks_first_and_says_what_it_releases(client, planner, show, staffed):
    client.force_login(planner)
    page = client.get(f"/events/{show.pk}/cancel/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Cancelling releases 2 officers and 1 kit booking" in text
    assert "PC Hale" in text and "PCSO Moss" in text and "MPT-01" in text
    assert Event.objects.get(pk=show.pk).status == Event.Status.CONFIRMED


def test_the_old_one_tap_cancel_now_leads_to_the_confirmation(client, planner, show):
    client.force_login(planner)
    response = client.post(f"/events/{show.pk}/status/", {"status": "cancelled"})

    assert response.status_code == 302
    assert response["Location"] == f"/events/{show.pk}/cancel/"
    assert Event.objects.get(pk=show.pk).status == Event.Status.CONFIRMED


def test_confirming_cancels_and_releases_staff_and_kit(client, planner, show, staffed):
    client.force_login(planner)
    response = client.post(f"/events/{show.pk}/cancel/")

    assert response.status_code == 302
    assert Event.objects.get(pk=show.pk).status == Event.Status.CANCELLED
    assert not Assignment.objects.live().filter(event=show).exists()
    assert not KitBooking.objects.live().filter(event=show).exists()


def test_reinstating_brings_everyone_back_where_free_and_lists_the_rest(
    client, planner, show, fete, staffed
):
    event_cancel(event=show)
    assignment_add(event=fete, officer=staffed["moss"].officer)  # Moss is now busy
    client.force_login(planner)

    response = client.post(f"/events/{show.pk}/reinstate/", follow=True)

    text = response.content.decode()
    assert Event.objects.get(pk=show.pk).status == Event.Status.DRAFT
    assert "1 could not come back" in text
    assert "PCSO Moss is already on “Wheathampstead fete”" in text
    live = Assignment.objects.live().filter(event=show)
    assert [a.officer.name for a in live] == ["PC Hale"]
    assert KitBooking.objects.live().filter(event=show).count() == 1


def test_the_api_reinstates_and_answers_the_unfilled(planner, show, fete, staffed):
    api = as_user(planner)
    assert api.patch(f"/api/events/{show.pk}", {"status": "cancelled"}).status_code == 200
    kit_book(event=fete, item=staffed["tractor"].item)

    response = api.post(f"/api/events/{show.pk}/reinstate")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert [c["kind"] for c in body["unfilled"]] == ["kit_overlap"]
    assert "Wheathampstead fete" in body["unfilled"][0]["message"]
    assert sorted(
        a["officer_name"] for a in api.get(f"/api/events/{show.pk}/assignments").json()["items"]
    ) == [
        "PC Hale",
        "PCSO Moss",
    ]


def test_only_a_cancelled_event_can_be_reinstated(planner, show):
    response = as_user(planner).post(f"/api/events/{show.pk}/reinstate")
    assert response.status_code == 422
    assert "Only a cancelled event" in response.json()["detail"]


def test_officers_cannot_cancel_or_reinstate(client, officer_user, show):
    client.force_login(officer_user)
    assert client.get(f"/events/{show.pk}/cancel/").status_code in {403, 404}
    assert client.post(f"/events/{show.pk}/reinstate/").status_code in {403, 404}
    assert as_user(officer_user).post(f"/api/events/{show.pk}/reinstate").status_code == 403


def test_each_step_is_in_the_events_history(planner, show, staffed):
    api = as_user(planner)
    api.patch(f"/api/events/{show.pk}", {"status": "cancelled"})
    api.post(f"/api/events/{show.pk}/reinstate")

    statuses = [
        entry.changes["status"]
        for entry in AuditEntry.objects.filter(model="event", object_id=str(show.pk)).order_by(
            "at", "id"
        )
        if "status" in entry.changes
    ]
    assert statuses[-2:] == [["confirmed", "cancelled"], ["cancelled", "draft"]]
