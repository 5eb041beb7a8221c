import datetime as dt

from django.core.exceptions import ValidationError

from ..models import Event


def check_aware(**values: dt.datetime | None) -> None:
    for name, value in values.items():
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ValidationError({name: "Give the time with its UTC offset or time zone."})


def resolve_window(
    event: Event, starts_at: dt.datetime | None, ends_at: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    """A booking or assignment window: the event's own unless given; must overlap it."""
    check_aware(starts_at=starts_at, ends_at=ends_at)
    starts_at = starts_at or event.starts_at
    ends_at = ends_at or event.ends_at
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end must be after the start."})
    if not (starts_at < event.ends_at and ends_at > event.starts_at):
        raise ValidationError({"starts_at": "The window must overlap the event's own times."})
    return starts_at, ends_at
