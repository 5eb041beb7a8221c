"""Events: list with filters, create, read, change, delete (or cancel), copy forward."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from .. import permissions
from ..models import Event, EventType, Officer, Partner, Team, Topic
from ..queries import events as queries
from ..services import events as services
from . import lookups
from .auth import PLANNERS, signed_in
from .errors import GUARDED, responses
from .lists import LimitOffset
from .schemas import (
    CopyIn,
    CopyOut,
    EventFilters,
    EventIn,
    EventOut,
    EventPatch,
    Id,
    ReinstateOut,
)

router = Router(tags=["events"], auth=signed_in())

SHOWN = ("team", "event_type")
SHOWN_MANY = ("partners", "focus_topics")


def event_for(user, event_id, *, write: bool = False) -> Event:
    """The event as the API shows it; 404 when not visible, 403 when not the user's to change."""
    event = permissions.get_event_for(user, event_id, write=write)
    return Event.objects.select_related(*SHOWN).prefetch_related(*SHOWN_MANY).get(pk=event.pk)


def _resolve(values: dict) -> dict:
    """Ids and slugs in the body → objects (422 naming the field when one is unknown)."""
    simple = {
        "team": (Team, "pk", "team"),
        "lead_officer": (Officer, "pk", "officer"),
        "event_type": (EventType, "slug", "event type"),
    }
    for field, (model, by, label) in simple.items():
        if field in values:
            values[field] = lookups.one(model, field, values[field], by=by, label=label)
    if "partners" in values:
        values["partners"] = lookups.many(Partner, "partners", values["partners"], label="partner")
    if "focus_topics" in values:
        values["focus_topics"] = lookups.many(
            Topic, "focus_topics", values["focus_topics"], by="slug", label="topic"
        )
    return values


@router.get("/events", response=responses({200: list[EventOut]}, *GUARDED, 422))
@paginate(LimitOffset)
def event_list(request, filters: Query[EventFilters]):
    """Events by start time; ``from``/``to`` are Europe/London dates (inclusive)."""
    return filters.filter(queries.event_list(user=request.auth)).prefetch_related(*SHOWN_MANY)


@router.post(
    "/events", auth=signed_in(PLANNERS), response=responses({201: EventOut}, *GUARDED, 422)
)
def event_create(request, payload: EventIn):
    """A new event; only ``title``, ``starts_at`` and ``ends_at`` are required."""
    event = services.event_create(user=request.auth, **_resolve(payload.model_dump()))
    return Status(201, event_for(request.auth, event.pk))


@router.get("/events/{event_id}", response=responses({200: EventOut}, *GUARDED, 404, 422))
def event_detail(request, event_id: Id):
    return event_for(request.auth, event_id)


@router.patch(
    "/events/{event_id}",
    auth=signed_in(PLANNERS),
    response=responses({200: EventOut}, *GUARDED, 404, 409, 422),
)
def event_update(request, event_id: Id, payload: EventPatch):
    """Change the fields sent. New times move the event's shifts and kit bookings with it
    (409 with every clash, and nothing changed, if any would clash); ``"status":
    "cancelled"`` cancels and releases staff and kit."""
    event = event_for(request.auth, event_id, write=True)
    services.event_update(event=event, **_resolve(payload.model_dump(exclude_unset=True)))
    return event_for(request.auth, event_id)


@router.delete(
    "/events/{event_id}",
    auth=signed_in(PLANNERS),
    response=responses({200: EventOut, 204: None}, *GUARDED, 404, 422),
)
def event_delete(request, event_id: Id):
    """Erase a planning mistake (204); an event with engagement logs is cancelled (200)."""
    event = event_for(request.auth, event_id, write=True)
    if services.event_delete(event=event) is None:
        return Status(204, None)
    return Status(200, event_for(request.auth, event_id))


@router.post(
    "/events/{event_id}/reinstate",
    auth=signed_in(PLANNERS),
    response=responses({200: ReinstateOut}, *GUARDED, 404, 422),
)
def event_reinstate(request, event_id: Id):
    """A cancelled event back to draft, with its officers and kit where still free."""
    event = event_for(request.auth, event_id, write=True)
    event, unfilled = services.event_reinstate(event=event, user=request.auth)
    out = event_for(request.auth, event.pk)
    out.unfilled = [conflict.as_dict() for conflict in unfilled]
    return out


@router.post(
    "/events/{event_id}/copy",
    auth=signed_in(PLANNERS),
    response=responses({201: CopyOut}, *GUARDED, 404, 422),
)
def event_copy(request, event_id: Id, payload: CopyIn):
    """A new draft on a new start, with the same staffing and kit where free."""
    event = event_for(request.auth, event_id, write=True)
    copy, unfilled = services.event_copy(
        event=event, starts_at=payload.starts_at, user=request.auth
    )
    return Status(
        201,
        {
            "event": event_for(request.auth, copy.pk),
            "conflicts": [conflict.as_dict() for conflict in unfilled],
        },
    )
