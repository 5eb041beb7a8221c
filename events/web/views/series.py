"""Series: repeat an event (preview, then save), a series' page, and from one of its events
on: cancel them all, or change their time of day."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ... import permissions
from ...queries.series import series_events, series_for, series_from
from ...recurrence import describe
from ...services import ConflictError
from ...services import events as event_services
from ...services import series as series_services
from ...services.errors import show_refusal
from ...time import local, local_date
from ..forms import RepeatForm, SeriesTimesForm


@login_required
def event_repeat(request, pk):
    """The repeat form; posting it shows a preview (each date, and what it could not carry),
    and the preview's own button saves the series."""
    event = permissions.get_event_for(request.user, pk, write=True)
    form = RepeatForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        save = bool(request.POST.get("confirm"))
        try:
            repeat = series_services.series_repeat(
                event=event, user=request.user, dry_run=not save, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if repeat.saved:
                made = len(repeat.occurrences)
                messages.success(request, f"{made} events made. {len(repeat.unfilled)} unfilled.")
                return redirect("series_detail", series_id=repeat.series.pk)
            preview = repeat
    pattern = describe(form.cleaned_data["every"], local_date(event.starts_at)) if preview else ""
    context = {"form": form, "event": event, "preview": preview, "pattern": pattern}
    return render(request, "events/series_repeat.html", context)


@login_required
def series_detail(request, series_id):
    permissions.require_role(request.user)
    series = series_for(user=request.user, pk=series_id)
    events = list(series_events(series))
    first = series.origin or events[0]
    context = {
        "series": series,
        "events": events,
        "pattern": describe(series.every, local_date(first.starts_at)),
        "can_plan": permissions.can_plan(request.user),
    }
    return render(request, "events/series_detail.html", context)


@login_required
def series_cancel(request, pk):
    """What cancelling this event and every later one of its series releases, and a button
    to confirm it."""
    event = permissions.get_event_for(request.user, pk, write=True)
    later = list(series_from(event)) if event.series_id else []
    if not later:
        return redirect("event_detail", pk=pk)
    if request.method == "POST":
        cancelled = series_services.series_cancel_from(event=event)
        messages.success(request, f"{len(cancelled)} events cancelled. Each can be reinstated.")
        return redirect("series_detail", series_id=event.series_id)
    releases = [(e, event_services.cancel_releases(e)) for e in later]
    context = {"event": event, "releases": releases}
    return render(request, "events/series_cancel.html", context)


@login_required
def series_times(request, pk):
    """New times of day for this event and every later one of its series, staff and kit
    moving with them; refused, with every clash listed, if any would clash."""
    event = permissions.get_event_for(request.user, pk, write=True)
    if not event.series_id or event.is_cancelled:
        return redirect("event_detail", pk=pk)
    initial = {"starts_at": local(event.starts_at).time(), "ends_at": local(event.ends_at).time()}
    form = SeriesTimesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            moved = series_services.series_retime_from(event=event, **form.cleaned_data)
        except (ValidationError, ConflictError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{len(moved)} events moved, with their staff and kit.")
            return redirect("series_detail", series_id=event.series_id)
    later = list(series_from(event))
    context = {"form": form, "event": event, "later": later}
    return render(request, "events/series_times.html", context)
