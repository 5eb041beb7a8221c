"""Moving an event moves its plan (shared/DOMAIN.md, "Moving an event moves its plan").

When an event's times change, every live shift and kit booking moves by the change of start
and is clamped to the new window; a shift or booking the new window no longer covers at all is
taken off. Every clash rule is checked again for the new windows, against everything outside
the event and against the event's own other bookings as they will be, before anything is
written: a move that would clash changes nothing and lists each clash.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from .. import conflicts
from ..conflicts import Conflict
from ..models import Assignment, Event, KitBooking, KitItem, Officer, ShiftNotice
from ..time import days_label
from .errors import ConflictError
from .notifications import shift_notice


@dataclass
class Shifted:
    row: Assignment | KitBooking
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def window(self) -> tuple[dt.datetime, dt.datetime]:
        return self.starts_at, self.ends_at


@dataclass
class PlanMove:
    """What moving ``event`` to a new window does to its shifts and kit bookings."""

    event: Event
    starts_at: dt.datetime
    ends_at: dt.datetime
    shifts: list[Shifted] = field(default_factory=list)
    bookings: list[Shifted] = field(default_factory=list)
    dropped_shifts: list[Assignment] = field(default_factory=list)
    dropped_bookings: list[KitBooking] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def moves_anything(self) -> bool:
        return bool(self.shifts or self.bookings or self.dropped_shifts or self.dropped_bookings)

    @property
    def officers(self) -> int:
        """Distinct people whose shifts move."""
        return len({s.row.officer_id for s in self.shifts})

    def summary(self) -> str:
        """'6 officers (9 shifts) and 7 kit bookings move to Sat 12 – Mon 14 Jun 2027.'"""
        parts = []
        if self.shifts:
            people = _plural(self.officers, "officer")
            if len(self.shifts) != self.officers:
                people += f" ({_plural(len(self.shifts), 'shift')})"
            parts.append(people)
        if self.bookings:
            parts.append(_plural(len(self.bookings), "kit booking"))
        text = ""
        if parts:
            verb = "moves" if len(self.shifts) + len(self.bookings) == 1 else "move"
            text = f"{' and '.join(parts)} {verb} to {days_label(self.starts_at, self.ends_at)}."
        dropped = len(self.dropped_shifts) + len(self.dropped_bookings)
        if dropped:
            text += (
                f" {_plural(dropped, 'shift or booking', 'shifts or bookings')} outside the new "
                "times will be taken off."
            )
        return text.strip()


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _shifted(rows, delta, starts_at, ends_at) -> tuple[list[Shifted], list]:
    """Each row moved by ``delta`` and clamped to the new window; those left outside apart."""
    kept, outside = [], []
    for row in rows.order_by("starts_at", "id"):
        start = max(row.starts_at + delta, starts_at)
        end = min(row.ends_at + delta, ends_at)
        if start < end:
            kept.append(Shifted(row, start, end))
        else:
            outside.append(row)
    return kept, outside


def plan_move(*, event: Event, starts_at: dt.datetime, ends_at: dt.datetime) -> PlanMove:
    """Where each live shift and booking goes if the event moves, and what would clash.

    Reads only: the edit page shows this before saving, and ``apply_move`` writes it.
    """
    plan = PlanMove(event=event, starts_at=starts_at, ends_at=ends_at)
    if event.is_cancelled:
        return plan
    delta = starts_at - event.starts_at
    shifts = event.assignments.filter(released=False).select_related("officer", "event")
    bookings = event.kit_bookings.filter(status__in=KitBooking.LIVE).select_related("item", "event")
    plan.shifts, plan.dropped_shifts = _shifted(shifts, delta, starts_at, ends_at)
    plan.bookings, plan.dropped_bookings = _shifted(bookings, delta, starts_at, ends_at)
    plan.conflicts = _move_conflicts(plan)
    return plan


def _move_conflicts(plan: PlanMove) -> list[Conflict]:
    found: list[Conflict] = []
    event_id = plan.event.pk
    for shift in plan.shifts:
        found += conflicts.officer_conflicts(
            shift.row.officer, shift.starts_at, shift.ends_at, exclude_event=event_id
        )
    for booking in plan.bookings:
        # The event's other bookings of the same stock, as they will be after the move.
        together = tuple(
            KitBooking(
                event=plan.event,
                item=other.row.item,
                quantity=other.row.quantity,
                starts_at=other.starts_at,
                ends_at=other.ends_at,
            )
            for other in plan.bookings
            if other is not booking and other.row.item_id == booking.row.item_id
        )
        found += conflicts.kit_conflicts(
            booking.row.item,
            booking.row.quantity,
            booking.starts_at,
            booking.ends_at,
            exclude_event=event_id,
            together=together,
        )
    unique = []
    for conflict in found:
        if conflict not in unique:
            unique.append(conflict)
    return unique


@transaction.atomic
def apply_move(*, event: Event, starts_at: dt.datetime, ends_at: dt.datetime) -> PlanMove:
    """Move the event's live shifts and bookings with it (the caller saves the event).

    Raises ConflictError, with every clash, before writing anything.
    """
    from .staffing import assignment_remove

    officer_ids = event.assignments.filter(released=False).values_list("officer_id", flat=True)
    item_ids = event.kit_bookings.filter(status__in=KitBooking.LIVE).values_list(
        "item_id", flat=True
    )
    # Lock the people and kit involved, in a fixed order, so concurrent bookings queue up.
    list(Officer.objects.select_for_update().filter(pk__in=officer_ids).order_by("pk"))
    list(KitItem.objects.select_for_update().filter(pk__in=item_ids).order_by("pk"))
    plan = plan_move(event=event, starts_at=starts_at, ends_at=ends_at)
    if plan.conflicts:
        raise ConflictError(plan.conflicts)
    for shift in plan.dropped_shifts:
        assignment_remove(assignment=shift)
    for booking in plan.dropped_bookings:
        booking.status = KitBooking.Status.CANCELLED
        booking.save(update_fields=["status"])
    # Moving later, the last rows go first (and earlier, the first), so that no row is ever
    # written over one of the same event's rows that has not moved yet.
    later = starts_at >= event.starts_at
    moved_shifts = [s.row for s in plan.shifts if (s.row.starts_at, s.row.ends_at) != s.window]
    try:
        with transaction.atomic():
            for moved in sorted(
                [*plan.shifts, *plan.bookings], key=lambda m: m.row.starts_at, reverse=later
            ):
                moved.row.starts_at, moved.row.ends_at = moved.starts_at, moved.ends_at
                moved.row.save(update_fields=["starts_at", "ends_at"])
    except IntegrityError:
        # PostgreSQL's exclusion constraints caught a race the checks above could not see.
        raise ConflictError(_move_conflicts(plan) or _race()) from None
    for shift in moved_shifts:
        shift_notice(assignment=shift, kind=ShiftNotice.Kind.MOVED)
    return plan


def _race() -> list[Conflict]:
    return [
        Conflict(
            conflicts.OFFICER_OVERLAP,
            "Someone else booked the same officer or kit at the same moment: try again.",
        )
    ]
