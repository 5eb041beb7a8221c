"""Series: repeat an event (or preview it with a dry run), and read a series."""

from ninja import Router, Status

from .. import permissions
from ..queries.series import series_events, series_for
from ..services.series import series_repeat
from .auth import PLANNERS, signed_in
from .errors import GUARDED, responses
from .schemas import Id, RepeatIn, RepeatOut, SeriesOut

router = Router(tags=["series"], auth=signed_in())


@router.post(
    "/events/{event_id}/repeat",
    auth=signed_in(PLANNERS),
    response=responses({200: RepeatOut, 201: RepeatOut}, *GUARDED, 404, 422),
)
def event_repeat(request, event_id: Id, payload: RepeatIn):
    """Repeat the event every week, 2 weeks, 4 weeks or month (on the same weekday of the
    month), ``until`` a day or ``count`` times in all (this event included; at most 52). Each
    new event carries the staff and kit that are free; the rest is listed in ``unfilled``.
    A ``dry_run`` answers 200 with what would be made and saves nothing."""
    event = permissions.get_event_for(request.auth, event_id, write=True)
    repeat = series_repeat(user=request.auth, event=event, **payload.model_dump())
    unfilled = {o.event.pk: o.unfilled for o in repeat.occurrences}
    if repeat.saved:
        events = series_events(repeat.series).filter(pk__in=unfilled)
    else:  # rolled back: the events read before the rollback
        events = [o.event for o in repeat.occurrences]
    for event in events:
        event.unfilled = [conflict.as_dict() for conflict in unfilled[event.pk]]
        if not repeat.saved:  # rows rolled back: no id, series or stand code to give
            event.dry_run, event.series_id, event.stand_code = True, None, None
    body = {
        "items": events,
        "unfilled": [conflict.as_dict() for conflict in repeat.unfilled],
        "series": repeat.series.pk if repeat.saved else None,
    }
    return Status(201 if repeat.saved else 200, body)


@router.get("/series/{series_id}", response=responses({200: SeriesOut}, *GUARDED, 404, 422))
def series_detail(request, series_id: Id):
    """A series and its events by start (cancelled ones too); 404 unless you may see it."""
    series = series_for(user=request.auth, pk=series_id)
    items = list(series_events(series))
    return {
        "id": series.pk,
        "every": series.every,
        "until": series.until,
        "origin": series.origin_id,
        "created_at": series.created_at,
        "items": items,
        "count": len(items),
    }
