"""Where each kit item is: out now at an event, or when it is next booked (the kit register)."""

import datetime as dt

from django.utils import timezone

from ..models import KitBooking


def whereabouts(item_ids, *, now: dt.datetime | None = None) -> dict[int, dict]:
    """{item id: {"out": booking on now or None, "next": the next booking or None}} for the
    given items, in one query over their live bookings that have not ended."""
    now = now or timezone.now()
    found: dict[int, dict] = {}
    bookings = (
        KitBooking.objects.live()
        .filter(item_id__in=list(item_ids), ends_at__gt=now)
        .select_related("event")
        .order_by("item_id", "starts_at")
    )
    for booking in bookings:
        place = found.setdefault(booking.item_id, {"out": None, "next": None})
        if booking.starts_at <= now and place["out"] is None:
            place["out"] = booking
        elif booking.starts_at > now and place["next"] is None:
            place["next"] = booking
    return found
