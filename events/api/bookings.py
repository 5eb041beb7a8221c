"""Kit on an event: book (refused on a clash with 409), cancel, check out, return."""

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from .. import permissions
from ..models import KitBooking, KitItem
from ..services import kit as services
from . import lookups
from .auth import PLANNERS, signed_in
from .errors import GUARDED, responses
from .lists import LimitOffset
from .schemas import BookingIn, BookingOut, Id, ReturnIn

router = Router(tags=["kit bookings"], auth=signed_in())


def _bookings(event):
    return (
        event.kit_bookings.exclude(status=KitBooking.Status.CANCELLED)
        .select_related("item")
        .order_by("starts_at", "id")
    )


def _booking_for(user, event_id, booking_id) -> KitBooking:
    event = permissions.get_event_for(user, event_id, write=True)
    booking = _bookings(event).filter(pk=booking_id).first()
    if booking is None:
        raise Http404("No such kit booking on this event.")
    return booking


@router.get(
    "/events/{event_id}/kit-bookings",
    response=responses({200: list[BookingOut]}, *GUARDED, 404, 422),
)
@paginate(LimitOffset)
def booking_list(request, event_id: Id):
    event = permissions.get_event_for(request.auth, event_id)
    return _bookings(event)


@router.post(
    "/events/{event_id}/kit-bookings",
    auth=signed_in(PLANNERS),
    response=responses({201: BookingOut}, *GUARDED, 404, 409, 422),
)
def booking_create(request, event_id: Id, payload: BookingIn):
    """Book kit for the event; the window defaults to the event's own."""
    event = permissions.get_event_for(request.auth, event_id, write=True)
    item = lookups.one(KitItem, "kit_item_id", payload.kit_item_id, label="kit item")
    booking = services.kit_book(
        event=event,
        item=item,
        quantity=payload.quantity,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        user=request.auth,
    )
    return Status(201, _bookings(event).get(pk=booking.pk))


@router.delete(
    "/events/{event_id}/kit-bookings/{booking_id}",
    auth=signed_in(PLANNERS),
    response=responses({204: None}, *GUARDED, 404, 422),
)
def booking_delete(request, event_id: Id, booking_id: Id):
    """Cancel the booking (kept on record); checked-out kit must be returned instead."""
    services.kit_booking_cancel(booking=_booking_for(request.auth, event_id, booking_id))
    return Status(204, None)


@router.post(
    "/events/{event_id}/kit-bookings/{booking_id}/check-out",
    auth=signed_in(PLANNERS),
    response=responses({200: BookingOut}, *GUARDED, 404, 422),
)
def booking_check_out(request, event_id: Id, booking_id: Id):
    booking = services.kit_check_out(booking=_booking_for(request.auth, event_id, booking_id))
    return KitBooking.objects.select_related("item").get(pk=booking.pk)


@router.post(
    "/events/{event_id}/kit-bookings/{booking_id}/return",
    auth=signed_in(PLANNERS),
    response=responses({200: BookingOut}, *GUARDED, 404, 422),
)
def booking_return(request, event_id: Id, booking_id: Id, payload: ReturnIn = None):
    """Record the kit coming back; returned as needing repair, it cannot be booked."""
    payload = payload or ReturnIn()
    booking = services.kit_return(
        booking=_booking_for(request.auth, event_id, booking_id),
        condition=payload.condition,
        notes=payload.notes,
    )
    return KitBooking.objects.select_related("item").get(pk=booking.pk)
