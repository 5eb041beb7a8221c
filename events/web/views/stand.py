"""The public stand page (``GET /s/<code>``, no sign-in) and its two counted links.

Each request does the same database work whatever the code: one insert of a hit selected by
the code (no row when the code is unknown) and one indexed lookup of the event, so an unknown
code answers 404 in the time a known one answers 200. A hit is the event and the time only;
a short signed cookie (per kind, ten minutes, path ``/s/``) stops one phone counting twice.
"""

import datetime as dt
import math

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ...models import Event, StandHit
from ...ratelimit import take
from ...services.stand import stand_hit_record
from ...signin import client_address

COUNTED_FOR = 600  # seconds: one phone counts once per ten minutes per kind
COOKIE_SALT = "outreach.stand"
OVER_AFTER = dt.timedelta(days=1)


def cookie_name(kind: str) -> str:
    return f"stand_{kind}"


def _counted_already(request, kind: str, code: str) -> bool:
    value = request.get_signed_cookie(
        cookie_name(kind), default=None, salt=COOKIE_SALT, max_age=COUNTED_FOR
    )
    return value == code


def _remember(response, kind: str, code: str) -> None:
    response.set_signed_cookie(
        cookie_name(kind),
        code,
        salt=COOKIE_SALT,
        max_age=COUNTED_FOR,
        path="/s/",
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )


def _visit(request, code: str, kind: str):
    """Count the hit unless this phone was counted for it lately; the event or None."""
    fresh = not _counted_already(request, kind, code)
    if fresh:
        stand_hit_record(code=code, kind=kind)
    event = (
        Event.objects.filter(stand_code=code)
        .only("title", "status", "starts_at", "ends_at", "stand_code")
        .first()
    )
    return event, fresh


def is_over(event: Event) -> bool:
    """Cancelled, or ended more than a day ago: the page says so (the links still work)."""
    return event.status == Event.Status.CANCELLED or event.ends_at < timezone.now() - OVER_AFTER


def _too_many(request):
    wait = take("stand", client_address(request), settings.STAND_RATE)
    if wait is None:
        return None
    response = render(request, "stand/too_many.html", status=429)
    response["Retry-After"] = str(math.ceil(wait))
    return response


@require_safe
def stand_page(request, code: str):
    if refused := _too_many(request):
        return refused
    event, fresh = _visit(request, code, StandHit.Kind.SCAN)
    if event is None:
        return render(request, "stand/unknown.html", status=404)
    response = render(request, "stand/page.html", {"event": event, "over": is_over(event)})
    if fresh:
        _remember(response, StandHit.Kind.SCAN, code)
    return response


def _follow(request, code: str, kind: str, url: str):
    if refused := _too_many(request):
        return refused
    event, fresh = _visit(request, code, kind)
    if event is None:
        return render(request, "stand/unknown.html", status=404)
    response = HttpResponseRedirect(url)
    if fresh:
        _remember(response, kind, code)
    return response


@require_safe
def stand_signup(request, code: str):
    return _follow(request, code, StandHit.Kind.SIGNUP, settings.COMMUNITY_SIGNUP_URL)


@require_safe
def stand_report(request, code: str):
    return _follow(request, code, StandHit.Kind.REPORT, settings.CRIME_REPORT_URL)
