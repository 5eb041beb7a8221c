"""iCal feeds at secret per-user URLs: they parse, keep UIDs, grow SEQUENCE, send cancellations,
show only what the key's owner may see, and stop working when the key is reset."""

import datetime as dt

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import permissions
from events.models import Assignment, CalendarFeed, Event, KitBooking
from events.services.calendar import calendar_feed_get, calendar_feed_reset
from events.services.events import event_cancel, event_update
from events.services.staffing import assignment_remove

from .api_support import now_event
from .factories import assign, at, book, log, make_kit, soon


def key_of(user) -> str:
    return calendar_feed_get(user=user).key


def team_url(user, team) -> str:
    return reverse("calendar_feed_team", args=[key_of(user), team.pk])


def mine_url(user) -> str:
    return reverse("calendar_feed_mine", args=[key_of(user)])


def kit_url(user, item) -> str:
    return reverse("calendar_feed_kit", args=[key_of(user), item.pk])


def fetch(client, url) -> icalendar.Calendar:
    """The feed as a calendar app sees it: no session, parsed by icalendar."""
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal) -> dict[str, icalendar.Event]:
    return {str(component["UID"]): component for component in cal.walk("VEVENT")}


def test_a_team_feed_parses_and_describes_each_event(client, manager, make_event, team):
    event = make_event(
        title="Redbourn County Show",
        starts_at=at(2026, 6, 5, 9),
        ends_at=at(2026, 6, 7, 18),
        location="Redbourn Showground",
        postcode="AL3 7QJ",
    )
    cal = fetch(client, team_url(manager, team))
    assert cal["METHOD"] == "PUBLISH"
    assert cal["VERSION"] == "2.0"
    assert str(cal["X-WR-CALNAME"]) == f"Outreach: {team.name}"
    [vevent] = cal.walk("VEVENT")
    assert vevent["UID"] == f"{event.uid}@outreach"
    assert vevent["SUMMARY"] == "Redbourn County Show"
    assert vevent["LOCATION"] == "Redbourn Showground, AL3 7QJ"
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["SEQUENCE"] == 0
    # Times in UTC: 09:00 BST is 08:00Z.
    assert vevent.decoded("DTSTART") == dt.datetime(2026, 6, 5, 8, tzinfo=dt.UTC)
    assert vevent.decoded("DTEND") == dt.datetime(2026, 6, 7, 17, tzinfo=dt.UTC)
    ical_text = vevent.to_ical().decode()
    assert "DTSTART:20260605T080000Z" in ical_text
    assert vevent.decoded("LAST-MODIFIED") == event.updated_at.replace(microsecond=0)
    assert "DTSTAMP" in vevent
    assert vevent["URL"].endswith(reverse("event_detail", args=[event.pk]))
    assert vevent["URL"].startswith("http://testserver/")


def test_the_uid_stays_and_the_sequence_grows_with_each_change(client, planner, make_event, team):
    event = make_event(title="Harpenden fete")
    url = team_url(planner, team)
    before = fetch(client, url).walk("VEVENT")[0]
    event_update(event=event, title="Harpenden summer fete", location="Rothamsted Park")
    after = fetch(client, url).walk("VEVENT")[0]
    assert after["UID"] == before["UID"] == f"{event.uid}@outreach"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["SUMMARY"] == "Harpenden summer fete"
    event_update(event=event, starts_at=event.starts_at + dt.timedelta(hours=1))
    moved = fetch(client, url).walk("VEVENT")[0]
    assert moved["UID"] == before["UID"]
    assert moved["SEQUENCE"] > after["SEQUENCE"]
    assert moved.decoded("DTSTART") == event.starts_at + dt.timedelta(hours=1)


def test_a_cancelled_event_is_still_sent_marked_cancelled(client, planner, make_event, team):
    event = make_event(title="Rained-off fete")
    url = team_url(planner, team)
    sequence = fetch(client, url).walk("VEVENT")[0]["SEQUENCE"]
    event_cancel(event=event)
    [vevent] = fetch(client, url).walk("VEVENT")
    assert vevent["UID"] == f"{event.uid}@outreach"
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] > sequence


def test_a_draft_is_tentative(client, planner, make_event, team):
    make_event(title="Maybe a market", status=Event.Status.DRAFT)
    assert fetch(client, team_url(planner, team)).walk("VEVENT")[0]["STATUS"] == "TENTATIVE"


def test_a_team_feed_holds_only_that_team_and_not_old_history(
    client, officer_user, make_event, team, other_team
):
    make_event(title="ROST show")
    make_event(title="NPT fete", team=other_team)
    make_event(title="Long ago", starts_at=soon(days=-800))
    summaries = [
        str(v["SUMMARY"]) for v in fetch(client, team_url(officer_user, team)).walk("VEVENT")
    ]
    assert summaries == ["ROST show"]


def test_my_feed_holds_my_shifts_each_with_its_own_window(
    client, officer_user, other_officer_user, make_event
):
    me = permissions.officer_for(officer_user)
    them = permissions.officer_for(other_officer_user)
    show = make_event(title="County Show", starts_at=at(2026, 6, 5, 9), ends_at=at(2026, 6, 7, 18))
    friday = assign(show, me, starts_at=at(2026, 6, 5, 9), ends_at=at(2026, 6, 5, 17))
    sunday = assign(show, me, starts_at=at(2026, 6, 7, 9), ends_at=at(2026, 6, 7, 18), role="lead")
    assign(make_event(title="Their market"), them)
    cal = fetch(client, mine_url(officer_user))
    assert str(cal["X-WR-CALNAME"]) == "Outreach: my shifts"
    events = vevents(cal)
    assert sorted(events) == sorted(
        [f"{show.uid}-shift-{friday.pk}@outreach", f"{show.uid}-shift-{sunday.pk}@outreach"]
    )
    shift = events[f"{show.uid}-shift-{sunday.pk}@outreach"]
    assert shift["SUMMARY"] == "County Show (lead)"
    assert shift.decoded("DTSTART") == dt.datetime(2026, 6, 7, 8, tzinfo=dt.UTC)
    assert "Your role: Lead" in str(shift["DESCRIPTION"])
    # The shift UID stays when the event changes, and its sequence follows the event's.
    event_update(event=show, title="Redbourn County Show")
    again = vevents(fetch(client, mine_url(officer_user)))[shift["UID"]]
    assert again["SEQUENCE"] > shift["SEQUENCE"]
    assert again["SUMMARY"] == "Redbourn County Show (lead)"


def test_a_shift_taken_off_the_rota_is_sent_cancelled(client, officer_user, make_event):
    me = permissions.officer_for(officer_user)
    event = now_event(make_event, title="Farm Watch")  # under way: the officer has logged
    shift = assign(event, me)
    log(event, me, visitors=3)  # with a log, removing the shift keeps it as released
    before = vevents(fetch(client, mine_url(officer_user)))
    assignment_remove(assignment=shift)
    assert Assignment.objects.get(pk=shift.pk).released
    uid = f"{event.uid}-shift-{shift.pk}@outreach"
    after = vevents(fetch(client, mine_url(officer_user)))[uid]
    assert after["STATUS"] == "CANCELLED"
    assert after["SEQUENCE"] > before[uid]["SEQUENCE"]


def test_my_shifts_on_a_cancelled_event_are_sent_cancelled(client, officer_user, make_event):
    event = make_event(title="Fete")
    assign(event, permissions.officer_for(officer_user))
    event_cancel(event=event)
    [vevent] = fetch(client, mine_url(officer_user)).walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED"


def test_a_kit_feed_holds_that_items_bookings(client, officer_user, make_event):
    tractor = make_kit()
    other = make_kit(name="Mini police tractor 'Alfie'", tag="MPT-02")
    show = make_event(title="County Show")
    booking = book(show, tractor)
    book(make_event(title="Elsewhere", starts_at=soon(days=50)), other)
    cancelled = book(make_event(title="Fete", starts_at=soon(days=60)), tractor, status="cancelled")
    events = vevents(fetch(client, kit_url(officer_user, tractor)))
    assert sorted(events) == sorted(
        [
            f"{show.uid}-kit-{booking.pk}@outreach",
            f"{cancelled.event.uid}-kit-{cancelled.pk}@outreach",
        ]
    )
    live = events[f"{show.uid}-kit-{booking.pk}@outreach"]
    assert live["SUMMARY"] == "Mini police tractor 'Bobby': County Show"
    assert live["STATUS"] == "CONFIRMED"
    assert events[f"{cancelled.event.uid}-kit-{cancelled.pk}@outreach"]["STATUS"] == "CANCELLED"


def test_a_consumable_booking_says_how_many(client, planner, make_event):
    leaflets = make_kit(
        name="Rural crime leaflets", category="leaflets", consumable=True, quantity=500
    )
    book(make_event(title="Market"), leaflets, quantity=120)
    [vevent] = fetch(client, kit_url(planner, leaflets)).walk("VEVENT")
    assert vevent["SUMMARY"] == "120 × Rural crime leaflets: Market"


def test_a_wrong_key_is_404(client, planner, team):
    key_of(planner)
    for url in [
        reverse("calendar_feed_team", args=["not-the-key", team.pk]),
        reverse("calendar_feed_mine", args=["x" * 43]),
    ]:
        assert client.get(url).status_code == 404


def test_resetting_the_key_kills_the_old_urls(client, officer_user, team, make_event):
    make_event()
    old_team, old_mine = team_url(officer_user, team), mine_url(officer_user)
    old_key = key_of(officer_user)
    assert client.get(old_team).status_code == 200
    feed = calendar_feed_reset(user=officer_user)
    assert feed.key != old_key
    assert client.get(old_team).status_code == 404
    assert client.get(old_mine).status_code == 404
    assert client.get(team_url(officer_user, team)).status_code == 200


def test_the_reset_button_is_a_post_that_resets(client, planner, team):
    client.force_login(planner)
    old_url = team_url(planner, team)
    assert client.get(reverse("calendar_feeds_reset")).status_code == 405
    response = client.post(reverse("calendar_feeds_reset"), follow=True)
    assert response.status_code == 200
    assert "The old ones no longer work" in response.content.decode()
    assert client.get(old_url).status_code == 404
    assert CalendarFeed.objects.filter(user=planner).count() == 1


def test_a_user_who_loses_their_role_loses_their_feeds(client, officer_user, team):
    url = team_url(officer_user, team)
    assert client.get(url).status_code == 200
    officer_user.groups.clear()
    assert client.get(url).status_code == 404
    officer_user.groups.add(Group.objects.get(name=permissions.OFFICER))
    officer_user.is_active = False
    officer_user.save()
    assert client.get(url).status_code == 404


def test_a_user_without_a_role_gets_no_feed_and_no_page(client, outsider, team):
    client.force_login(outsider)
    assert client.get(reverse("calendar_feeds")).status_code == 403
    feed = CalendarFeed.objects.create(user=outsider, key="k" * 43)
    assert client.get(reverse("calendar_feed_team", args=[feed.key, team.pk])).status_code == 404


def test_unknown_teams_and_kit_are_404(client, planner):
    assert (
        client.get(reverse("calendar_feed_team", args=[key_of(planner), 999999])).status_code == 404
    )
    assert (
        client.get(reverse("calendar_feed_kit", args=[key_of(planner), 999999])).status_code == 404
    )


def test_someone_with_no_officer_record_has_no_shift_feed(client, manager, team):
    assert client.get(mine_url(manager)).status_code == 404
    assert client.get(team_url(manager, team)).status_code == 200
    client.force_login(manager)
    html = client.get(reverse("calendar_feeds")).content.decode()
    assert "My shifts" not in html


def test_the_feeds_page_lists_my_urls(client, officer_user, team, other_team):
    tractor = make_kit()
    client.force_login(officer_user)
    response = client.get(reverse("calendar_feeds"))
    assert response.status_code == 200
    html = response.content.decode()
    key = CalendarFeed.objects.get(user=officer_user).key
    for url in [
        reverse("calendar_feed_mine", args=[key]),
        reverse("calendar_feed_team", args=[key, team.pk]),
        reverse("calendar_feed_team", args=[key, other_team.pk]),
        reverse("calendar_feed_kit", args=[key, tractor.pk]),
    ]:
        assert f'value="http://testserver{url}"' in html
        assert f'href="webcal://testserver{url}"' in html
    # Visiting again keeps the same key.
    client.get(reverse("calendar_feeds"))
    assert CalendarFeed.objects.get(user=officer_user).key == key


def test_feed_queries_do_not_grow_with_the_number_of_events(client, officer_user, make_event, team):
    me = permissions.officer_for(officer_user)
    tractor = make_kit()
    urls = [team_url(officer_user, team), mine_url(officer_user), kit_url(officer_user, tractor)]

    def add(n):
        event = make_event(title=f"Event {n}", starts_at=soon(days=10 + n))
        assign(event, me)
        book(event, tractor)

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    add(0)
    few = counts()
    for n in range(1, 25):
        add(n)
    assert counts() == few
    assert KitBooking.objects.count() == 25


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_feeds_only_answer_get(client, planner, team, method):
    assert getattr(client, method)(team_url(planner, team)).status_code == 405
