import datetime as dt

from django.core.exceptions import ValidationError

from ..models import Event
from ..time import LONDON, local, window


def check_aware(**values: dt.datetime | None) -> None:
    for name, value in values.items():
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ValidationError({name: "Give the time with its UTC offset or time zone."})


def resolve_window(
    event: Event, starts_at: dt.datetime | None, ends_at: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    """A booking or assignment window: the event's own unless given; must lie within it
    (no live shift or booking ever lies outside its event)."""
    check_aware(starts_at=starts_at, ends_at=ends_at)
    starts_at = starts_at or event.starts_at
    ends_at = ends_at or event.ends_at
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end must be after the start."})
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError(
            {
                "starts_at": "The window must lie within the event's own times "
                f"({window(event.starts_at, event.ends_at)})."
            }
        )
    return starts_at, ends_at


def day_windows(event: Event) -> list[tuple[dt.datetime, dt.datetime]]:
    """One shift window per London day of the event: the event's start-to-end hours on each
    day (the first day from its start, the last to its end). A one-day event is one window.

    Refused for an event that runs overnight (its end time of day is not after its start
    time of day): its days have no daytime hours to repeat.
    """
    start, end = local(event.starts_at), local(event.ends_at)
    if start.date() == end.date():
        return [(event.starts_at, event.ends_at)]
    if end.time() <= start.time():
        raise ValidationError(
            {
                "each_day": "This event runs overnight, so it has no hours to repeat each day: "
                "give each shift's start and end instead."
            }
        )
    days = (end.date() - start.date()).days + 1
    return [
        (
            dt.datetime.combine(day, start.time(), tzinfo=LONDON),
            dt.datetime.combine(day, end.time(), tzinfo=LONDON),
        )
        for day in (start.date() + dt.timedelta(days=n) for n in range(days))
    ]
