"""A three-day show is staffed by day: one shift per day, the event's hours on each day."""

import datetime as dt

import pytest
from django.utils import timezone

from events.models import Assignment, Unavailability
from events.services.staffing import assignment_add

from .api_support import as_user
from .factories import at, make_officer


@pytest.fixture
def show(make_event):
    """Friday 08:30 to Sunday 18:00, across three London days."""
    return make_event(
        title="Redbourn County Show", starts_at=at(2027, 6, 11, 8, 30), ends_at=at(2027, 6, 13, 18)
    )


@pytest.fixture
def hale(team):
    return make_officer(team=team, name="PC Hale")


def test_the_api_puts_an_officer_on_one_shift_per_day(planner, show, hale):
    response = as_user(planner).post(
        f"/api/events/{show.pk}/assignments", {"officer_id": hale.pk, "each_day": True}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["count"] == 3
    assert [(s["starts_at"], s["ends_at"]) for s in body["items"]] == [
        ("2027-06-11T07:30:00Z", "2027-06-11T17:00:00Z"),
        ("2027-06-12T07:30:00Z", "2027-06-12T17:00:00Z"),
        ("2027-06-13T07:30:00Z", "2027-06-13T17:00:00Z"),
    ]
    planned = [a.planned_minutes for a in Assignment.objects.filter(event=show)]
    assert planned == [570, 570, 570]  # 9.5 hours a day, not one 57.5-hour block


def test_a_clash_on_one_day_stores_no_shift_at_all(planner, show, hale):
    Unavailability.objects.create(
        officer=hale, kind="training", starts_at=at(2027, 6, 12, 9), ends_at=at(2027, 6, 12, 12)
    )
    response = as_user(planner).post(
        f"/api/events/{show.pk}/assignments", {"officer_id": hale.pk, "each_day": True}
    )

    assert response.status_code == 409
    assert [c["kind"] for c in response.json()["conflicts"]] == ["officer_unavailable"]
    assert not Assignment.objects.filter(event=show).exists()


def test_each_day_and_a_window_together_are_refused(planner, show, hale):
    response = as_user(planner).post(
        f"/api/events/{show.pk}/assignments",
        {"officer_id": hale.pk, "each_day": True, "starts_at": "2027-06-11T09:00:00+01:00"},
    )
    assert response.status_code == 422
    assert "each_day" in response.json()["detail"]


def test_an_overnight_event_cannot_be_staffed_each_day(planner, make_event, hale):
    vigil = make_event(
        title="Night patrol", starts_at=at(2027, 6, 11, 20), ends_at=at(2027, 6, 13, 4)
    )
    response = as_user(planner).post(
        f"/api/events/{vigil.pk}/assignments", {"officer_id": hale.pk, "each_day": True}
    )
    assert response.status_code == 422
    assert "overnight" in response.json()["detail"]


def test_the_staffing_page_offers_and_makes_one_shift_per_day(client, planner, show, hale):
    client.force_login(planner)
    page = client.get(f"/events/{show.pk}/staff/").content.decode()
    assert "One shift per day" in page
    assert "Fri 11 Jun 2027 08:30–18:00" in page

    response = client.post(
        f"/events/{show.pk}/staff/", {"officer": hale.pk, "role": "support", "each_day": "on"}
    )

    assert response.status_code == 302
    assert Assignment.objects.filter(event=show, officer=hale).count() == 3


def test_a_one_day_event_does_not_offer_shifts_per_day(client, planner, make_event):
    fete = make_event(title="Fete", starts_at=at(2027, 6, 11, 10), ends_at=at(2027, 6, 11, 16))
    client.force_login(planner)
    assert "One shift per day" not in client.get(f"/events/{fete.pk}/staff/").content.decode()


def test_a_shift_can_be_changed_within_its_event(client, planner, show, hale):
    as_user(planner).post(
        f"/api/events/{show.pk}/assignments", {"officer_id": hale.pk, "each_day": True}
    )
    sunday = Assignment.objects.filter(event=show).order_by("starts_at").last()
    client.force_login(planner)
    url = f"/events/{show.pk}/staff/{sunday.pk}/times/"

    changed = client.post(
        url,
        {
            "starts_at_0": "2027-06-13",
            "starts_at_1": "10:00",
            "ends_at_0": "2027-06-13",
            "ends_at_1": "14:00",
        },
    )
    outside = client.post(
        url,
        {
            "starts_at_0": "2027-06-13",
            "starts_at_1": "10:00",
            "ends_at_0": "2027-06-13",
            "ends_at_1": "19:00",
        },
    )

    assert changed.status_code == 302
    sunday.refresh_from_db()
    assert (sunday.starts_at, sunday.ends_at) == (at(2027, 6, 13, 10), at(2027, 6, 13, 14))
    assert outside.status_code == 200
    assert "within the event" in outside.content.decode()
    assert sunday.planned_minutes == 4 * 60


def test_the_event_page_lists_each_days_shift(client, planner, show, hale):
    as_user(planner).post(
        f"/api/events/{show.pk}/assignments", {"officer_id": hale.pk, "each_day": True}
    )
    client.force_login(planner)
    page = client.get(f"/events/{show.pk}/").content.decode()
    for day in ("Fri 11 Jun", "Sat 12 Jun", "Sun 13 Jun"):
        assert f"{day} 08:30–18:00" in page  # one day each: its date once


def test_my_hours_on_the_capture_page_is_about_the_shift_under_way(
    client, officer_user, make_event
):
    now = timezone.now().replace(second=0, microsecond=0)
    show = make_event(
        title="Show", starts_at=now - dt.timedelta(hours=30), ends_at=now + dt.timedelta(hours=3)
    )
    me = officer_user.officer
    assignment_add(
        event=show,
        officer=me,
        starts_at=show.starts_at,
        ends_at=show.starts_at + dt.timedelta(hours=8),
    )
    today = assignment_add(
        event=show,
        officer=me,
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=2),
    )
    client.force_login(officer_user)

    page = client.get(f"/events/{show.pk}/capture/").content.decode()

    start = timezone.localtime(today.starts_at)
    assert f"Planned {start:%a} {start.day} {start:%b %H:%M}" in page
