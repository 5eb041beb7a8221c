"""The database itself refuses rows that break the domain's invariants."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from events.models import EngagementLog, KitItem, Officer, TopicMention, Unavailability

from .factories import assign, at, book, log, make_kit, make_officer


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_an_event_must_end_after_it_starts(make_event):
    refused(lambda: make_event(starts_at=at(2026, 7, 4, 9), ends_at=at(2026, 7, 4, 9)))
    refused(lambda: make_event(starts_at=at(2026, 7, 4, 9), ends_at=at(2026, 7, 4, 8)))


def test_an_event_status_must_be_a_known_one(make_event):
    refused(lambda: make_event(status="postponed"))


def test_assignments_bookings_and_leave_must_end_after_they_start(make_event, team):
    event = make_event()
    officer = make_officer(team=team)
    item = make_kit()
    start = event.starts_at
    refused(lambda: assign(event, officer, starts_at=start, ends_at=start))
    refused(lambda: book(event, item, starts_at=start, ends_at=start - dt.timedelta(hours=1)))
    refused(
        lambda: Unavailability.objects.create(
            officer=officer, kind="leave", starts_at=start, ends_at=start
        )
    )


def test_shoulder_numbers_and_asset_tags_are_unique(db):
    make_officer(number="R1234")
    refused(lambda: make_officer(number="R1234"))
    make_kit(tag="MPT-01")
    refused(lambda: make_kit(name="Another", tag="MPT-01"))


def test_a_unique_kit_item_has_a_tag_and_a_quantity_of_one(db):
    refused(lambda: make_kit(tag="MPT-09", quantity=2))
    refused(lambda: make_kit(tag=None))
    leaflets = KitItem.objects.create(
        name="Leaflets", category="leaflets", consumable=True, quantity=5000
    )
    assert leaflets.asset_tag is None


def test_engagement_counts_cannot_be_negative(make_event, team):
    event = make_event()
    officer = make_officer(team=team)
    for field in ["visitors", "signups", "crime_reports"]:
        refused(lambda field=field: log(event, officer, **{field: -1}))


def test_a_client_reference_is_stored_once(make_event, team):
    event = make_event()
    officer = make_officer(team=team)
    ref = uuid.uuid4()
    log(event, officer, visitors=1, client_ref=ref)
    refused(lambda: log(event, officer, visitors=1, client_ref=ref))
    assert EngagementLog.objects.filter(client_ref=ref).count() == 1


def test_a_topic_is_mentioned_at_least_once_and_once_per_entry(make_event, team, topic):
    entry = log(make_event(), make_officer(team=team), visitors=1)
    refused(lambda: TopicMention.objects.create(log=entry, topic=topic, count=0))
    TopicMention.objects.create(log=entry, topic=topic, count=2)
    refused(lambda: TopicMention.objects.create(log=entry, topic=topic, count=1))


def test_a_kit_booking_is_for_at_least_one(make_event):
    event = make_event()
    leaflets = KitItem.objects.create(
        name="Leaflets", category="leaflets", consumable=True, quantity=10
    )
    refused(lambda: book(event, leaflets, quantity=0))


def test_an_event_with_logs_cannot_be_deleted(make_event, team):
    event = make_event()
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
    refused(lambda: book(second, item))
    book(second, item, status="cancelled")  # released bookings do not count
    officer = make_officer(team=team)
    assign(first, officer)
    refused(lambda: assign(second, officer))
    assign(second, officer, released=True)
