"""Repeating an event as a series (shared/DOMAIN.md, "Series"), and changing a series from
one of its events on: cancelling it, or moving its time of day.

Each occurrence is made by ``event_copy``, so it carries the staff (shift by shift) and kit of
the event it repeats where they are free, and lists what was not. The event repeated is the
series' first event. Times of day are London wall-clock times: an event at 10:00 in July
repeats at 10:00 in November, although that is an hour later in UTC.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects

from ..audit import audited_update
from ..conflicts import Conflict
from ..models import Event, Series
from ..queries.series import series_from
from ..recurrence import EVERY, MAX_OCCURRENCES, STEPS, occurrence_days
from ..time import LONDON, local, local_date, utc_duration
from .errors import ConflictError
from .events import event_cancel, event_copy, event_update


@dataclass
class Occurrence:
    """One new event of a series, and the staff and kit that could not be carried to it."""

    event: Event
    unfilled: list[Conflict] = field(default_factory=list)


@dataclass
class Repeat:
    """What repeating an event made (or, in a dry run, would make: nothing is saved)."""

    series: Series
    occurrences: list[Occurrence]
    saved: bool

    @property
    def unfilled(self) -> list[Conflict]:
        return [conflict for o in self.occurrences for conflict in o.unfilled]


class _DryRun(Exception):
    def __init__(self, repeat: Repeat):
        self.repeat = repeat


def on_day(day: dt.date, moment: dt.datetime) -> dt.datetime:
    """``moment``'s London time of day on another London day."""
    return dt.datetime.combine(day, local(moment).time(), tzinfo=LONDON)


def repeat_days(
    *, event: Event, every: str, until: dt.date | None = None, count: int | None = None
) -> list[dt.date]:
    """The London days of the series ``event`` would start (its own first), validated."""
    if every not in EVERY:
        raise ValidationError({"every": f"Choose one of: {', '.join(EVERY)}."})
    if (until is None) == (count is None):
        raise ValidationError({"until": "Give either an end date or a number of times (not both)."})
    if count is not None and not 2 <= count <= MAX_OCCURRENCES:
        raise ValidationError(
            {"count": f"The number of times (this event included) is 2 to {MAX_OCCURRENCES}."}
        )
    if event.is_cancelled:
        raise ValidationError("A cancelled event cannot be repeated: reinstate it first.")
    if event.series_id:
        raise ValidationError("This event is already part of a series.")
    step = dt.timedelta(days=STEPS.get(every, 28))
    if utc_duration(event.starts_at, event.ends_at) > step:
        raise ValidationError(
            {"every": "The event lasts longer than the gap between repeats, so they would overlap."}
        )
    first = local_date(event.starts_at)
    if until is not None and until <= first:
        raise ValidationError({"until": "The end date must be after the event's own day."})
    days = occurrence_days(first, every, until=until, count=count)
    if len(days) > MAX_OCCURRENCES:
        raise ValidationError(
            {
                "until": f"That makes more than {MAX_OCCURRENCES} events (this one included): "
                f"the latest end date is {days[MAX_OCCURRENCES - 1]:%-d %B %Y}."
            }
        )
    if len(days) < 2:
        raise ValidationError({"until": "No repeat falls on or before that date."})
    return days


def series_repeat(
    *,
    event: Event,
    every: str,
    user,
    until: dt.date | None = None,
    count: int | None = None,
    dry_run: bool = False,
) -> Repeat:
    """Repeat ``event`` every week, 2 weeks, 4 weeks or month (``recurrence``), ``count`` times
    in all or up to ``until``: one transaction makes the series and its events, each with the
    staff and kit that are free. A ``dry_run`` does all of it and rolls it back, so the preview
    is exactly what saving would do; its events are not in the database."""
    try:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event.pk)
            days = repeat_days(event=event, every=every, until=until, count=count)
            series = Series.objects.create(
                every=every,
                origin=event,
                until=until,
                count=count,
                created_by=user if user and user.is_authenticated else None,
            )
            audited_update(Event.objects.filter(pk=event.pk), series=series)
            occurrences = []
            for day in days[1:]:
                copy, unfilled = event_copy(
                    event=event, starts_at=on_day(day, event.starts_at), user=user
                )
                audited_update(Event.objects.filter(pk=copy.pk), series=series)
                copy.series = series
                occurrences.append(Occurrence(copy, unfilled))
            repeat = Repeat(series=series, occurrences=occurrences, saved=not dry_run)
            if dry_run:
                # What the preview shows is read now: after the rollback these rows are gone.
                copies = [o.event for o in occurrences]
                prefetch_related_objects(copies, "partners", "focus_topics", "event_type")
                raise _DryRun(repeat)
    except _DryRun as dry:
        return dry.repeat
    return repeat


@transaction.atomic
def series_cancel_from(*, event: Event) -> list[Event]:
    """Cancel this event and every later one of its series, each as ``event_cancel`` does
    (officers and kit released, each event reinstatable on its own)."""
    if event.series_id is None:
        raise ValidationError("This event is not part of a series.")
    return [event_cancel(event=later) for later in series_from(event)]


@transaction.atomic
def series_retime_from(*, event: Event, starts_at: dt.time, ends_at: dt.time) -> list[Event]:
    """Give this event and every later one of its series new London start and end times of
    day (each keeps its days); their shifts and kit move with them (``moves.apply_move``).
    If any would clash, ConflictError lists every clash and nothing changes."""
    if event.series_id is None:
        raise ValidationError("This event is not part of a series.")
    moved, clashes = [], []
    for later in series_from(event):
        start = dt.datetime.combine(local_date(later.starts_at), starts_at, tzinfo=LONDON)
        end = dt.datetime.combine(local_date(later.ends_at), ends_at, tzinfo=LONDON)
        if end <= start:
            raise ValidationError({"ends_at": "The end must be after the start."})
        try:
            moved.append(event_update(event=later, starts_at=start, ends_at=end))
        except ConflictError as refused:
            clashes += [c for c in refused.conflicts if c not in clashes]
    if clashes:
        raise ConflictError(clashes)
    return moved
