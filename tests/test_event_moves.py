"""Moving an event moves its plan: shifts and kit bookings go with it, clamped to the new
window, and a move into a clash changes nothing (shared/DOMAIN.md, "Moving an event")."""

import datetime as dt

import pytest

from events.models import Assignment, Event, KitBooking, KitItem, Unavailability
from events.services.events import event_update
from events.services.kit import kit_book
from events.services.staffing import assignment_add

from .api_support import as_user
from .factories import at, make_kit, make_officer

DAY = dt.timedelta(days=1)


@pytest.fixture
def show(make_event):
    """A two-day show, staffed by day, with a unique item and some leaflets booked."""
    return make_event(
        title="Redbourn County Show", starts_at=at(2027, 6, 11, 9), ends_at=at(2027, 6, 12, 17)
    )


@pytest.fixture
def plan(show, team):
    officer = make_officer(team=team, name="PC Hale")
    shifts = [
        assignment_add(
            event=show, officer=officer, starts_at=at(2027, 6, 11, 9), ends_at=at(2027, 6, 11, 17)
        ),
        assignment_add(
            event=show, officer=officer, starts_at=at(2027, 6, 12, 9), ends_at=at(2027, 6, 12, 17)
        ),
    ]
    tractor = make_kit()
    leaflets = make_kit(
        name="Leaflets", category=KitItem.Category.LEAFLETS, consumable=True, quantity=100
    )
    bookings = [
        kit_book(event=show, item=tractor),
        kit_book(event=show, item=leaflets, quantity=60),
    ]
    return {
        "officer": officer,
        "shifts": shifts,
        "tractor": tractor,
        "leaflets": leaflets,
        "bookings": bookings,
    }


def windows(rows):
    return [
        (r.starts_at, r.ends_at)
        for r in type(rows[0]).objects.filter(pk__in=[r.pk for r in rows]).order_by("starts_at")
    ]


def test_moving_an_event_a_day_later_moves_its_shifts_and_kit(show, plan):
    event_update(event=show, starts_at=at(2027, 6, 12, 9), ends_at=at(2027, 6, 13, 17))

    assert windows(plan["shifts"]) == [
        (at(2027, 6, 12, 9), at(2027, 6, 12, 17)),
        (at(2027, 6, 13, 9), at(2027, 6, 13, 17)),
    ]
    assert windows(plan["bookings"]) == [(at(2027, 6, 12, 9), at(2027, 6, 13, 17))] * 2


def test_a_shorter_event_clamps_its_shifts_and_takes_off_what_lies_outside(show, plan):
    event_update(event=show, starts_at=at(2027, 6, 11, 10), ends_at=at(2027, 6, 11, 16))

    (left,) = Assignment.objects.filter(event=show, released=False)
    assert left.pk == plan["shifts"][0].pk
    assert (left.starts_at, left.ends_at) == (at(2027, 6, 11, 10), at(2027, 6, 11, 16))
    for booking in KitBooking.objects.filter(event=show):
        assert (booking.starts_at, booking.ends_at) == (at(2027, 6, 11, 10), at(2027, 6, 11, 16))


def test_an_officer_freed_by_a_move_can_be_put_on_the_old_date(show, plan, make_event):
    event_update(event=show, starts_at=show.starts_at + 7 * DAY, ends_at=show.ends_at + 7 * DAY)
    fete = make_event(
        title="Wheathampstead fete", starts_at=at(2027, 6, 11, 10), ends_at=at(2027, 6, 11, 15)
    )

    assignment_add(event=fete, officer=plan["officer"])
    kit_book(event=fete, item=plan["tractor"])
    kit_book(event=fete, item=plan["leaflets"], quantity=100)


def test_a_move_into_a_clash_changes_nothing_and_lists_each_clash(show, plan, make_event, planner):
    other = make_event(
        title="Harpenden market", starts_at=at(2027, 6, 13, 8), ends_at=at(2027, 6, 13, 18)
    )
    assignment_add(event=other, officer=plan["officer"])
    kit_book(event=other, item=plan["tractor"])
    kit_book(event=other, item=plan["leaflets"], quantity=50)
    before = windows(plan["shifts"]) + windows(plan["bookings"])

    response = as_user(planner).patch(
        f"/api/events/{show.pk}",
        {"starts_at": "2027-06-12T09:00:00+01:00", "ends_at": "2027-06-13T17:00:00+01:00"},
    )

    assert response.status_code == 409, response.content
    kinds = sorted(c["kind"] for c in response.json()["conflicts"])
    assert kinds == ["kit_overlap", "kit_stock", "officer_overlap"]
    messages = " ".join(c["message"] for c in response.json()["conflicts"])
    assert "PC Hale is already on “Harpenden market”" in messages
    show.refresh_from_db()
    assert (show.starts_at, show.ends_at) == (at(2027, 6, 11, 9), at(2027, 6, 12, 17))
    assert windows(plan["shifts"]) + windows(plan["bookings"]) == before


def test_a_move_onto_leave_is_refused(show, plan):
    Unavailability.objects.create(
        officer=plan["officer"], kind="leave", starts_at=at(2027, 6, 20), ends_at=at(2027, 6, 27)
    )
    with pytest.raises(Exception) as refused:
        event_update(event=show, starts_at=at(2027, 6, 21, 9), ends_at=at(2027, 6, 22, 17))
    assert "on leave" in str(refused.value)
    assert Event.objects.get(pk=show.pk).starts_at == at(2027, 6, 11, 9)


def test_the_api_move_answers_the_moved_event_and_the_shifts_follow(show, plan, planner):
    api = as_user(planner)
    moved = api.patch(
        f"/api/events/{show.pk}",
        {"starts_at": "2027-06-18T09:00:00+01:00", "ends_at": "2027-06-19T17:00:00+01:00"},
    )

    assert moved.status_code == 200, moved.content
    shifts = api.get(f"/api/events/{show.pk}/assignments").json()["items"]
    assert [s["starts_at"] for s in shifts] == ["2027-06-18T08:00:00Z", "2027-06-19T08:00:00Z"]


def test_moving_bumps_the_calendar_sequence(show, plan):
    before = show.sequence
    event_update(event=show, starts_at=show.starts_at + DAY, ends_at=show.ends_at + DAY)
    show.refresh_from_db()
    assert show.sequence > before


def test_the_web_edit_form_says_what_will_move_then_moves_it(show, plan, planner, client):
    client.force_login(planner)
    form = {
        "title": show.title,
        "starts_at_0": "2027-06-12",
        "starts_at_1": "09:00",
        "ends_at_0": "2027-06-13",
        "ends_at_1": "17:00",
    }
    url = f"/events/{show.pk}/edit/"
    shown = client.post(url, form)

    assert shown.status_code == 200
    text = shown.content.decode()
    assert "1 officer (2 shifts) and 2 kit bookings move to Sat 12 – Sun 13 Jun 2027" in text
    assert Event.objects.get(pk=show.pk).starts_at == at(2027, 6, 11, 9)

    saved = client.post(url, {**form, "confirm_move": "1"})
    assert saved.status_code == 302
    assert windows(plan["shifts"])[0] == (at(2027, 6, 12, 9), at(2027, 6, 12, 17))


def test_the_web_edit_form_shows_each_clash_and_moves_nothing(
    show, plan, planner, client, make_event
):
    other = make_event(
        title="Harpenden market", starts_at=at(2027, 6, 13, 8), ends_at=at(2027, 6, 13, 18)
    )
    assignment_add(event=other, officer=plan["officer"])
    client.force_login(planner)
    form = {
        "title": show.title,
        "starts_at_0": "2027-06-12",
        "starts_at_1": "09:00",
        "ends_at_0": "2027-06-13",
        "ends_at_1": "17:00",
        "confirm_move": "1",
    }
    refused = client.post(f"/events/{show.pk}/edit/", form)

    assert refused.status_code == 200
    assert "PC Hale is already on “Harpenden market”" in refused.content.decode()
    assert Event.objects.get(pk=show.pk).starts_at == at(2027, 6, 11, 9)


def test_no_live_shift_or_booking_lies_outside_its_event(show, plan, planner):
    api = as_user(planner)
    outside = api.post(
        f"/api/events/{show.pk}/assignments",
        {
            "officer_id": make_officer(name="PC Out").pk,
            "starts_at": "2027-06-10T09:00:00+01:00",
            "ends_at": "2027-06-11T12:00:00+01:00",
        },
    )
    assert outside.status_code == 422
    assert "within the event" in outside.json()["detail"]


def test_the_officers_calendar_feed_shows_the_new_times_with_a_higher_sequence(client, show, team):
    import icalendar

    from events.services.calendar import calendar_feed_get

    from .factories import make_user

    user = make_user("hale", "officer")
    officer = make_officer(user, team=team, name="PC Hale")
    assignment_add(
        event=show, officer=officer, starts_at=at(2027, 6, 11, 9), ends_at=at(2027, 6, 11, 17)
    )
    url = f"/calendar/feed/{calendar_feed_get(user=user).key}/mine.ics"

    def shift():
        (vevent,) = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
        return vevent.decoded("dtstart"), int(vevent["sequence"])

    before = shift()
    event_update(event=show, starts_at=show.starts_at + DAY, ends_at=show.ends_at + DAY)
    after = shift()

    assert after[0] == before[0] + DAY
    assert after[1] > before[1]
