"""Builders for tests: officers, kit, events' staffing and kit, engagement entries.

Each builder writes through the service that the web, the API and the admin call, so the
data a test builds obeys the same rules (clashes, windows within the event, validation) and
leaves the same audit trail. A test that needs data breaking a rule on purpose (a database
constraint, bad legacy rows, an existing clash) writes it with the ORM itself, and says why.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.models import Assignment, EngagementLog, Event, KitBooking, KitItem, Officer
from events.services.engagement import engagement_log_add, engagement_log_remove
from events.services.events import event_cancel, event_create
from events.services.kit import (
    kit_book,
    kit_booking_cancel,
    kit_check_out,
    kit_item_save,
    kit_return,
)
from events.services.officers import officer_save
from events.services.staffing import assignment_add, assignment_record_hours, assignment_remove

LONDON = ZoneInfo("Europe/London")

PASSWORD = "correct-horse-battery"


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    """An aware Europe/London datetime, as users enter them."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def soon(days=30, hour=9) -> dt.datetime:
    """09:00 local, a month from now: upcoming whenever the suite runs."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return at(day.year, day.month, day.day, hour)


def make_user(username: str, role: str | None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


def make_officer(user=None, *, team=None, name=None, number=None) -> Officer:
    count = Officer.objects.count()
    officer = Officer(
        user=user,
        name=name or (user.username.title() if user else f"Officer {count}"),
        shoulder_number=number or f"X{1000 + count}",
        team=team,
        email=f"officer{count}@example.police.uk",
        phone="07700 900000",
    )
    return officer_save(officer=officer)


def make_event(*, user=None, **fields) -> Event:
    """An event through ``event_create``; ``status="cancelled"`` creates it confirmed and then
    cancels it (a new event cannot start out cancelled)."""
    status = fields.pop("status", Event.Status.CONFIRMED)
    cancelled = status == Event.Status.CANCELLED
    event = event_create(
        user=user, status=Event.Status.CONFIRMED if cancelled else status, **fields
    )
    return event_cancel(event=event) if cancelled else event


def assign(
    event: Event,
    officer: Officer,
    *,
    released=False,
    actual_minutes=None,
    actual_starts_at=None,
    actual_ends_at=None,
    **window,
) -> Assignment:
    """A shift through ``assignment_add`` (``role``, ``starts_at``, ``ends_at``: the whole
    event by default). Hours worked go through ``assignment_record_hours``, given as
    ``actual_starts_at``/``actual_ends_at`` or as ``actual_minutes`` from the planned start;
    ``released`` takes the officer off as ``assignment_remove`` does once they have logged."""
    assignment = assignment_add(event=event, officer=officer, **window)
    if actual_minutes is not None:
        actual_starts_at = actual_starts_at or assignment.starts_at
        actual_ends_at = actual_starts_at + dt.timedelta(minutes=actual_minutes)
    if actual_starts_at or actual_ends_at:
        assignment = assignment_record_hours(
            assignment=assignment, actual_starts_at=actual_starts_at, actual_ends_at=actual_ends_at
        )
    if released:
        if assignment.event.logs.filter(officer=officer).exists():
            assignment_remove(assignment=assignment)
        else:
            # No service releases a shift with no entries (assignment_remove erases it);
            # only cancelling the event does, and the test wants the event to stay live.
            Assignment.objects.filter(pk=assignment.pk).update(released=True)
        assignment.refresh_from_db()
    return assignment


def make_kit(name="Mini police tractor 'Bobby'", tag=..., **fields) -> KitItem:
    """A register entry through ``kit_item_save``: a unique item tagged MPT-01 unless told
    otherwise; a consumable (``consumable=True, quantity=...``) has no tag unless given one."""
    if tag is ...:
        tag = None if fields.get("consumable") else "MPT-01"
    fields.setdefault("category", KitItem.Category.MINI_TRACTOR)
    return kit_item_save(item=KitItem(name=name, asset_tag=tag, **fields))


def book(event: Event, item: KitItem, *, status=KitBooking.Status.RESERVED, **fields) -> KitBooking:
    """A booking through ``kit_book`` (``quantity``, ``starts_at``, ``ends_at``: the whole
    event by default), then taken to ``status`` by the service that does it: checked out,
    returned (checked out first) or cancelled."""
    booking = kit_book(event=event, item=item, **fields)
    if status in (KitBooking.Status.CHECKED_OUT, KitBooking.Status.RETURNED):
        booking = kit_check_out(booking=booking)
    if status == KitBooking.Status.RETURNED:
        booking = kit_return(booking=booking)
    elif status == KitBooking.Status.CANCELLED:
        booking = kit_booking_cancel(booking=booking)
    return booking


def log(event: Event, officer: Officer, *, topics=(), removed_at=None, **fields) -> EngagementLog:
    """An entry through ``engagement_log_add``, recorded an hour into the event by default (or
    now, if that is still to come). Any ``removed_at`` removes it through
    ``engagement_log_remove``, which stamps its own time."""
    fields.setdefault("recorded_at", min(event.starts_at + dt.timedelta(hours=1), timezone.now()))
    entry, _created = engagement_log_add(event=event, officer=officer, topics=topics, **fields)
    if removed_at is not None:
        entry = engagement_log_remove(log=entry, user=None)
    return entry
