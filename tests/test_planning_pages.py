"""Planners plan through web forms; officers and managers may look but not change."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Assignment, Event, KitBooking, KitItem, Unavailability

from .factories import assign, at, book, make_kit, make_officer

FORM = {
    "title": "Kimpton Village Fete",
    "starts_at_0": "2027-06-12",
    "starts_at_1": "11:00",
    "ends_at_0": "2027-06-12",
    "ends_at_1": "16:00",
    "location": "Kimpton Recreation Ground",
    "postcode": "SG4 8RB",
}


def test_a_planner_creates_a_draft_event_in_uk_time(client, planner, team):
    client.force_login(planner)
    response = client.post(reverse("event_create"), {**FORM, "team": team.pk})
    event = Event.objects.get(title="Kimpton Village Fete")
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert event.status == "draft" and event.created_by == planner
    assert event.starts_at == dt.datetime(2027, 6, 12, 10, 0, tzinfo=dt.UTC)  # BST is UTC+1


def test_end_before_start_is_a_form_error(client, planner):
    client.force_login(planner)
    response = client.post(reverse("event_create"), {**FORM, "ends_at_1": "10:00"})
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
    assert not Event.objects.exists()


def test_a_time_lost_to_the_march_clock_change_is_refused(client, planner):
    client.force_login(planner)
    response = client.post(
        reverse("event_create"),
        {**FORM, "starts_at_0": "2027-03-28", "starts_at_1": "01:30", "ends_at_0": "2027-03-28"},
    )
    assert "does not exist in UK time" in response.content.decode()
    assert not Event.objects.exists()


def test_a_time_repeated_by_the_october_clock_change_is_refused(client, planner):
    client.force_login(planner)
    response = client.post(
        reverse("event_create"),
        {**FORM, "starts_at_0": "2026-10-25", "starts_at_1": "01:30", "ends_at_0": "2026-10-25"},
    )
    assert "happens twice in UK time" in response.content.decode()
    assert not Event.objects.exists()


def test_editing_bumps_the_calendar_sequence(client, planner, make_event):
    client.force_login(planner)
    event = make_event(title="Old title")
    response = client.post(reverse("event_edit", args=[event.pk]), {**FORM, "title": "New title"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "New title" and event.sequence == 1


def test_confirm_then_cancel_releases_officers_and_kit(client, planner, make_event, team):
    client.force_login(planner)
    event = make_event(status="draft")
    assign(event, make_officer(team=team))
    book(event, make_kit())
    client.post(reverse("event_status", args=[event.pk]), {"status": "confirmed"})
    event.refresh_from_db()
    assert event.status == "confirmed"
    asked = client.post(reverse("event_status", args=[event.pk]), {"status": "cancelled"})
    assert asked["Location"] == reverse("event_cancel", args=[event.pk])
    event.refresh_from_db()
    assert event.status == "confirmed"  # cancelling is confirmed on its own page
    client.post(reverse("event_cancel", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert event.assignments.get().released
    assert event.kit_bookings.get().status == "cancelled"


def test_an_impossible_status_change_is_explained(client, planner, make_event):
    client.force_login(planner)
    event = make_event(status="draft")
    response = client.post(
        reverse("event_status", args=[event.pk]), {"status": "completed"}, follow=True
    )
    assert "cannot become completed" in response.content.decode()


def test_the_picker_shows_who_is_free_and_why_not(client, planner, make_event, team):
    client.force_login(planner)
    event = make_event(starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17))
    other = make_event(
        title="Markyate Fete", starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 15)
    )
    busy = make_officer(team=team, name="Busy Bethan")
    away = make_officer(team=team, name="Away Owain")
    make_officer(team=team, name="Free Fatima")
    assign(other, busy)
    Unavailability.objects.create(
        officer=away, kind="leave", starts_at=at(2027, 7, 1), ends_at=at(2027, 7, 8)
    )
    html = client.get(reverse("event_staff", args=[event.pk])).content.decode()
    assert "Busy Bethan is already on “Markyate Fete”" in html
    assert "Away Owain is on leave" in html
    assert "Free Fatima" in html


def test_the_picker_query_count_does_not_grow_with_officers(client, planner, make_event, team):
    client.force_login(planner)
    event = make_event()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("event_staff", args=[event.pk])).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        make_officer(team=team)
    few = count()
    for _ in range(20):
        make_officer(team=team)
    assert count() == few


def test_assigning_an_officer_and_reading_the_clash(client, planner, make_event, team):
    client.force_login(planner)
    event = make_event(starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17))
    other = make_event(
        title="Markyate Fete", starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 15)
    )
    pc = make_officer(team=team, name="Siân Llewelyn")
    url = reverse("event_staff", args=[event.pk])
    assert client.post(url, {"officer": pc.pk, "role": "lead"}).status_code == 302
    assert Assignment.objects.get(event=event).role == "lead"
    response = client.post(
        reverse("event_staff", args=[other.pk]), {"officer": pc.pk, "role": "support"}
    )
    assert response.status_code == 200
    assert "Siân Llewelyn is already on “Redbourn County Show”" in response.content.decode()
    assert not Assignment.objects.filter(event=other).exists()


def test_booking_kit_checking_out_and_returning_needing_repair(client, planner, make_event):
    client.force_login(planner)
    event = make_event()
    bobby = make_kit()
    url = reverse("event_kit", args=[event.pk])
    assert client.post(url, {"item": bobby.pk, "quantity": 1}).status_code == 302
    booking = KitBooking.objects.get(event=event)
    client.post(reverse("booking_action", args=[event.pk, booking.pk, "check-out"]))
    client.post(
        reverse("booking_action", args=[event.pk, booking.pk, "return"]),
        {"condition": "needs_repair", "notes": "Puncture"},
    )
    booking.refresh_from_db()
    bobby.refresh_from_db()
    assert booking.status == "returned" and booking.return_notes == "Puncture"
    assert bobby.condition == "needs_repair"
    second = client.post(url, {"item": bobby.pk, "quantity": 1})
    assert "cannot be booked until it is ready" in second.content.decode()


def test_copy_forward_from_the_page_lists_what_was_not_filled(client, planner, make_event, team):
    client.force_login(planner)
    show = make_event(starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17))
    bobby = make_kit()
    book(show, bobby)
    clash = make_event(
        title="Clashing fete", starts_at=at(2028, 7, 2, 9), ends_at=at(2028, 7, 2, 12)
    )
    book(clash, bobby)
    response = client.post(
        reverse("event_copy", args=[show.pk]),
        {"starts_at_0": "2028-07-02", "starts_at_1": "09:00"},
        follow=True,
    )
    html = response.content.decode()
    assert "1 left unfilled" in html and "Clashing fete" in html
    copy = Event.objects.get(copied_from=show)
    assert copy.status == "draft" and not copy.kit_bookings.exists()


def test_the_kit_register_lists_filters_and_edits(client, planner):
    client.force_login(planner)
    make_kit(name="Mini police tractor 'Bobby'", tag="MPT-01")
    make_kit(name="Broken gazebo", tag="GZB-09", category="gazebo", condition="needs_repair")
    response = client.get(reverse("kit_list"), {"condition": "needs_repair"})
    assert [r.record.asset_tag for r in response.context["table"].rows] == ["GZB-09"]
    now = client.get(reverse("kit_list"), {"available_now": "on"})
    assert [r.record.asset_tag for r in now.context["table"].rows] == ["MPT-01"]
    response = client.post(
        reverse("kit_create"),
        {
            "name": "Leaflets",
            "category": "leaflets",
            "condition": "ready",
            "consumable": "on",
            "quantity": 500,
        },
    )
    assert response.status_code == 302
    assert KitItem.objects.get(name="Leaflets").quantity == 500
    refused = client.post(
        reverse("kit_create"),
        {
            "name": "Untagged",
            "category": "gazebo",
            "condition": "ready",
            "quantity": 1,
        },
    )
    assert "A unique item needs an asset tag." in refused.content.decode()


def test_availability_shows_free_booked_and_not_ready(client, manager, make_event):
    client.force_login(manager)
    event = make_event(
        title="Redbourn County Show", starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17)
    )
    booked = make_kit(name="Bobby", tag="MPT-01")
    make_kit(name="Penny", tag="MPT-02")
    make_kit(name="Old gazebo", tag="GZB-01", category="gazebo", condition="needs_repair")
    leaflets = make_kit(name="Leaflets", category="leaflets", consumable=True, quantity=1000)
    book(event, booked)
    book(event, leaflets, quantity=250)
    response = client.get(
        reverse("kit_availability"),
        {
            "starts_at_0": "2027-07-04",
            "starts_at_1": "10:00",
            "ends_at_0": "2027-07-04",
            "ends_at_1": "11:00",
        },
    )
    rows = {r.item.name: r for r in response.context["rows"]}
    assert rows["Bobby"].state == "booked" and rows["Bobby"].booked_for[0].event == event
    assert rows["Penny"].state == "free"
    assert rows["Old gazebo"].state == "not_ready"
    assert rows["Leaflets"].free_quantity == 750
    assert "Redbourn County Show" in response.content.decode()


def test_officer_and_kit_lists_have_constant_query_counts(client, planner, team):
    client.force_login(planner)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_officer(team=team)
    make_kit(tag="K-0")
    before = (count(reverse("officer_list")), count(reverse("kit_list")))
    for n in range(1, 30):
        make_officer(team=team)
        make_kit(tag=f"K-{n}")
    assert (count(reverse("officer_list")), count(reverse("kit_list"))) == before


@pytest.mark.parametrize("persona", ["officer_user", "manager"])
def test_officers_and_managers_may_not_plan(client, request, persona, make_event):
    client.force_login(request.getfixturevalue(persona))
    event = make_event()
    booking = book(event, make_kit())
    for url in [
        reverse("event_create"),
        reverse("event_edit", args=[event.pk]),
        reverse("event_copy", args=[event.pk]),
        reverse("event_staff", args=[event.pk]),
        reverse("event_kit", args=[event.pk]),
        reverse("kit_create"),
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("event_status", args=[event.pk]), {"status": "cancelled"}).status_code
        == 403
    )
    assert (
        client.post(reverse("booking_action", args=[event.pk, booking.pk, "cancel"])).status_code
        == 403
    )
    event.refresh_from_db()
    booking.refresh_from_db()
    assert event.status == "confirmed" and booking.status == "reserved"


def test_planning_an_event_that_does_not_exist_is_404(client, planner):
    client.force_login(planner)
    assert client.get(reverse("event_staff", args=[424242])).status_code == 404


def test_an_event_is_marked_completed_only_once_it_has_started(client, planner, make_event):
    """One rule in the service: the page offers it only then, and the API is refused before."""
    from .api_support import as_user, now_event

    client.force_login(planner)
    ahead = make_event(title="Redbourn County Show")  # a month ahead, confirmed
    page = client.get(reverse("event_detail", args=[ahead.pk])).content.decode()
    assert "Mark completed" not in page
    refused = client.post(
        reverse("event_status", args=[ahead.pk]), {"status": "completed"}, follow=True
    )
    assert "only once it has started" in refused.content.decode()
    ahead.refresh_from_db()
    assert ahead.status == "confirmed"
    api = as_user(planner).patch(f"/api/events/{ahead.pk}", {"status": "completed"})
    assert api.status_code == 422 and "only once it has started" in str(api.json())

    under_way = now_event(make_event, title="Harpenden Fete")
    page = client.get(reverse("event_detail", args=[under_way.pk])).content.decode()
    assert "Mark completed" in page
    client.post(reverse("event_status", args=[under_way.pk]), {"status": "completed"})
    under_way.refresh_from_db()
    assert under_way.status == "completed"


def test_the_kit_register_says_where_each_item_is(client, planner, make_event):
    from .api_support import now_event
    from .factories import book, make_kit

    out = make_kit(name="Rusty the mini tractor", tag="MPT-01")
    later = make_kit(name="Blue gazebo", tag="GZ-01")
    idle = make_kit(name="Tall leaflet rack", tag="LS-01")
    show = now_event(make_event, title="Redbourn County Show")
    book(show, out)
    book(make_event(title="Harpenden Fete"), later)
    client.force_login(planner)
    html = client.get(reverse("kit_list")).content.decode()
    row = lambda name: html[html.index(name) : html.index("</tr>", html.index(name))]  # noqa: E731
    tractor = row("Rusty the mini tractor")
    assert "Out now" in tractor and "Redbourn County Show" in tractor
    assert "Next:" in row("Blue gazebo") and "Harpenden Fete" in row("Blue gazebo")
    assert "Not booked" in row("Tall leaflet rack")
    assert 'class="tag tag-ready"' in html and idle.condition == "ready"


def test_filters_say_how_many_are_in_use(client, planner):
    client.force_login(planner)
    html = client.get(reverse("kit_list"), {"category": "tractor", "q": "Rusty"}).content.decode()
    assert "<summary>Filter <span" in html and "(2 active)" in html
    plain = client.get(reverse("kit_list")).content.decode()
    assert "<summary>Filter</summary>" in plain


def test_the_kit_register_reads_plainly(client, planner):
    from .factories import make_kit

    make_kit(name="Crime prevention leaflets", consumable=True, quantity=1200, category="leaflets")
    make_kit(name="Rusty the mini tractor", tag="MPT-01")
    client.force_login(planner)
    html = client.get(reverse("kit_list")).content.decode()
    assert ">1,200<" in html  # thousands separated
    assert 'class="nowrap" data-label="Tag">MPT-01<' in html  # an asset tag never wraps


def test_a_refused_assignment_is_explained_at_the_top_of_the_page(
    client, planner, make_event, officer_user
):
    """On a phone the refusal must not start at the bottom of the first screen."""
    from .factories import assign

    first = make_event(title="Redbourn County Show")
    assign(first, officer_user.officer)
    clash = make_event(title="Harpenden Fete")
    client.force_login(planner)
    html = client.post(
        reverse("event_staff", args=[clash.pk]),
        {"officer": officer_user.officer.pk, "role": "support"},
    ).content.decode()
    assert 'class="error-summary"' in html
    assert html.index('class="error-summary"') < html.index("<h2>On the event</h2>")
