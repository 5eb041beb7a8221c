from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ... import permissions
from ...queries import events as queries
from ...queries import history
from ...reporting import stats
from ...services.engagement import logging_state
from ...services.notifications import officer_set_reminders
from ...time import local_today
from .. import paging
from ..filters import EventFilter
from ..forms import PhotoForm
from ..tables import EventTable


@login_required
def home(request):
    permissions.require_role(request.user)
    if permissions.roles(request.user) == {permissions.OFFICER} and not request.GET:
        return my_events(request)
    data = request.GET.copy()
    if not data.get("date_from") and not data.get("date_to"):
        data["date_from"] = local_today().isoformat()
    event_filter = EventFilter(data, queryset=queries.event_list(user=request.user))
    table = EventTable(event_filter.qs)
    paging.configure(request, table, per_page=25)
    table.figures = stats.event_figures(row.record.pk for row in table.page.object_list)
    return render(request, "events/home.html", {"filter": event_filter, "table": table})


@login_required
def event_detail(request, pk):
    permissions.require_role(request.user)
    context = queries.event_detail(user=request.user, pk=pk)
    context["figures"] = stats.event_summary(context["event"])
    context["can_plan"] = permissions.can_plan(request.user)
    context["started"] = context["event"].starts_at <= timezone.now()
    context["can_log"] = permissions.can_log_on(request.user, context["event"])
    if context["can_log"]:
        officer = permissions.officer_for(request.user)
        context["logging"] = logging_state(context["event"], officer)
    context["photo_form"] = PhotoForm()
    context["can_see_photos"] = permissions.can_see_photos(request.user, context["event"])
    if not context["can_see_photos"]:
        context["photos"] = []
    if context["can_plan"]:
        context["history"] = history.event_history(event=context["event"])
    return render(request, "events/event_detail.html", context)


@login_required
def my_events(request):
    permissions.require_role(request.user)
    officer = permissions.officer_for(request.user)
    groups = queries.my_events(officer=officer) if officer else None
    context = {"groups": groups, "officer": officer, "reminder_hour": settings.REMINDER_HOUR}
    return render(request, "events/my_events.html", context)


@login_required
@require_POST
def my_reminders(request):
    """Turn my evening-before shift reminders on or off."""
    officer = permissions.officer_for(request.user)
    if officer is None:
        raise Http404("This sign-in has no officer record.")
    on = request.POST.get("reminders") == "on"
    officer_set_reminders(officer=officer, on=on)
    messages.success(
        request,
        "You will get a reminder the evening before each shift."
        if on
        else "Reminders are off: you will still hear when a shift is added, moved or removed.",
    )
    return redirect("my_events")
