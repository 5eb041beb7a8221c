"""Month and week calendars, the iCal feeds and the page that hands out their secret URLs."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from ... import ical, permissions
from ...models import EventType, Team
from ...queries import calendar as calendar_queries
from ...queries.calendar import CalendarFilters
from ...services.calendar import calendar_feed_get, calendar_feed_reset
from ...time import local_today

# Far enough for any plan, near enough that "next" never runs off the calendar.
YEARS = range(1990, 2200)
FILTER_FIELDS = ("team", "event_type", "cancelled")


class CalendarFilterForm(forms.Form):
    team = forms.ModelChoiceField(Team.objects.all(), required=False, empty_label="All teams")
    event_type = forms.ModelChoiceField(
        EventType.objects.all(), required=False, label="Type", empty_label="All types"
    )
    cancelled = forms.BooleanField(required=False, label="Show cancelled events")


def _filters(request) -> tuple[CalendarFilterForm, CalendarFilters, str]:
    """The filter form, what it selects (invalid choices are ignored, with a message in the
    form) and the query string that carries the filters across previous/next links."""
    form = CalendarFilterForm(request.GET)
    form.is_valid()
    cleaned = form.cleaned_data
    filters = CalendarFilters(
        team=cleaned.get("team"),
        event_type=cleaned.get("event_type"),
        show_cancelled=bool(cleaned.get("cancelled")),
    )
    kept = [(name, request.GET[name]) for name in FILTER_FIELDS if request.GET.get(name)]
    return form, filters, f"?{urlencode(kept)}" if kept else ""


def _day(year: int, month: int, day: int = 1) -> dt.date:
    if year not in YEARS:
        raise Http404("That date is outside the calendar.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Http404("No such date.") from None


def _week_url(day: dt.date) -> str:
    return reverse("calendar_week", args=[day.year, day.month, day.day])


def _month_url(day: dt.date) -> str:
    return reverse("calendar_month", args=[day.year, day.month])


@login_required
def month(request, year=None, month=None):
    permissions.require_role(request.user)
    today = local_today()
    first = _day(year, month) if year else today.replace(day=1)
    form, filters, query = _filters(request)
    data = calendar_queries.month_calendar(
        user=request.user, year=first.year, month=first.month, filters=filters, today=today
    )
    # Week view of the same month: this week if we are in it, else the month's first week.
    week_of = today if (today.year, today.month) == (first.year, first.month) else first
    context = {
        **data,
        "view": "month",
        "heading": f"{first:%B %Y}",
        "form": form,
        "query": query,
        "previous_url": _month_url(data["previous"]) + query,
        "previous_label": f"{data['previous']:%B}",
        "next_url": _month_url(data["next"]) + query,
        "next_label": f"{data['next']:%B}",
        "today_url": reverse("calendar_month") + query,
        "today_label": "This month",
        "month_url": _month_url(first) + query,
        "week_url": _week_url(week_of) + query,
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }
    return render(request, "events/calendar_month.html", context)


@login_required
def week(request, year=None, month=None, day=None):
    permissions.require_role(request.user)
    today = local_today()
    shown = _day(year, month, day) if year else today
    form, filters, query = _filters(request)
    data = calendar_queries.week_calendar(
        user=request.user, day=shown, filters=filters, today=today
    )
    first, last = data["first"], data["last"]
    if first.month == last.month:
        heading = f"{first.day}–{last.day} {last:%B %Y}"
    elif first.year == last.year:
        heading = f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    else:
        heading = f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
    context = {
        **data,
        "view": "week",
        "heading": f"Week of {heading}",
        "form": form,
        "query": query,
        "previous_url": _week_url(data["previous"]) + query,
        "previous_label": "Previous week",
        "next_url": _week_url(data["next"]) + query,
        "next_label": "Next week",
        "today_url": reverse("calendar_week") + query,
        "today_label": "This week",
        "month_url": _month_url(first) + query,
        "week_url": _week_url(first) + query,
    }
    return render(request, "events/calendar_week.html", context)


# --- iCal feeds: fetched by calendar apps without a session; the key in the URL is the
# --- credential, and its owner must still be allowed to see what the feed shows.


def _ics(request, name: str, entries, filename: str) -> HttpResponse:
    body = ical.feed_calendar(
        name=name,
        entries=entries,
        event_url=lambda pk: request.build_absolute_uri(reverse("event_detail", args=[pk])),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _feed(request, key: str, build, filename: str) -> HttpResponse:
    """The feed ``build(user)`` makes for the owner of ``key``; 404 for an unknown key or
    anything the feed names that is gone."""
    try:
        name, entries = build(calendar_queries.feed_owner(key))
    except ObjectDoesNotExist as missing:
        raise Http404(str(missing)) from None
    return _ics(request, name, entries, filename)


@require_safe
def feed_mine(request, key):
    build = lambda user: calendar_queries.my_shifts_feed(user=user)  # noqa: E731
    return _feed(request, key, build, "my-shifts.ics")


@require_safe
def feed_team(request, key, team_id):
    build = lambda user: calendar_queries.team_feed(user=user, team_id=team_id)  # noqa: E731
    return _feed(request, key, build, f"team-{team_id}.ics")


@require_safe
def feed_kit(request, key, item_id):
    build = lambda user: calendar_queries.kit_feed(user=user, item_id=item_id)  # noqa: E731
    return _feed(request, key, build, f"kit-{item_id}.ics")


def _links(request, url: str) -> dict:
    https = request.build_absolute_uri(url)
    return {"url": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@login_required
def feeds(request):
    permissions.require_role(request.user)
    feed = calendar_feed_get(user=request.user)
    offer = calendar_queries.feed_links(user=request.user)
    key = feed.key
    context = {
        "feed": feed,
        "mine": _links(request, reverse("calendar_feed_mine", args=[key]))
        if offer["has_shifts"]
        else None,
        "teams": [
            {
                "name": team.name,
                **_links(request, reverse("calendar_feed_team", args=[key, team.pk])),
            }
            for team in offer["teams"]
        ],
        "kit": [
            {
                "name": str(item),
                "category": item.get_category_display(),
                **_links(request, reverse("calendar_feed_kit", args=[key, item.pk])),
            }
            for item in offer["kit"]
        ],
    }
    return render(request, "events/feeds.html", context)


@login_required
@require_POST
def feeds_reset(request):
    permissions.require_role(request.user)
    calendar_feed_reset(user=request.user)
    messages.success(
        request,
        "Your feed links are new. The old ones no longer work: subscribe again with these.",
    )
    return redirect("calendar_feeds")
