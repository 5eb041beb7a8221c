"""The admin site lists everything, and every change made there goes through the services:
the same clash refusals, cancelling that releases, moves that carry the plan along."""

import datetime as dt

import pytest
from django.urls import reverse

from events.models import Assignment, EngagementLog, Event, KitBooking, KitItem

from .admin_support import (
    add_form,
    add_row,
    admin_url,
    change_form,
    refusals,
    save,
    set_time,
)
from .api_support import now_event
from .factories import assign, at, book, log, make_kit, make_officer

MODELS = [
    "team",
    "qualification",
    "officer",
    "unavailability",
    "partner",
    "eventtype",
    "topiclist",
    "topic",
    "event",
    "assignment",
    "kititem",
    "kitbooking",
    "engagementlog",
    "exportrecord",
    "apitoken",
    "eventphoto",
    "auditentry",
    "shiftnotice",
    "monthlydigest",
]
DAY = dt.timedelta(days=1)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def show(make_event):
    return make_event(starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17))


@pytest.fixture
def fete(make_event):
    return make_event(title="Fete", starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 15))


@pytest.fixture
def pc(team):
    return make_officer(team=team, name="Siân Llewelyn")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_an_admin_list(admin_client, model):
    assert admin_client.get(reverse(f"admin:events_{model}_changelist")).status_code == 200


def test_an_events_page_in_the_admin_shows_its_staff_and_kit(admin_client, show, pc):
    assign(show, pc)
    book(show, make_kit())
    page = admin_client.get(admin_url(show, "change", show.pk)).content.decode()
    assert "Siân Llewelyn" in page and "MPT-01" in page


# ---- status: read-only, changed by actions ----------------------------------------------


def test_status_cannot_be_typed_into_the_admin_form(admin_client, show):
    data = change_form(admin_client, show)
    assert "status" not in data
    save(admin_client, show, {**data, "status": ["cancelled"]})
    show.refresh_from_db()
    assert show.status == "confirmed"


def test_the_confirm_action_on_the_change_form_confirms_and_bumps_the_sequence(
    admin_client, make_event
):
    draft = make_event(status="draft")
    response = admin_client.post(
        admin_url(draft, "change", draft.pk),
        {"CHANGE_FORM-action": "confirm_events", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.sequence) == ("confirmed", 1)


def test_an_impossible_status_change_is_explained_and_nothing_changes(admin_client, make_event):
    draft = make_event(status="draft")
    response = admin_client.post(
        admin_url(Event, "changelist"),
        {"action": "complete_events", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert messages_of(response) == ["Redbourn County Show: A draft event cannot become completed."]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_cancelling_asks_first_then_releases_staff_and_kit_for_other_events(
    admin_client, show, fete, pc
):
    bobby = make_kit()
    assign(show, pc)
    book(show, bobby)
    asked = admin_client.post(
        admin_url(Event, "changelist"),
        {"action": "cancel_events", "_selected_action": [show.pk]},
    )
    page = asked.content.decode()
    assert "Siân Llewelyn" in page and "MPT-01" in page and "Yes, cancel 1 event" in page
    show.refresh_from_db()
    assert show.status == "confirmed"

    admin_client.post(
        admin_url(Event, "changelist"),
        {"action": "cancel_events", "_selected_action": [show.pk], "confirm": "yes"},
    )
    show.refresh_from_db()
    assert show.status == "cancelled"
    assert Assignment.objects.get(event=show).released
    assert KitBooking.objects.get(event=show).status == "cancelled"

    data = change_form(admin_client, fete)
    add_row(data, "assignments", officer=pc.pk, role="support")
    add_row(data, "kit_bookings", item=bobby.pk, quantity=1)
    assert save(admin_client, fete, data).status_code == 302
    assert Assignment.objects.filter(event=fete, officer=pc).exists()
    assert KitBooking.objects.filter(event=fete, item=bobby, status="reserved").exists()


def test_cancelling_from_the_events_own_page_asks_first_too(admin_client, show, pc):
    assign(show, pc)
    asked = admin_client.post(
        admin_url(show, "change", show.pk),
        {"CHANGE_FORM-action": "cancel_events", "_selected_action": [show.pk]},
    )
    assert "Officers released: Siân Llewelyn" in asked.content.decode()
    show.refresh_from_db()
    assert show.status == "confirmed"


def test_reinstating_lists_what_could_not_come_back(admin_client, show, fete, pc):
    assign(show, pc)
    changelist = admin_url(Event, "changelist")
    admin_client.post(
        changelist,
        {"action": "cancel_events", "_selected_action": [show.pk], "confirm": "yes"},
        follow=True,
    )
    assign(fete, pc)
    response = admin_client.post(
        changelist, {"action": "reinstate_events", "_selected_action": [show.pk]}, follow=True
    )
    show.refresh_from_db()
    assert show.status == "draft"
    assert messages_of(response) == [
        "Redbourn County Show: not brought back: Siân Llewelyn is already on “Fete” "
        "Sun 4 Jul 2027 12:00–15:00.",
        "1 reinstated as drafts.",
    ]
    assert Assignment.objects.get(event=show).released


# ---- saving an event: the services, all or nothing ---------------------------------------


def test_adding_an_event_with_its_lead_in_one_save(admin_client, admin_user, team, pc):
    data = add_form(admin_client, Event)
    data.update(title=["Kimpton Village Fete"], team=[str(team.pk)])
    set_time(data, "starts_at", at(2027, 6, 12, 11))
    set_time(data, "ends_at", at(2027, 6, 12, 16))
    add_row(data, "assignments", officer=pc.pk, role="lead")
    assert save(admin_client, Event, data).status_code == 302
    event = Event.objects.get(title="Kimpton Village Fete")
    assert (event.status, event.created_by, event.lead_officer) == ("draft", admin_user, pc)
    shift = Assignment.objects.get(event=event)
    assert (shift.starts_at, shift.ends_at) == (event.starts_at, event.ends_at)


def test_a_new_event_whose_lead_is_busy_is_not_created_and_says_why(admin_client, show, pc):
    assign(show, pc)
    data = add_form(admin_client, Event)
    data["title"] = ["Harpenden Market"]
    set_time(data, "starts_at", at(2027, 7, 4, 10))
    set_time(data, "ends_at", at(2027, 7, 4, 12))
    row = add_row(data, "assignments", officer=pc.pk, role="lead")
    response = save(admin_client, Event, data)
    message = "Siân Llewelyn is already on “Redbourn County Show” Sun 4 Jul 2027 09:00–17:00."
    assert refusals(response) == [message]
    assert response.context["inline_admin_formsets"][0].formset.forms[row].non_field_errors() == [
        message
    ]
    assert not Event.objects.filter(title="Harpenden Market").exists()


def test_editing_times_moves_staff_and_kit_and_bumps_the_sequence(admin_client, show, pc):
    shift = assign(show, pc, starts_at=at(2027, 7, 4, 10), ends_at=at(2027, 7, 4, 14))
    booking = book(show, make_kit())
    data = change_form(admin_client, show)
    set_time(data, "starts_at", show.starts_at + DAY)
    set_time(data, "ends_at", show.ends_at + DAY)
    assert save(admin_client, show, data).status_code == 302
    show.refresh_from_db()
    shift.refresh_from_db()
    booking.refresh_from_db()
    assert show.sequence == 1
    assert (shift.starts_at, shift.ends_at) == (at(2027, 7, 5, 10), at(2027, 7, 5, 14))
    assert (booking.starts_at, booking.ends_at) == (show.starts_at, show.ends_at)


def test_a_move_into_a_clash_shows_each_clash_and_changes_nothing(
    admin_client, make_event, show, pc
):
    bobby = make_kit()
    assign(show, pc)
    book(show, bobby)
    market = make_event(title="Market", starts_at=at(2027, 7, 5, 9), ends_at=at(2027, 7, 5, 13))
    assign(market, pc)
    book(market, bobby)
    data = change_form(admin_client, show)
    data["title"] = ["Renamed"]
    set_time(data, "starts_at", show.starts_at + DAY)
    set_time(data, "ends_at", show.ends_at + DAY)
    response = save(admin_client, show, data)
    assert refusals(response) == [
        "Siân Llewelyn is already on “Market” Mon 5 Jul 2027 09:00–13:00.",
        "Mini police tractor 'Bobby' (MPT-01) is already booked for “Market” "
        "Mon 5 Jul 2027 09:00–13:00.",
    ]
    show.refresh_from_db()
    assert (show.title, show.starts_at, show.sequence) == (
        "Redbourn County Show",
        at(2027, 7, 4, 9),
        0,
    )
    assert Assignment.objects.get(event=show).starts_at == at(2027, 7, 4, 9)
    assert KitBooking.objects.get(event=show).starts_at == at(2027, 7, 4, 9)


def test_an_end_before_the_start_is_a_form_error_from_the_service(admin_client, show):
    data = change_form(admin_client, show)
    set_time(data, "ends_at", show.starts_at - DAY)
    response = save(admin_client, show, data)
    assert response.context["adminform"].form.errors == {
        "ends_at": ["The end must be after the start."]
    }


# ---- staffing and kit rows ------------------------------------------------------------------


def test_a_clashing_booking_row_shows_the_clash_and_nothing_of_the_save_is_kept(
    admin_client, show, fete
):
    bobby = make_kit()
    book(show, bobby)
    data = change_form(admin_client, fete)
    data["title"] = ["Renamed fete"]
    row = add_row(data, "kit_bookings", item=bobby.pk, quantity=1)
    response = save(admin_client, fete, data)
    message = (
        "Mini police tractor 'Bobby' (MPT-01) is already booked for “Redbourn County Show” "
        "Sun 4 Jul 2027 09:00–17:00."
    )
    assert refusals(response) == [message]
    inline = response.context["inline_admin_formsets"][1].formset
    assert inline.forms[row].non_field_errors() == [message]
    fete.refresh_from_db()
    assert fete.title == "Fete"
    assert not KitBooking.objects.filter(event=fete).exists()


def test_removing_the_lead_officers_row_clears_the_lead(admin_client, show, pc):
    data = change_form(admin_client, show)
    add_row(data, "assignments", officer=pc.pk, role="lead")
    save(admin_client, show, data)
    show.refresh_from_db()
    assert show.lead_officer == pc
    data = change_form(admin_client, show)
    data["assignments-0-DELETE"] = ["on"]
    assert save(admin_client, show, data).status_code == 302
    show.refresh_from_db()
    assert show.lead_officer is None
    assert not Assignment.objects.filter(event=show).exists()


def test_existing_rows_are_read_only_and_a_removed_booking_is_cancelled(admin_client, show):
    booking = book(show, make_kit())
    data = change_form(admin_client, show)
    assert "kit_bookings-0-item" not in data
    data["kit_bookings-0-DELETE"] = ["on"]
    assert save(admin_client, show, data).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_kit_that_is_out_cannot_be_cancelled_and_the_reason_is_shown(admin_client, show):
    booking = book(show, make_kit(), status="checked_out")
    data = change_form(admin_client, show)
    data["kit_bookings-0-DELETE"] = ["on"]
    response = save(admin_client, show, data)
    assert refusals(response) == [
        "Mini police tractor 'Bobby' (MPT-01) for Redbourn County Show: "
        "This kit is checked out: record its return instead."
    ]
    booking.refresh_from_db()
    assert booking.status == "checked_out"


def test_the_admin_refuses_a_double_booked_officer(admin_client, show, fete, pc):
    assign(show, pc)
    response = admin_client.post(
        reverse("admin:events_assignment_add"),
        {
            "event": fete.pk,
            "officer": pc.pk,
            "role": "support",
            "starts_at_0": "2027-07-04",
            "starts_at_1": "12:00",
            "ends_at_0": "2027-07-04",
            "ends_at_1": "15:00",
        },
    )
    assert response.context["adminform"].form.non_field_errors() == [
        "Siân Llewelyn is already on “Redbourn County Show” Sun 4 Jul 2027 09:00–17:00."
    ]
    assert Assignment.objects.filter(event=fete).count() == 0


def test_the_admin_refuses_a_double_booked_tractor(admin_client, show, fete):
    bobby = make_kit()
    book(show, bobby)
    response = admin_client.post(
        reverse("admin:events_kitbooking_add"),
        {"event": fete.pk, "item": bobby.pk, "quantity": 1},
    )
    assert "is already booked for" in response.content.decode()
    assert KitBooking.objects.filter(event=fete).count() == 0


def test_a_booking_added_on_its_own_page_takes_the_events_times(admin_client, show):
    response = admin_client.post(
        reverse("admin:events_kitbooking_add"),
        {"event": show.pk, "item": make_kit().pk, "quantity": 1},
    )
    assert response.status_code == 302
    booking = KitBooking.objects.get(event=show)
    assert (booking.starts_at, booking.ends_at, booking.exclusive) == (
        show.starts_at,
        show.ends_at,
        True,
    )


# ---- the kit register -----------------------------------------------------------------------


def test_kit_added_in_the_admin_follows_the_register_rules(admin_client):
    data = add_form(admin_client, KitItem)
    data.update(name=["Gazebo"], category=["gazebo"], quantity=["1"])
    response = save(admin_client, KitItem, data)
    assert response.context["adminform"].form.errors == {
        "asset_tag": ["A unique item needs an asset tag."]
    }
    data.update(asset_tag=["GZB-01"])
    assert save(admin_client, KitItem, data).status_code == 302
    assert KitItem.objects.get(asset_tag="GZB-01").name == "Gazebo"


# ---- deleting -------------------------------------------------------------------------------


def test_deleting_an_event_without_entries_erases_it_with_its_plan(admin_client, show, pc):
    assign(show, pc)
    response = admin_client.post(admin_url(show, "delete", show.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=show.pk).exists()
    assert not Assignment.objects.filter(officer=pc).exists()


def test_an_event_with_entries_is_not_deleted(admin_client, make_event, pc):
    under_way = now_event(make_event)
    log(under_way, pc, visitors=3)
    admin_client.post(admin_url(under_way, "delete", under_way.pk), {"post": "yes"})
    assert Event.objects.filter(pk=under_way.pk).exists()


# ---- engagement entries ---------------------------------------------------------------------


def test_entries_are_removed_and_restored_by_actions_never_edited(admin_client, make_event, pc):
    entry = log(now_event(make_event), pc, visitors=4)
    changelist = admin_url(EngagementLog, "changelist")
    admin_client.post(changelist, {"action": "remove_entries", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.removed_at is not None
    admin_client.post(changelist, {"action": "restore_entries", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.removed_at is None
    response = admin_client.post(admin_url(entry, "change", entry.pk), {"visitors": 400})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.visitors == 4
