"""Officers on an event: list, assign (refused on a clash with 409), take off."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from .. import permissions
from ..models import Officer
from ..services.staffing import assignment_add, assignment_add_each_day, assignment_remove
from . import lookups
from .auth import PLANNERS, signed_in
from .errors import GUARDED, responses
from .lists import LimitOffset
from .schemas import AssignmentIn, AssignmentOut, AssignmentsOut, Id

router = Router(tags=["staffing"], auth=signed_in())


def _assignments(event):
    return (
        event.assignments.filter(released=False)
        .select_related("officer")
        .order_by("starts_at", "id")
    )


@router.get(
    "/events/{event_id}/assignments",
    response=responses({200: list[AssignmentOut]}, *GUARDED, 404, 422),
)
@paginate(LimitOffset)
def assignment_list(request, event_id: Id):
    event = permissions.get_event_for(request.auth, event_id)
    return _assignments(event)


@router.post(
    "/events/{event_id}/assignments",
    auth=signed_in(PLANNERS),
    response=responses({201: AssignmentOut | AssignmentsOut}, *GUARDED, 404, 409, 422),
)
def assignment_create(request, event_id: Id, payload: AssignmentIn):
    """Put an officer on the event for a window (default: the event's own), or with
    ``each_day`` on one shift per day; a clash is 409 and nothing is stored."""
    event = permissions.get_event_for(request.auth, event_id, write=True)
    officer = lookups.one(Officer, "officer_id", payload.officer_id, label="officer")
    if payload.each_day:
        if payload.starts_at or payload.ends_at:
            raise ValidationError({"each_day": "Give either each_day or a window, not both."})
        shifts = assignment_add_each_day(event=event, officer=officer, role=payload.role)
        items = list(_assignments(event).filter(pk__in=[a.pk for a in shifts]))
        return Status(201, {"items": items, "count": len(items)})
    assignment = assignment_add(
        event=event,
        officer=officer,
        role=payload.role,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )
    return Status(201, _assignments(event).get(pk=assignment.pk))


@router.delete(
    "/events/{event_id}/assignments/{assignment_id}",
    auth=signed_in(PLANNERS),
    response=responses({204: None}, *GUARDED, 404, 422),
)
def assignment_delete(request, event_id: Id, assignment_id: Id):
    event = permissions.get_event_for(request.auth, event_id, write=True)
    assignment = _assignments(event).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404("No such assignment on this event.")
    assignment_remove(assignment=assignment)
    return Status(204, None)
