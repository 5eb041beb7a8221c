"""On the day: the phone-first capture page, undo, running totals and the officer's hours."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ... import permissions
from ...models import Event
from ...queries import events as queries
from ...reporting import stats
from ...services.engagement import engagement_log_add, engagement_log_remove, logging_state
from ...services.staffing import assignment_record_hours
from ..forms import HoursForm

TAPS = {
    "visitor": {"visitors": 1},
    "signup": {"signups": 1},
    "crime_report": {"crime_reports": 1},
}


def _event_for_logging(user, pk) -> tuple[Event, object]:
    """The event and the caller's officer record; 404 when the caller may not log on it."""
    event = permissions.get_event_for(user, pk)
    if not permissions.can_log_on(user, event):
        raise Http404("No such event.")
    officer = permissions.officer_for(user)
    if officer is None:
        raise PermissionDenied("Your sign-in has no officer record; ask an administrator.")
    return event, officer


@login_required
def capture(request, pk):
    event, officer = _event_for_logging(request.user, pk)
    if request.method == "POST":
        # The plain-HTML path (no JavaScript): one tap, then reload. The form's reference
        # makes a double-submitted form count once.
        action = request.POST.get("action", "")
        fields = dict(TAPS.get(action, {}))
        if action.startswith("topic:"):
            fields["topics"] = [(action.removeprefix("topic:"), 1)]
        elif action == "notes":
            fields["notes"] = request.POST.get("notes", "")
        elif not fields:
            messages.error(request, "Unknown tap.")
            return redirect("capture", pk=pk)
        try:
            ref = uuid.UUID(request.POST.get("client_ref", ""))
            engagement_log_add(
                event=event, officer=officer, user=request.user, client_ref=ref, **fields
            )
        except ValueError:
            messages.error(request, "That tap had no valid reference; please tap again.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("capture", pk=pk)
    context = queries.capture_page(event=event, officer=officer)
    context["window"] = logging_state(event, officer)
    context["totals"] = stats.capture_totals(event=event, officer=officer)
    context["client_ref"] = uuid.uuid4()
    context["hours_form"] = HoursForm(assignment=context["assignment"])
    return render(request, "events/capture.html", context)


@login_required
@require_GET
def capture_totals(request, pk):
    event, officer = _event_for_logging(request.user, pk)
    return JsonResponse(stats.capture_totals(event=event, officer=officer))


@login_required
@require_POST
def capture_undo(request, pk):
    """Remove the caller's own latest entry on this event (recorded, not erased)."""
    event, officer = _event_for_logging(request.user, pk)
    last = event.logs.current().filter(officer=officer).order_by("-created_at", "-id").first()
    if last is not None:
        engagement_log_remove(log=last, user=request.user)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"removed": last.pk if last else None})
    messages.success(request, "Your last tap was undone." if last else "Nothing to undo.")
    return redirect("capture", pk=pk)


@login_required
@require_POST
def capture_hours(request, pk):
    event, officer = _event_for_logging(request.user, pk)
    assignment = queries.capture_page(event=event, officer=officer)["assignment"]
    if assignment is None:
        raise Http404("You are not assigned to this event.")
    form = HoursForm(request.POST, assignment=assignment)
    if form.is_valid():
        try:
            assignment_record_hours(assignment=assignment, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Your hours are recorded.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("capture", pk=pk)


@require_GET
def service_worker(request):
    """The capture pages' service worker, served from the site root so it may cover them."""
    path = finders.find("js/sw.js")
    with open(path, encoding="utf-8") as script:
        response = HttpResponse(script.read(), content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
