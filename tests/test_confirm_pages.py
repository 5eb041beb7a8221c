"""Destructive actions ask first, on a page of their own that says what will happen
(issue 14, item 4): taking an officer off, cancelling a kit booking, removing an entry.
Asking changes nothing; only the POST from that page acts."""

import pytest
from django.urls import reverse

from events.models import Assignment, EngagementLog, KitBooking

from .api_support import now_event
from .factories import assign, book, log, make_kit

pytestmark = pytest.mark.django_db


def test_taking_an_officer_off_asks_first(client, planner, make_event, officer_user):
    event = make_event(title="Redbourn County Show")
    shift = assign(event, officer_user.officer)
    client.force_login(planner)
    staff = client.get(reverse("event_staff", args=[event.pk])).content.decode()
    url = reverse("assignment_remove", args=[event.pk, shift.pk])
    assert f'href="{url}"' in staff  # a link to the question, not a one-tap form
    page = client.get(url).content.decode()
    assert "Take PC Officer off this event?" in page
    assert "told by e-mail" in page and "Yes, take them off" in page
    assert Assignment.objects.filter(pk=shift.pk).exists()
    client.post(url)
    assert not Assignment.objects.filter(pk=shift.pk, released=False).exists()


def test_cancelling_a_booking_asks_first_and_check_out_does_not(client, planner, make_event):
    event = make_event(title="Redbourn County Show")
    booking = book(event, make_kit(name="Gazebo"))
    client.force_login(planner)
    url = reverse("booking_action", args=[event.pk, booking.pk, "cancel"])
    page = client.get(url).content.decode()
    assert "Cancel the booking of Gazebo" in page and "Yes, cancel the booking" in page
    booking.refresh_from_db()
    assert booking.status != "cancelled"
    client.post(url)
    assert KitBooking.objects.get(pk=booking.pk).status == "cancelled"
    check_out = reverse("booking_action", args=[event.pk, booking.pk, "check-out"])
    assert client.get(check_out).status_code == 405


def test_removing_an_entry_asks_first(client, officer_user, make_event):
    event = now_event(make_event, title="Redbourn County Show")
    assign(event, officer_user.officer)
    entry = log(event, officer_user.officer, visitors=12)
    client.force_login(officer_user)
    url = reverse("entry_remove", args=[event.pk, entry.pk])
    page = client.get(url).content.decode()
    assert "Remove this entry?" in page and "12 visitors" in page
    assert EngagementLog.objects.current().filter(pk=entry.pk).exists()
    client.post(url)
    assert not EngagementLog.objects.current().filter(pk=entry.pk).exists()


def test_a_multi_day_shift_shows_both_dates(client, planner, make_event, officer_user):
    from .factories import soon

    event = make_event(starts_at=soon(), ends_at=soon(31))  # 09:00 to 09:00 the next day
    shift = assign(event, officer_user.officer)
    client.force_login(planner)
    page = client.get(reverse("assignment_remove", args=[event.pk, shift.pk])).content.decode()
    first, last = soon(), soon(31)
    assert f"{first:%a %-d %b}" in page and f"{last:%a %-d %b}" in page
