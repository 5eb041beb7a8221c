"""Creating, changing, cancelling and copying events."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .. import conflicts
from ..audit import audited_update
from ..conflicts import Conflict
from ..models import Event, KitBooking, KitItem, Officer, ShiftNotice
from ..validators import clean_fields
from .errors import ConflictError
from .kit import kit_book
from .moves import apply_move
from .notifications import shift_notice
from .photos import remove_files_on_commit
from .staffing import assignment_add
from .windows import check_aware

EVENT_FIELDS = [
    "title",
    "event_type",
    "team",
    "lead_officer",
    "status",
    "starts_at",
    "ends_at",
    "location",
    "postcode",
    "description",
    "expected_attendance",
]
TRANSITIONS = {
    Event.Status.DRAFT: {Event.Status.CONFIRMED, Event.Status.CANCELLED},
    Event.Status.CONFIRMED: {Event.Status.DRAFT, Event.Status.COMPLETED, Event.Status.CANCELLED},
    Event.Status.COMPLETED: {Event.Status.CONFIRMED},
    Event.Status.CANCELLED: set(),  # back to draft only by event_reinstate
}


def _validate(event: Event) -> None:
    check_aware(starts_at=event.starts_at, ends_at=event.ends_at)
    clean_fields(
        event,
        lines=("title", "location", "postcode"),
        texts=("description",),
        moments=("starts_at", "ends_at"),
    )
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": "The end must be after the start."})
    # The check constraints (end after start, a known status) are checked above with clearer
    # messages, and the database enforces them too: no need for a query per constraint here.
    event.full_clean(exclude=["uid"], validate_constraints=False)


@transaction.atomic
def event_create(*, user, partners=(), focus_topics=(), **fields) -> Event:
    """A new event; it starts as a draft unless a status is given."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    fields.setdefault("status", Event.Status.DRAFT)
    if fields["status"] == Event.Status.CANCELLED:
        raise ValidationError({"status": "A new event cannot start out cancelled."})
    event = Event(created_by=user if user and user.is_authenticated else None, **fields)
    _validate(event)
    event.save()
    event.partners.set(partners)
    event.focus_topics.set(focus_topics)
    return event


@transaction.atomic
def event_update(*, event: Event, partners=None, focus_topics=None, **changes) -> Event:
    """Change an event's details. New times move its live shifts and kit bookings with it
    (``moves.apply_move``); if any would clash, ConflictError lists each and nothing changes."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    status = changes.pop("status", None)
    if event.is_cancelled:
        raise ValidationError(
            "A cancelled event cannot be changed: reinstate it first, or copy it to a new date."
        )
    old = Event(starts_at=event.starts_at, ends_at=event.ends_at, pk=event.pk, status=event.status)
    for name, value in changes.items():
        setattr(event, name, value)
    _validate(event)
    if (event.starts_at, event.ends_at) != (old.starts_at, old.ends_at):
        apply_move(event=old, starts_at=event.starts_at, ends_at=event.ends_at)
    event.sequence = F("sequence") + 1
    event.save()
    event.refresh_from_db()
    if partners is not None:
        event.partners.set(partners)
    if focus_topics is not None:
        event.focus_topics.set(focus_topics)
    if status and status != event.status:
        event = event_set_status(event=event, status=status)
    return event


@transaction.atomic
def event_set_status(*, event: Event, status: str) -> Event:
    """Move an event along draft → confirmed → completed, or cancel it (releasing all)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if status not in Event.Status.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(Event.Status.values)}."})
    if status == event.status:
        return event
    if status not in TRANSITIONS[event.status]:
        raise ValidationError(
            {"status": f"A {event.get_status_display().lower()} event cannot become {status}."}
        )
    if status == Event.Status.CANCELLED:
        return event_cancel(event=event)
    if status == Event.Status.COMPLETED and event.starts_at > timezone.now():
        raise ValidationError(
            {"status": "An event can be marked completed only once it has started."}
        )
    event.status = status
    event.sequence = F("sequence") + 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    event.refresh_from_db()
    return event


def cancel_releases(event: Event) -> dict:
    """What cancelling would release: the live shifts and reserved kit (for the confirmation)."""
    shifts = list(event.assignments.filter(released=False).select_related("officer"))
    bookings = list(
        event.kit_bookings.filter(status=KitBooking.Status.RESERVED).select_related("item")
    )
    return {
        "shifts": shifts,
        "officers": sorted({a.officer for a in shifts}, key=lambda o: o.name),
        "bookings": bookings,
    }


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Cancel: officers and kit are released (and remembered, so that ``event_reinstate`` can
    bring them back); the event and its logs stay on record."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    _tell_shifts(event, ShiftNotice.Kind.CANCELLED)
    audited_update(
        event.assignments.filter(released=False), released=True, released_with_event=True
    )
    audited_update(
        event.kit_bookings.filter(status=KitBooking.Status.RESERVED),
        status=KitBooking.Status.CANCELLED,
        released_with_event=True,
    )
    event.status = Event.Status.CANCELLED
    event.sequence = F("sequence") + 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    event.refresh_from_db()
    return event


@transaction.atomic
def event_reinstate(*, event: Event, user=None) -> tuple[Event, list[Conflict]]:
    """A cancelled event back to draft, with the officers and kit that cancelling released,
    where they are still free; what could not come back is returned as conflicts."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_cancelled:
        raise ValidationError({"status": "Only a cancelled event can be reinstated."})
    event.status = Event.Status.DRAFT
    event.sequence = F("sequence") + 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    event.refresh_from_db()
    unfilled: list[Conflict] = []
    shifts = event.assignments.filter(released_with_event=True).select_related("officer")
    for shift in shifts.order_by("starts_at", "id"):
        officer = Officer.objects.select_for_update().get(pk=shift.officer_id)
        found = conflicts.officer_conflicts(
            officer, shift.starts_at, shift.ends_at, exclude_assignment=shift.pk
        )
        shift.released, shift.released_with_event = bool(found), False
        if not found and not _saved(shift, ["released", "released_with_event"]):
            shift.released = True
            found = conflicts.officer_conflicts(officer, shift.starts_at, shift.ends_at)
        if found:
            unfilled += found
            shift.save(update_fields=["released", "released_with_event"])
        else:
            shift_notice(assignment=shift, kind=ShiftNotice.Kind.ASSIGNED)
    bookings = event.kit_bookings.filter(released_with_event=True).select_related("item")
    for booking in bookings.order_by("starts_at", "id"):
        item = KitItem.objects.select_for_update().get(pk=booking.item_id)
        window = (booking.starts_at, booking.ends_at)
        found = conflicts.kit_conflicts(item, booking.quantity, *window, exclude_booking=booking.pk)
        booking.released_with_event = False
        booking.status = KitBooking.Status.CANCELLED if found else KitBooking.Status.RESERVED
        if not found and not _saved(booking, ["status", "released_with_event"]):
            booking.status = KitBooking.Status.CANCELLED
            found = conflicts.kit_conflicts(item, booking.quantity, *window)
        if found:
            unfilled += found
            booking.save(update_fields=["status", "released_with_event"])
    return event, unfilled


def _tell_shifts(event: Event, kind: str) -> None:
    """A notice to each officer with a live shift on the event (``notifications``)."""
    for shift in event.assignments.filter(released=False).select_related("officer", "event"):
        shift_notice(assignment=shift, kind=kind)


def _saved(row, fields) -> bool:
    """Save, or False when PostgreSQL's exclusion constraint refuses it (a race)."""
    try:
        with transaction.atomic():
            row.save(update_fields=fields)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def event_delete(*, event: Event) -> Event | None:
    """Erase a planning mistake; an event with engagement logs is cancelled instead."""
    if event.logs.exists():
        return event_cancel(event=event)
    if not event.is_cancelled:
        _tell_shifts(event, ShiftNotice.Kind.CANCELLED)
    remove_files_on_commit(event.photos.all())
    event.delete()
    return None


@transaction.atomic
def event_copy(*, event: Event, starts_at: dt.datetime, user) -> tuple[Event, list[Conflict]]:
    """Copy an event to a new start: same details, staffing and kit shifted by the same offset.

    Whatever is not free on the new dates is left unfilled and returned as conflicts.
    """
    check_aware(starts_at=starts_at)
    offset = starts_at - event.starts_at
    copy = event_create(
        user=user,
        title=event.title,
        event_type=event.event_type,
        team=event.team,
        starts_at=event.starts_at + offset,
        ends_at=event.ends_at + offset,
        location=event.location,
        postcode=event.postcode,
        description=event.description,
        expected_attendance=event.expected_attendance,
        partners=list(event.partners.all()),
        focus_topics=list(event.focus_topics.all()),
    )
    audited_update(Event.objects.filter(pk=copy.pk), copied_from=event)
    copy.copied_from = event
    unfilled: list[Conflict] = []
    for a in event.assignments.filter(released=False).select_related("officer"):
        try:
            assignment_add(
                event=copy,
                officer=a.officer,
                role=a.role,
                starts_at=a.starts_at + offset,
                ends_at=a.ends_at + offset,
            )
        except ConflictError as refused:
            unfilled.extend(refused.conflicts)
    for b in event.kit_bookings.exclude(status=KitBooking.Status.CANCELLED).select_related("item"):
        try:
            kit_book(
                event=copy,
                item=b.item,
                quantity=b.quantity,
                starts_at=b.starts_at + offset,
                ends_at=b.ends_at + offset,
                user=user,
            )
        except ConflictError as refused:
            unfilled.extend(refused.conflicts)
    copy.refresh_from_db()
    return copy, unfilled
