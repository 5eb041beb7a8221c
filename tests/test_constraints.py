"""The database itself refuses rows that break the domain's invariants.

The services refuse such rows first, with clearer messages; these tests write with the ORM
on purpose, to show the database holds the line for any writer that gets past them.
"""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from events.models import (
    Assignment,
    EngagementLog,
    Event,
    KitBooking,
    KitItem,
    Officer,
    TopicMention,
    Unavailability,
)

from .api_support import now_event
from .factories import assign, at, book, log, make_kit, make_officer


def window(event) -> dict:
    return {"starts_at": event.starts_at, "ends_at": event.ends_at}


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def raw_event(**fields) -> Event:
    """An event written past the service (which would refuse these first)."""
    fields.setdefault("title", "Redbourn County Show")
    fields.setdefault("starts_at", at(2026, 7, 4, 9))
    fields.setdefault("ends_at", fields["starts_at"] + dt.timedelta(hours=8))
    return Event.objects.create(**fields)


def test_an_event_must_end_after_it_starts(db):
    refused(lambda: raw_event(starts_at=at(2026, 7, 4, 9), ends_at=at(2026, 7, 4, 9)))
    refused(lambda: raw_event(starts_at=at(2026, 7, 4, 9), ends_at=at(2026, 7, 4, 8)))


def test_an_event_status_must_be_a_known_one(db):
    refused(lambda: raw_event(status="postponed"))


def test_assignments_bookings_and_leave_must_end_after_they_start(make_event, team):
    event = make_event()
    officer = make_officer(team=team)
    item = make_kit()
    start = event.starts_at
    refused(
        lambda: Assignment.objects.create(
            event=event, officer=officer, starts_at=start, ends_at=start
        )
    )
    refused(
        lambda: KitBooking.objects.create(
            event=event, item=item, starts_at=start, ends_at=start - dt.timedelta(hours=1)
        )
    )
    refused(
        lambda: Unavailability.objects.create(
            officer=officer, kind="leave", starts_at=start, ends_at=start
        )
    )


def test_shoulder_numbers_and_asset_tags_are_unique(db):
    make_officer(number="R1234")
    refused(lambda: Officer.objects.create(name="Another", shoulder_number="R1234"))
    make_kit(tag="MPT-01")
    refused(lambda: KitItem.objects.create(name="Another", category="other", asset_tag="MPT-01"))


def test_a_unique_kit_item_has_a_tag_and_a_quantity_of_one(db):
    def tractor(**fields):
        return KitItem.objects.create(name="Bobby", category="mini_tractor", **fields)

    refused(lambda: tractor(asset_tag="MPT-09", quantity=2))
    refused(lambda: tractor(asset_tag=None))
    leaflets = make_kit(name="Leaflets", category="leaflets", consumable=True, quantity=5000)
    assert leaflets.asset_tag is None


def test_engagement_counts_cannot_be_negative(make_event, team):
    event = make_event()
    officer = make_officer(team=team)
    for field in ["visitors", "signups", "crime_reports"]:
        refused(
            lambda field=field: EngagementLog.objects.create(
                event=event, officer=officer, **{field: -1}
            )
        )


def test_a_client_reference_is_stored_once(make_event, team):
    event = now_event(make_event)
    officer = make_officer(team=team)
    ref = uuid.uuid4()
    log(event, officer, visitors=1, client_ref=ref)
    # The service answers a repeat with the stored entry; the database refuses a second row.
    refused(
        lambda: EngagementLog.objects.create(
            event=event, officer=officer, visitors=1, client_ref=ref
        )
    )
    assert EngagementLog.objects.filter(client_ref=ref).count() == 1


def test_a_topic_is_mentioned_at_least_once_and_once_per_entry(make_event, team, topic):
    entry = log(now_event(make_event), make_officer(team=team), visitors=1)
    refused(lambda: TopicMention.objects.create(log=entry, topic=topic, count=0))
    TopicMention.objects.create(log=entry, topic=topic, count=2)
    refused(lambda: TopicMention.objects.create(log=entry, topic=topic, count=1))


def test_a_kit_booking_is_for_at_least_one(make_event):
    event = make_event()
    leaflets = make_kit(name="Leaflets", category="leaflets", consumable=True, quantity=10)
    refused(
        lambda: KitBooking.objects.create(event=event, item=leaflets, quantity=0, **window(event))
    )


def test_an_event_with_logs_cannot_be_deleted(make_event, team):
    event = now_event(make_event)
    log(event, make_officer(team=team), visitors=3)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        event.delete()
    assert Officer.objects.count() == 1


def test_postgresql_itself_refuses_overlapping_bookings_of_one_item(make_event, team):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("The exclusion constraints exist on PostgreSQL only (SQLite serialises).")
    first = make_event()
    second = make_event(starts_at=first.starts_at + dt.timedelta(hours=1))
    item = make_kit()
    book(first, item)
    # Past the service, which would refuse the clash before the database sees it.
    refused(lambda: KitBooking.objects.create(event=second, item=item, **window(second)))
    cancelled = KitBooking.objects.create(  # released bookings do not count
        event=second, item=item, status="cancelled", **window(second)
    )
    assert cancelled.pk
    officer = make_officer(team=team)
    assign(first, officer)
    refused(lambda: Assignment.objects.create(event=second, officer=officer, **window(second)))
    released = Assignment.objects.create(
        event=second, officer=officer, released=True, **window(second)
    )
    assert released.pk
