"""Engagement entries: logged at the stand, stored once however often a phone sends them."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Header, Router, Status
from ninja.pagination import paginate

from .. import permissions
from ..models import EngagementLog, Event
from ..services.engagement import (
    engagement_log_add,
    engagement_log_remove,
    engagement_log_update,
)
from .auth import signed_in
from .errors import GUARDED, responses
from .lists import LimitOffset
from .schemas import Id, LogIn, LogOut, LogPatch

router = Router(tags=["engagement"], auth=signed_in())


def _shown(queryset):
    return queryset.select_related("officer").prefetch_related("mentions__topic")


def _log(pk) -> EngagementLog:
    return _shown(EngagementLog.objects).get(pk=pk)


def _log_for(user, log_id, *, write: bool = False) -> EngagementLog:
    entry = permissions.get_log_for(user, log_id, write=write)
    if entry.removed_at is not None and not write:
        raise Http404("No such engagement entry.")
    return entry


def _may_log(user, event: Event):
    """The caller's officer record, if they may log on this event (raises otherwise).

    An officer not on the event gets 404, as for anything not theirs; a manager, who may
    see the event but never log, gets 403.
    """
    if not event.is_cancelled and not permissions.can_log_on(user, event):
        if permissions.can_plan(user) or permissions.OFFICER not in permissions.roles(user):
            raise PermissionDenied("Only officers on the event, planners and admins may log.")
        raise Http404("No such event.")
    officer = permissions.officer_for(user)
    if officer is None:
        raise PermissionDenied(
            "Your sign-in has no officer record to log against; ask an administrator."
        )
    return officer


def _topics(mentions) -> list[tuple[str, int]]:
    return [(mention.topic, mention.count) for mention in mentions]


@router.get("/events/{event_id}/logs", response=responses({200: list[LogOut]}, *GUARDED, 404, 422))
@paginate(LimitOffset)
def log_list(request, event_id: Id):
    """The event's current entries you may see (officers: their own)."""
    event = permissions.get_event_for(request.auth, event_id)
    entries = permissions.visible_logs(request.auth).current().filter(event=event)
    return _shown(entries).order_by("recorded_at", "id")


@router.post(
    "/events/{event_id}/logs",
    response=responses({200: LogOut, 201: LogOut}, *GUARDED, 404, 422),
)
def log_create(
    request,
    event_id: Id,
    payload: LogIn,
    idempotency_key: uuid.UUID | None = Header(  # noqa: B008 - ninja's way to read a header
        None,
        alias="Idempotency-Key",
        description="Same as client_ref: a UUID; a repeat answers 200 with the stored entry",
    ),
):
    """Log engagement as yourself: 201 when stored, 200 with the stored entry on a repeat."""
    event = permissions.get_event_for(request.auth, event_id)
    officer = _may_log(request.auth, event)
    client_ref = payload.client_ref or idempotency_key
    if payload.client_ref and idempotency_key and payload.client_ref != idempotency_key:
        raise ValidationError({"client_ref": "It differs from the Idempotency-Key header."})
    entry, created = engagement_log_add(
        event=event,
        officer=officer,
        user=request.auth,
        visitors=payload.visitors,
        signups=payload.signups,
        crime_reports=payload.crime_reports,
        notes=payload.notes,
        topics=_topics(payload.topics),
        recorded_at=payload.recorded_at,
        client_ref=client_ref,
    )
    return Status(201 if created else 200, _log(entry.pk))


@router.get("/logs/{log_id}", response=responses({200: LogOut}, *GUARDED, 404, 422))
def log_detail(request, log_id: Id):
    return _log(_log_for(request.auth, log_id).pk)


@router.patch("/logs/{log_id}", response=responses({200: LogOut}, *GUARDED, 404, 422))
def log_update(request, log_id: Id, payload: LogPatch):
    """Correct an entry: planners and admins any, officers their own."""
    entry = _log_for(request.auth, log_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    if "topics" in changes:
        changes["topics"] = _topics(payload.topics)  # not the dump: it drops unset counts
    engagement_log_update(log=entry, **changes)
    return _log(entry.pk)


@router.delete("/logs/{log_id}", response=responses({204: None}, *GUARDED, 404, 422))
def log_delete(request, log_id: Id):
    """Remove an entry: it stops counting but stays on record."""
    engagement_log_remove(log=_log_for(request.auth, log_id, write=True), user=request.auth)
    return Status(204, None)
