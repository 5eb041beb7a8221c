"""No double booking: each clash kind refused with a message naming the clash."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events import conflicts
from events.models import Assignment, KitBooking, Unavailability
from events.services import ConflictError
from events.services.events import event_cancel, event_copy
from events.services.kit import kit_book, kit_check_out, kit_item_save, kit_return
from events.services.officers import officer_save
from events.services.staffing import assignment_add
from events.time import utc_duration

from .factories import at, make_kit, make_officer


def refusal(call) -> conflicts.Conflict:
    with pytest.raises(ConflictError) as refused:
        call()
    assert len(refused.value.conflicts) >= 1
    return refused.value.conflicts[0]


@pytest.fixture
def show(make_event):
    return make_event(
        title="Redbourn County Show", starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17)
    )


@pytest.fixture
def fete(make_event):
    return make_event(
        title="Flamstead Fete", starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 16)
    )


def test_an_officer_cannot_be_on_two_overlapping_windows(show, fete, team):
    pc = make_officer(team=team, name="Siân Llewelyn")
    assignment_add(event=show, officer=pc)
    clash = refusal(lambda: assignment_add(event=fete, officer=pc))
    assert clash.kind == "officer_overlap"
    assert "Siân Llewelyn" in clash.message and "Redbourn County Show" in clash.message
    assert "Sun 4 Jul 2027 09:00–17:00" in clash.message
    assert clash.event_id == show.pk
    assert Assignment.objects.filter(event=fete).count() == 0


def test_back_to_back_windows_are_fine(show, fete, team):
    pc = make_officer(team=team)
    assignment_add(event=show, officer=pc, starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 12))
    assignment_add(event=fete, officer=pc, starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 14))
    item = make_kit()
    kit_book(event=show, item=item, starts_at=at(2027, 7, 4, 10), ends_at=at(2027, 7, 4, 12))
    kit_book(event=fete, item=item, starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 16))
    assert KitBooking.objects.count() == 2


def test_an_officer_on_leave_or_training_cannot_be_assigned(show, team):
    pc = make_officer(team=team, name="Tom Ashworth")
    Unavailability.objects.create(
        officer=pc, kind="training", starts_at=at(2027, 7, 4, 8), ends_at=at(2027, 7, 4, 10)
    )
    clash = refusal(lambda: assignment_add(event=show, officer=pc))
    assert clash.kind == "officer_unavailable"
    assert "Tom Ashworth is on training" in clash.message


def test_an_inactive_officer_cannot_be_assigned(show, team):
    pc = make_officer(team=team)
    pc.active = False
    officer_save(officer=pc)
    assert refusal(lambda: assignment_add(event=show, officer=pc)).kind == "officer_unavailable"


def test_a_unique_item_cannot_be_on_two_overlapping_events(show, fete):
    bobby = make_kit(name="Mini police tractor 'Bobby'", tag="MPT-01")
    kit_book(event=show, item=bobby)
    clash = refusal(lambda: kit_book(event=fete, item=bobby))
    assert clash.kind == "kit_overlap"
    assert "MPT-01" in clash.message and "Redbourn County Show" in clash.message
    assert KitBooking.objects.filter(event=fete).count() == 0


@pytest.mark.parametrize("condition", ["needs_repair", "retired"])
def test_kit_that_is_not_ready_cannot_be_booked(show, condition):
    item = make_kit(condition=condition)
    clash = refusal(lambda: kit_book(event=show, item=item))
    assert clash.kind == "kit_unavailable"
    assert "cannot be booked" in clash.message


def test_consumable_stock_is_counted_across_overlapping_bookings(make_event):
    leaflets = make_kit(
        name="Rural crime leaflets", category="leaflets", consumable=True, quantity=1000
    )
    morning = make_event(title="Morning", starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 12))
    afternoon = make_event(
        title="Afternoon", starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 17)
    )
    all_day = make_event(title="All day", starts_at=at(2027, 7, 4, 8), ends_at=at(2027, 7, 4, 18))
    kit_book(event=morning, item=leaflets, quantity=600)
    kit_book(event=afternoon, item=leaflets, quantity=700)  # not overlapping the morning
    # All day overlaps both; the peak use is 700 (afternoon), so 300 are free, not 1000-1300.
    (state,) = conflicts.kit_availability([leaflets], all_day.starts_at, all_day.ends_at)
    assert state.free_quantity == 300
    clash = refusal(lambda: kit_book(event=all_day, item=leaflets, quantity=301))
    assert clash.kind == "kit_stock"
    assert "Only 300 of 1000" in clash.message and "“Afternoon”" in clash.message
    kit_book(event=all_day, item=leaflets, quantity=300)
    (state,) = conflicts.kit_availability([leaflets], all_day.starts_at, all_day.ends_at)
    assert state.free_quantity == 0


def test_a_unique_item_is_booked_one_at_a_time(show):
    with pytest.raises(ValidationError):
        kit_book(event=show, item=make_kit(), quantity=2)


def test_cancelling_an_event_releases_its_officers_and_kit(show, fete, team):
    pc, bobby = make_officer(team=team), make_kit()
    assignment_add(event=show, officer=pc)
    kit_book(event=show, item=bobby)
    event_cancel(event=show)
    assignment_add(event=fete, officer=pc)
    kit_book(event=fete, item=bobby)
    show.refresh_from_db()
    assert show.status == "cancelled"
    assert show.assignments.get().released
    assert show.kit_bookings.get().status == "cancelled"


def test_returning_kit_as_needing_repair_makes_it_unbookable_until_fixed(show, fete):
    bobby = make_kit()
    booking = kit_book(event=show, item=bobby, ends_at=at(2027, 7, 4, 11))
    kit_check_out(booking=booking)
    kit_return(booking=booking, condition="needs_repair", notes="Steering wheel loose")
    bobby.refresh_from_db()
    assert bobby.condition == "needs_repair"
    assert refusal(lambda: kit_book(event=fete, item=bobby)).kind == "kit_unavailable"
    bobby.condition = "ready"  # repaired
    kit_item_save(item=bobby)
    kit_book(event=fete, item=bobby)


def test_soft_warnings_for_tractor_trailer_towing_and_no_lead(show, team):
    trailer = make_kit(name="Trailer", tag="TRL-01", category="trailer")
    towing = __import__("events.models", fromlist=["Qualification"]).Qualification.objects.get(
        slug="towing"
    )
    tractor = make_kit(
        name="Liveried tractor",
        tag="TRC-01",
        category="tractor",
        requires_kit=trailer,
        requires_qualification=towing,
    )
    kit_book(event=show, item=tractor)
    pc = make_officer(team=team)
    assignment_add(event=show, officer=pc, role="support")
    kinds = {w.kind for w in conflicts.event_warnings(show)}
    assert kinds == {"kit_needs_kit", "kit_needs_qualification", "no_lead"}
    kit_book(event=show, item=trailer)
    pc.qualifications.add(towing)
    assignment_add(event=show, officer=make_officer(team=team), role="lead")
    assert conflicts.event_warnings(show) == []


def test_copy_forward_fills_what_is_free_and_lists_the_rest(show, make_event, team):
    free_pc, busy_pc = (
        make_officer(team=team, name="Free PC"),
        make_officer(team=team, name="Busy PC"),
    )
    bobby, penny = make_kit(tag="MPT-01"), make_kit(name="Penny", tag="MPT-02")
    assignment_add(event=show, officer=free_pc, role="lead")
    assignment_add(event=show, officer=busy_pc)
    kit_book(event=show, item=bobby)
    kit_book(event=show, item=penny)
    next_year = make_event(
        title="Other show", starts_at=at(2028, 7, 2, 8), ends_at=at(2028, 7, 2, 18)
    )
    assignment_add(event=next_year, officer=busy_pc)
    kit_book(event=next_year, item=penny)

    copy, unfilled = event_copy(event=show, starts_at=at(2028, 7, 2, 9), user=None)

    assert copy.status == "draft" and copy.copied_from == show
    assert copy.ends_at - copy.starts_at == show.ends_at - show.starts_at
    assert [a.officer for a in copy.assignments.all()] == [free_pc]
    assert [b.item for b in copy.kit_bookings.all()] == [bobby]
    assert {c.kind for c in unfilled} == {"officer_overlap", "kit_overlap"}
    assert any("Busy PC" in c.message for c in unfilled)
    assert any("MPT-02" in c.message for c in unfilled)


def test_an_event_over_the_october_clock_change_lasts_an_hour_longer(make_event):
    night = make_event(starts_at=at(2026, 10, 25, 0, 30), ends_at=at(2026, 10, 25, 3, 30))
    spring = make_event(starts_at=at(2027, 3, 28, 0, 30), ends_at=at(2027, 3, 28, 3, 30))
    assert utc_duration(night.starts_at, night.ends_at) == dt.timedelta(hours=4)
    assert utc_duration(spring.starts_at, spring.ends_at) == dt.timedelta(hours=2)
    night.refresh_from_db()
    spring.refresh_from_db()
    assert night.ends_at - night.starts_at == dt.timedelta(hours=4)  # stored in UTC
    assert spring.ends_at - spring.starts_at == dt.timedelta(hours=2)
    pc = make_officer(team=night.team)
    assert assignment_add(event=night, officer=pc).planned_minutes == 240


def test_a_cancelled_event_takes_no_new_officers_or_kit(show, team):
    event_cancel(event=show)
    with pytest.raises(ValidationError):
        assignment_add(event=show, officer=make_officer(team=team))
    with pytest.raises(ValidationError):
        kit_book(event=show, item=make_kit())


def test_naive_times_are_refused(show, team):
    with pytest.raises(ValidationError):
        assignment_add(
            event=show,
            officer=make_officer(team=team),
            starts_at=dt.datetime(2027, 7, 4, 9),
            ends_at=dt.datetime(2027, 7, 4, 10),
        )
