"""Planner screens: create, edit, confirm, cancel and copy events; staff them; book kit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ... import conflicts, permissions
from ...models import Assignment, Event, KitBooking
from ...queries import events as queries
from ...services import ConflictError, moves, staffing
from ...services import events as event_services
from ...services import kit as kit_services
from ...services.errors import show_refusal
from ...services.windows import day_windows
from ...time import window
from ..confirm import confirm, window_text
from ..forms import (
    AssignmentForm,
    CopyForm,
    EventForm,
    KitBookingForm,
    KitReturnForm,
    WindowForm,
)


@login_required
def event_create(request):
    permissions.require_role(request.user)
    if not permissions.can_plan(request.user):
        raise PermissionDenied("Only planners and admins may create events.")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            event = event_services.event_create(user=request.user, **data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"“{event.title}” created as a draft.")
            return redirect("event_detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request, pk):
    """Edit an event; new times first show what moves with it, and save on confirmation."""
    event = permissions.get_event_for(request.user, pk, write=True)
    form = EventForm(request.POST or None, instance=event)
    move = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        event.refresh_from_db()  # validating the form wrote the new values onto it
        move = _planned_move(event, data)
        if move and move.conflicts:
            show_refusal(form, ConflictError(move.conflicts))
        elif not move or request.POST.get("confirm_move"):  # a move is shown before it is saved
            try:
                event_services.event_update(event=event, **data)
            except (ValidationError, ConflictError) as error:
                show_refusal(form, error)
            else:
                messages.success(request, f"Event updated. {move.summary() if move else ''}")
                return redirect("event_detail", pk=pk)
    return render(request, "events/event_form.html", {"form": form, "event": event, "move": move})


def _planned_move(event, data):
    if not ({"starts_at", "ends_at"} & set(data)) or event.is_cancelled:
        return None
    starts_at, ends_at = data.get("starts_at", event.starts_at), data.get("ends_at", event.ends_at)
    if ends_at <= starts_at:
        return None
    move = moves.plan_move(event=event, starts_at=starts_at, ends_at=ends_at)
    return move if move.moves_anything else None


@login_required
@require_POST
def event_status(request, pk):
    event = permissions.get_event_for(request.user, pk, write=True)
    if request.POST.get("status") == Event.Status.CANCELLED:
        return redirect("event_cancel", pk=pk)  # cancelling is confirmed on its own page
    try:
        event = event_services.event_set_status(event=event, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The event is now {event.get_status_display().lower()}.")
    return redirect("event_detail", pk=pk)


@login_required
def event_cancel(request, pk):
    """What cancelling releases, and a button to confirm it."""
    event = permissions.get_event_for(request.user, pk, write=True)
    if event.is_cancelled:
        return redirect("event_detail", pk=pk)
    releases = event_services.cancel_releases(event)
    if request.method == "POST":
        event_services.event_cancel(event=event)
        messages.success(
            request,
            f"“{event.title}” is cancelled: {len(releases['officers'])} officers and "
            f"{len(releases['bookings'])} kit bookings released. You can reinstate it.",
        )
        return redirect("event_detail", pk=pk)
    return render(request, "events/event_cancel.html", {"event": event, **releases})


@login_required
@require_POST
def event_reinstate(request, pk):
    event = permissions.get_event_for(request.user, pk, write=True)
    try:
        event, unfilled = event_services.event_reinstate(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("event_detail", pk=pk)
    messages.success(
        request,
        "Reinstated as a draft"
        + (
            f": {len(unfilled)} could not come back."
            if unfilled
            else " with all its officers and kit."
        ),
    )
    for conflict in unfilled:
        messages.warning(request, f"Not back: {conflict.message}")
    return redirect("event_detail", pk=pk)


@login_required
def event_copy(request, pk):
    event = permissions.get_event_for(request.user, pk, write=True)
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy, unfilled = event_services.event_copy(
                event=event, starts_at=form.cleaned_data["starts_at"], user=request.user
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Copied to a new draft. {len(unfilled)} left unfilled.")
            for conflict in unfilled:
                messages.warning(request, f"Not copied: {conflict.message}")
            return redirect("event_detail", pk=copy.pk)
    return render(request, "events/event_copy.html", {"form": form, "event": event})


@login_required
def event_staff(request, pk):
    event = permissions.get_event_for(request.user, pk, write=True)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if data.pop("each_day"):
                shifts = staffing.assignment_add_each_day(
                    event=event, officer=data["officer"], role=data["role"]
                )
            else:
                shifts = [staffing.assignment_add(event=event, **data)]
        except (ValidationError, ConflictError) as error:
            show_refusal(form, error)
        else:
            days = f" for {len(shifts)} shifts, one a day" if len(shifts) > 1 else ""
            messages.success(request, f"{shifts[0].officer.name} assigned{days}.")
            return redirect("event_staff", pk=pk)
    picker = queries.staffing_picker(event=event)
    days = _day_labels(event)
    if not days:
        form.fields.pop("each_day")
    context = {"form": form, "event": event, "days": days, **picker}
    return render(request, "events/event_staff.html", context)


def _day_labels(event) -> list[str]:
    """The shifts "one per day" would make, as labels; empty for a one-day event."""
    try:
        windows = day_windows(event)
    except ValidationError:
        return []
    return [window(s, e) for s, e in windows] if len(windows) > 1 else []


@login_required
def assignment_times(request, pk, assignment_id):
    """Change one shift's times."""
    event = permissions.get_event_for(request.user, pk, write=True)
    assignment = get_object_or_404(Assignment, pk=assignment_id, event=event, released=False)
    initial = {"starts_at": assignment.starts_at, "ends_at": assignment.ends_at}
    form = WindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            staffing.assignment_set_window(assignment=assignment, **form.cleaned_data)
        except (ValidationError, ConflictError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{assignment.officer.name}'s shift changed.")
            return redirect("event_staff", pk=pk)
    context = {"form": form, "event": event, "assignment": assignment}
    return render(request, "events/assignment_times.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_remove(request, pk, assignment_id):
    """Asks first, on a page of its own; the POST takes the officer off."""
    event = permissions.get_event_for(request.user, pk, write=True)
    assignment = get_object_or_404(Assignment, pk=assignment_id, event=event)
    if request.method == "GET":
        return confirm(
            request,
            event,
            question=f"Take {assignment.officer.name} off this event?",
            facts=[f"{assignment.get_role_display()}, {window_text(assignment)}"],
            consequence="Their shift is released, so they can be put on other events, and "
            "they are told by e-mail. Anything they logged here stays on record.",
            confirm="Yes, take them off",
            back=reverse("event_staff", args=[pk]),
        )
    staffing.assignment_remove(assignment=assignment)
    messages.success(request, f"{assignment.officer.name} taken off the event.")
    return redirect("event_staff", pk=pk)


@login_required
def event_kit(request, pk):
    event = permissions.get_event_for(request.user, pk, write=True)
    form = KitBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = kit_services.kit_book(event=event, user=request.user, **form.cleaned_data)
        except (ValidationError, ConflictError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{booking.item} booked.")
            return redirect("event_kit", pk=pk)
    availability = conflicts.kit_availability(
        permissions.visible_kit(request.user), event.starts_at, event.ends_at
    )
    return render(
        request,
        "events/event_kit.html",
        {
            "form": form,
            "event": event,
            "availability": availability,
            "return_form": KitReturnForm(),
            **queries.event_detail(user=request.user, pk=pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_action(request, pk, booking_id, action):
    """Check-out and return act at once; cancelling asks first, on a page of its own."""
    event = permissions.get_event_for(request.user, pk, write=True)
    booking = get_object_or_404(KitBooking, pk=booking_id, event=event)
    if action not in {"cancel", "check-out", "return"}:
        raise Http404("No such action.")
    if request.method == "GET":
        if action != "cancel":
            return HttpResponseNotAllowed(["POST"])
        return confirm(
            request,
            event,
            question=f"Cancel the booking of {booking.item}?",
            facts=[window_text(booking)],
            consequence="The kit is released for other events. You can book it again "
            "while it is still free.",
            confirm="Yes, cancel the booking",
            back=reverse("event_kit", args=[pk]),
        )
    try:
        if action == "cancel":
            kit_services.kit_booking_cancel(booking=booking)
        elif action == "check-out":
            kit_services.kit_check_out(booking=booking)
        else:
            form = KitReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Choose the condition the kit came back in.")
            kit_services.kit_return(booking=booking, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{booking.item}: {action.replace('-', ' ')} recorded.")
    return redirect("event_kit", pk=pk)
