"""The clash rules (shared/DOMAIN.md, "No double booking"), in one place.

Forms, the admin, the API and copy-forward all ask these functions. Each refusal is a
``Conflict`` with a machine-readable ``kind`` and a message that names what clashes with
what, so the planner can act. Soft problems are ``Warning``s: shown, never refused.

Windows are half-open: back-to-back windows (10:00–12:00 then 12:00–14:00) do not clash.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.utils import timezone

from .models import Assignment, Event, KitBooking, KitItem, Officer, Unavailability
from .time import window

OFFICER_OVERLAP = "officer_overlap"
OFFICER_UNAVAILABLE = "officer_unavailable"
KIT_OVERLAP = "kit_overlap"
KIT_STOCK = "kit_stock"
KIT_UNAVAILABLE = "kit_unavailable"
KINDS = (OFFICER_OVERLAP, OFFICER_UNAVAILABLE, KIT_OVERLAP, KIT_STOCK, KIT_UNAVAILABLE)


@dataclass(frozen=True)
class Conflict:
    kind: str
    message: str
    officer_id: int | None = None
    kit_item_id: int | None = None
    event_id: int | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Warning:  # noqa: A001 - a planning warning, not Python's
    kind: str
    message: str


def officers_conflicts(
    officers: list[Officer],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    exclude_assignment: int | None = None,
    exclude_event: int | None = None,
) -> dict[int, list[Conflict]]:
    """Why each officer cannot take this window (other live assignments, leave, inactive).

    Two queries however many officers: the staffing picker asks about everyone at once.
    """
    found: dict[int, list[Conflict]] = {o.pk: [] for o in officers}
    names = {o.pk: o.name for o in officers}
    for officer in officers:
        if not officer.active:
            found[officer.pk].append(
                Conflict(
                    OFFICER_UNAVAILABLE, f"{officer.name} is not active.", officer_id=officer.pk
                )
            )
    clashes = (
        Assignment.objects.live()
        .filter(officer__in=list(found))
        .overlapping(starts_at, ends_at)
        .exclude(pk=exclude_assignment)
        .select_related("event")
    )
    if exclude_event is not None:
        clashes = clashes.exclude(event_id=exclude_event)
    for other in clashes:
        found[other.officer_id].append(
            Conflict(
                OFFICER_OVERLAP,
                f"{names[other.officer_id]} is already on “{other.event.title}” "
                f"{window(other.starts_at, other.ends_at)}.",
                officer_id=other.officer_id,
                event_id=other.event_id,
                starts_at=other.starts_at,
                ends_at=other.ends_at,
            )
        )
    absences = Unavailability.objects.filter(
        officer__in=list(found), starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    for absence in absences:
        found[absence.officer_id].append(
            Conflict(
                OFFICER_UNAVAILABLE,
                f"{names[absence.officer_id]} is on {absence.get_kind_display().lower()} "
                f"{window(absence.starts_at, absence.ends_at)}.",
                officer_id=absence.officer_id,
                starts_at=absence.starts_at,
                ends_at=absence.ends_at,
            )
        )
    return found


def officer_conflicts(
    officer: Officer,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    exclude_assignment: int | None = None,
    exclude_event: int | None = None,
) -> list[Conflict]:
    """Why this officer cannot take this window (see ``officers_conflicts``)."""
    return officers_conflicts(
        [officer],
        starts_at,
        ends_at,
        exclude_assignment=exclude_assignment,
        exclude_event=exclude_event,
    )[officer.pk]


def _peak_use(bookings: list[KitBooking], starts_at, ends_at) -> int:
    """The most units booked at any one moment within [starts_at, ends_at)."""
    moments = {starts_at} | {b.starts_at for b in bookings if starts_at < b.starts_at < ends_at}
    return max(
        (
            sum(b.quantity for b in bookings if b.starts_at <= moment < b.ends_at)
            for moment in moments
        ),
        default=0,
    )


@dataclass
class KitAvailability:
    item: KitItem
    available: bool
    free_quantity: int
    state: str  # "free", "booked", "not_ready"
    booked_for: list[KitBooking]


def kit_availability(
    items,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    exclude_booking: int | None = None,
    exclude_event: int | None = None,
    together: tuple[KitBooking, ...] = (),
) -> list[KitAvailability]:
    """Every item's state for a window: the one kit-availability rule.

    Free units are the stock less the most units held at any one moment of the window by live
    bookings (a unique item has a stock of 1, so one booking takes it); kit that is not ready
    has none free. ``exclude_*`` leave out bookings being changed; ``together`` adds bookings
    not saved yet (an event's other bookings as they will be after a move). One query.
    """
    items = list(items)
    by_item: dict[int, list[KitBooking]] = {i.pk: [] for i in items}
    bookings = (
        KitBooking.objects.live()
        .filter(item__in=list(by_item))
        .overlapping(starts_at, ends_at)
        .exclude(pk=exclude_booking)
        .select_related("event")
    )
    if exclude_event is not None:
        bookings = bookings.exclude(event_id=exclude_event)
    for booking in [*bookings, *together]:
        if (
            booking.item_id in by_item
            and booking.starts_at < ends_at
            and booking.ends_at > starts_at
        ):
            by_item[booking.item_id].append(booking)
    rows = []
    for item in items:
        booked = by_item[item.pk]
        if not item.bookable:
            rows.append(KitAvailability(item, False, 0, "not_ready", booked))
            continue
        free = max(item.quantity - _peak_use(booked, starts_at, ends_at), 0)
        rows.append(KitAvailability(item, free > 0, free, "free" if free else "booked", booked))
    return rows


def kit_conflicts(
    item: KitItem,
    quantity: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    exclude_booking: int | None = None,
    exclude_event: int | None = None,
    together: tuple[KitBooking, ...] = (),
) -> list[Conflict]:
    """Why this kit cannot be booked for this window: not ready, already booked, no stock."""
    if not item.bookable:
        return [
            Conflict(
                KIT_UNAVAILABLE,
                f"{item} is marked “{item.get_condition_display().lower()}” and cannot be "
                "booked until it is ready.",
                kit_item_id=item.pk,
            )
        ]
    (state,) = kit_availability(
        [item],
        starts_at,
        ends_at,
        exclude_booking=exclude_booking,
        exclude_event=exclude_event,
        together=together,
    )
    if quantity <= state.free_quantity:
        return []
    if item.is_unique:
        return [
            Conflict(
                KIT_OVERLAP,
                f"{item} is already booked for “{b.event.title}” {window(b.starts_at, b.ends_at)}.",
                kit_item_id=item.pk,
                event_id=b.event_id,
                starts_at=b.starts_at,
                ends_at=b.ends_at,
            )
            for b in state.booked_for
        ]
    events = ", ".join(sorted({f"“{b.event.title}”" for b in state.booked_for})) or "nothing else"
    return [
        Conflict(
            KIT_STOCK,
            f"Only {state.free_quantity} of {item.quantity} {item.name} are free "
            f"{window(starts_at, ends_at)} ({quantity} asked for; also booked for {events}).",
            kit_item_id=item.pk,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    ]


def stock_conflicts(
    item: KitItem, quantity: int, *, now: dt.datetime | None = None
) -> list[Conflict]:
    """Why a consumable's stock cannot drop to ``quantity``: live bookings still to come that
    would then hold more than the stock at some moment (one conflict per such booking)."""
    bookings = list(
        KitBooking.objects.live()
        .filter(item=item, ends_at__gt=now or timezone.now())
        .select_related("event")
    )
    found = []
    for booking in bookings:
        held = _peak_use(
            [
                b
                for b in bookings
                if b.starts_at < booking.ends_at and b.ends_at > booking.starts_at
            ],
            booking.starts_at,
            booking.ends_at,
        )
        if held > quantity:
            found.append(
                Conflict(
                    KIT_STOCK,
                    f"{held} {item.name} are booked {window(booking.starts_at, booking.ends_at)} "
                    f"(for “{booking.event.title}”): the stock cannot drop to {quantity}.",
                    kit_item_id=item.pk,
                    event_id=booking.event_id,
                    starts_at=booking.starts_at,
                    ends_at=booking.ends_at,
                )
            )
    return found


def event_warnings(event: Event) -> list[Warning]:
    """Soft problems a planner should see: missing required kit or qualification, no lead."""
    warnings = []
    assignments = list(event.assignments.filter(released=False).select_related("officer"))
    bookings = list(
        KitBooking.objects.live()
        .filter(event=event)
        .select_related("item", "item__requires_kit", "item__requires_qualification")
    )
    booked_items = {b.item_id for b in bookings}
    qualified = set()
    if assignments:
        qualified = set(
            Officer.qualifications.through.objects.filter(
                officer_id__in=[a.officer_id for a in assignments]
            ).values_list("qualification_id", flat=True)
        )
    for booking in bookings:
        item = booking.item
        if item.requires_kit_id and item.requires_kit_id not in booked_items:
            warnings.append(
                Warning("kit_needs_kit", f"{item.name} needs {item.requires_kit.name}: not booked.")
            )
        if item.requires_qualification_id and item.requires_qualification_id not in qualified:
            warnings.append(
                Warning(
                    "kit_needs_qualification",
                    f"{item.name} needs an officer qualified in "
                    f"{item.requires_qualification.name}: nobody assigned is.",
                )
            )
    has_lead = event.lead_officer_id or any(a.role == Assignment.Role.LEAD for a in assignments)
    if not has_lead and not event.is_cancelled:
        warnings.append(Warning("no_lead", "No lead officer: assign one with the role “Lead”."))
    return warnings
