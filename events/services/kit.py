"""Booking kit for events, checking it out and back in, and the kit register."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import conflicts
from ..models import Event, KitBooking, KitItem
from ..validators import clean_fields
from .errors import ConflictError
from .windows import resolve_window


@transaction.atomic
def kit_book(
    *,
    event: Event,
    item: KitItem,
    quantity: int = 1,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    user=None,
) -> KitBooking:
    """Reserve kit for an event window (default: the whole event), refusing any clash."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This event is cancelled: no kit can be booked for it.")
    if quantity < 1:
        raise ValidationError({"quantity": "Book at least one."})
    # Lock the item: two planners booking the same tractor at once queue up here.
    item = KitItem.objects.select_for_update().get(pk=item.pk)
    if item.is_unique and quantity != 1:
        raise ValidationError({"quantity": f"{item} is a single item: book a quantity of 1."})
    starts_at, ends_at = resolve_window(event, starts_at, ends_at)
    found = conflicts.kit_conflicts(item, quantity, starts_at, ends_at)
    if found:
        raise ConflictError(found)
    booking = KitBooking(
        event=event,
        item=item,
        quantity=quantity,
        starts_at=starts_at,
        ends_at=ends_at,
        exclusive=item.is_unique,
        created_by=user,
    )
    booking.full_clean(validate_constraints=False)  # checks only: the database has them too
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        # PostgreSQL's exclusion constraint caught a race the check above could not see.
        raise ConflictError(conflicts.kit_conflicts(item, quantity, starts_at, ends_at)) from None
    return booking


@transaction.atomic
def kit_booking_cancel(*, booking: KitBooking) -> KitBooking:
    if booking.status == KitBooking.Status.CHECKED_OUT:
        raise ValidationError("This kit is checked out: record its return instead.")
    if booking.status != KitBooking.Status.RESERVED:
        raise ValidationError(
            f"This booking is {booking.get_status_display().lower()}: there is nothing to cancel."
        )
    booking.status = KitBooking.Status.CANCELLED
    booking.save(update_fields=["status"])
    return booking


@transaction.atomic
def kit_check_out(*, booking: KitBooking) -> KitBooking:
    booking = KitBooking.objects.select_for_update().select_related("item").get(pk=booking.pk)
    if booking.status != KitBooking.Status.RESERVED:
        raise ValidationError(
            f"Only reserved kit can be checked out; this booking is "
            f"{booking.get_status_display().lower()}."
        )
    if not booking.item.bookable:
        raise ValidationError(f"{booking.item} is not ready to go out.")
    booking.status = KitBooking.Status.CHECKED_OUT
    booking.checked_out_at = timezone.now()
    booking.save(update_fields=["status", "checked_out_at"])
    return booking


@transaction.atomic
def kit_return(
    *, booking: KitBooking, condition: str = KitItem.Condition.READY, notes: str = ""
) -> KitBooking:
    """Record kit coming back; returned as needing repair, it cannot be booked until fixed."""
    booking = KitBooking.objects.select_for_update().select_related("item").get(pk=booking.pk)
    if booking.status != KitBooking.Status.CHECKED_OUT:
        raise ValidationError("Only checked-out kit can be returned.")
    if condition not in KitItem.Condition.values:
        raise ValidationError(
            {"condition": f"Choose one of: {', '.join(KitItem.Condition.values)}."}
        )
    booking.status = KitBooking.Status.RETURNED
    booking.returned_at = timezone.now()
    booking.condition_on_return = condition
    booking.return_notes = notes
    booking.save(update_fields=["status", "returned_at", "condition_on_return", "return_notes"])
    if booking.item.condition != condition:
        booking.item.condition = condition
        booking.item.save(update_fields=["condition"])
    return booking


@transaction.atomic
def kit_item_save(*, item: KitItem) -> KitItem:
    """Create or update a register entry (validated by ``KitItem.clean``; tags unique).

    A consumable's stock cannot drop below what live bookings still to come hold.
    """
    item.asset_tag = item.asset_tag or None
    clean_fields(item, lines=("name", "asset_tag", "storage_location"), texts=("provenance",))
    item.full_clean()
    if item.pk and not item.is_unique:
        KitItem.objects.select_for_update().filter(pk=item.pk).first()
        found = conflicts.stock_conflicts(item, item.quantity)
        if found:
            raise ConflictError(found)
    item.save()
    return item
