"""Correcting and removing engagement entries: officers their own, planners and admins any."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ... import permissions
from ...queries import events as queries
from ...services.engagement import engagement_log_remove, engagement_log_update
from ...services.errors import show_refusal
from ...time import local
from .. import paging
from ..confirm import confirm
from ..forms import EntryForm


def _entry_for(user, event_pk, pk):
    entry = permissions.get_log_for(user, pk, write=True)
    if entry.event_id != event_pk or entry.removed_at is not None:
        raise Http404("No such engagement entry.")
    return entry


@login_required
def entry_list(request, pk):
    event = permissions.get_event_for(request.user, pk)
    entries = paging.page_of(
        request, queries.event_entries(user=request.user, event=event), per_page=50
    )
    return render(request, "events/entries.html", {"event": event, "entries": entries})


@login_required
def entry_edit(request, pk, entry_id):
    entry = _entry_for(request.user, pk, entry_id)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            engagement_log_update(log=entry, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Entry corrected.")
            return redirect("entry_list", pk=pk)
    return render(request, "events/entry_form.html", {"form": form, "entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def entry_remove(request, pk, entry_id):
    """Asks first, on a page of its own; the POST removes the entry (an admin can restore it)."""
    entry = _entry_for(request.user, pk, entry_id)
    if request.method == "GET":
        return confirm(
            request,
            entry.event,
            question="Remove this entry?",
            facts=[
                f"{local(entry.recorded_at):%a %-d %b %Y, %H:%M}, {entry.officer.name}",
                f"{entry.visitors} visitors, {entry.signups} sign-ups, "
                f"{entry.crime_reports} crime reports",
            ],
            consequence="Its figures leave the event's totals at once. An administrator "
            "can restore it if it was removed by mistake.",
            confirm="Yes, remove the entry",
            back=reverse("entry_list", args=[pk]),
        )
    engagement_log_remove(log=entry, user=request.user)
    messages.success(request, "Entry removed. An administrator can restore it if needed.")
    return redirect("entry_list", pk=pk)
