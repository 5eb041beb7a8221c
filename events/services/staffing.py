"""Putting officers on events, and taking them off."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .. import conflicts
from ..audit import audited_update
from ..models import Assignment, Event, Officer, ShiftNotice
from ..time import utc_duration
from .errors import ConflictError
from .notifications import shift_notice
from .windows import day_windows, resolve_window


@transaction.atomic
def assignment_add(
    *,
    event: Event,
    officer: Officer,
    role: str = Assignment.Role.SUPPORT,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
) -> Assignment:
    """Assign an officer for a window (default: the whole event), refusing any clash."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This event is cancelled: nobody can be assigned to it.")
    if role not in Assignment.Role.values:
        raise ValidationError({"role": f"Choose one of: {', '.join(Assignment.Role.values)}."})
    starts_at, ends_at = resolve_window(event, starts_at, ends_at)
    # Lock the officer's row so two planners assigning the same officer queue up here
    # (SQLite's IMMEDIATE transactions already serialise all writers).
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    found = conflicts.officer_conflicts(officer, starts_at, ends_at)
    if found:
        raise ConflictError(found)
    assignment = Assignment(
        event=event, officer=officer, role=role, starts_at=starts_at, ends_at=ends_at
    )
    assignment.full_clean(validate_constraints=False)  # checks only: the database has them too
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        # PostgreSQL's exclusion constraint caught a race the check above could not see.
        raise ConflictError(conflicts.officer_conflicts(officer, starts_at, ends_at)) from None
    if role == Assignment.Role.LEAD and event.lead_officer_id is None:
        audited_update(Event.objects.filter(pk=event.pk), lead_officer=officer)
    shift_notice(assignment=assignment, kind=ShiftNotice.Kind.ASSIGNED)
    return assignment


@transaction.atomic
def assignment_add_each_day(
    *, event: Event, officer: Officer, role: str = Assignment.Role.SUPPORT
) -> list[Assignment]:
    """One shift per day of the event (``day_windows``); if any day clashes, ConflictError
    lists every clash and nothing is stored."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    windows = day_windows(event)
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    found = [c for window in windows for c in conflicts.officer_conflicts(officer, *window)]
    if found:
        raise ConflictError(list(dict.fromkeys(found)))
    return [
        assignment_add(event=event, officer=officer, role=role, starts_at=s, ends_at=e)
        for s, e in windows
    ]


@transaction.atomic
def assignment_set_window(
    *, assignment: Assignment, starts_at: dt.datetime, ends_at: dt.datetime
) -> Assignment:
    """Change one shift's times (within its event), refusing any clash."""
    assignment = (
        Assignment.objects.select_for_update().select_related("event").get(pk=assignment.pk)
    )
    if assignment.released or assignment.event.is_cancelled:
        raise ValidationError("This officer is no longer on the event: assign them again.")
    starts_at, ends_at = resolve_window(assignment.event, starts_at, ends_at)
    officer = Officer.objects.select_for_update().get(pk=assignment.officer_id)
    found = conflicts.officer_conflicts(
        officer, starts_at, ends_at, exclude_assignment=assignment.pk
    )
    if found:
        raise ConflictError(found)
    moved = (assignment.starts_at, assignment.ends_at) != (starts_at, ends_at)
    assignment.starts_at, assignment.ends_at = starts_at, ends_at
    try:
        with transaction.atomic():
            assignment.save(update_fields=["starts_at", "ends_at"])
    except IntegrityError:
        raise ConflictError(conflicts.officer_conflicts(officer, starts_at, ends_at)) from None
    if moved:
        shift_notice(assignment=assignment, kind=ShiftNotice.Kind.MOVED)
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment) -> None:
    """Take the officer off this shift (kept as history when they logged entries); an officer
    still on it is told."""
    event = assignment.event
    if not assignment.released and not event.is_cancelled:
        shift_notice(assignment=assignment, kind=ShiftNotice.Kind.REMOVED)
    if event.lead_officer_id == assignment.officer_id:
        still_lead = event.assignments.filter(
            officer_id=assignment.officer_id, released=False
        ).exclude(pk=assignment.pk)
        if not still_lead.exists():
            audited_update(Event.objects.filter(pk=event.pk), lead_officer=None)
    if assignment.event.logs.filter(officer_id=assignment.officer_id).exists():
        # Their entries stay attached to the officer; keep the assignment as history.
        assignment.released = True
        assignment.save(update_fields=["released"])
    else:
        assignment.delete()


@transaction.atomic
def assignment_record_hours(
    *, assignment: Assignment, actual_starts_at: dt.datetime, actual_ends_at: dt.datetime
) -> Assignment:
    """The officer's confirmed start and finish; planned hours stay as they were."""
    if actual_ends_at <= actual_starts_at:
        raise ValidationError({"actual_ends_at": "The finish must be after the start."})
    worked = utc_duration(actual_starts_at, actual_ends_at)
    if worked > dt.timedelta(hours=24):
        raise ValidationError({"actual_ends_at": "A shift cannot be longer than 24 hours."})
    assignment.actual_starts_at = actual_starts_at
    assignment.actual_ends_at = actual_ends_at
    assignment.actual_minutes = int(worked.total_seconds() // 60)
    assignment.save(update_fields=["actual_starts_at", "actual_ends_at", "actual_minutes"])
    return assignment
