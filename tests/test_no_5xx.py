"""Every URL pattern, as a planner, with hostile query values: never a 5xx (issue 13, item 3).

The patterns come from Django's resolver, so a page or API operation added later is walked too;
path parameters are filled with the ids of objects that exist (an event the planner may see,
its shift, kit booking and entry, a kit item, an officer, a team, a calendar feed key).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from events.models import CalendarFeed
from events.reporting.jobs import export_start
from events.reporting.stats import StatsFilter
from events.services.series import series_repeat

from .api_support import now_event
from .factories import assign, book, log, make_kit, soon

HOSTILE = [
    {"per_page": "-5"},
    {"per_page": "0"},
    {"per_page": str(10**9)},
    {"per_page": "x"},
    {"page": "-1"},
    {"from": "9999-01-01", "to": "9999-01-01"},
    {"from": "0001-01-01", "to": "0001-01-01"},
    {"sort": "unknown", "limit": "-5", "offset": "-1"},
]
# Pages that read no query at all: asked once, plainly (the OpenAPI document is slow to build).
FIXED = {"api:openapi-json", "api:openapi-view", "service_worker", "sign-out"}


def _patterns(patterns=None, namespace=""):
    """(view name with namespace, path parameter names) of every URL pattern."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", tuple(entry.pattern.regex.groupindex)


# One name may have several patterns (GET and POST operations share a path in the API).
PATTERNS = sorted({(name, params) for name, params in _patterns() if not name.startswith("admin:")})


@pytest.fixture
def world(make_event, planner, officer_user, team):
    event = now_event(make_event, title="Redbourn County Show")
    officer = officer_user.officer
    shift = assign(event, officer)
    item = make_kit()
    booking = book(event, item)
    entry = log(event, officer, visitors=3, notes="Busy")
    feed = CalendarFeed.objects.create(user=planner, key="k" * 43)
    job, _new = export_start(user=planner, kind="engagement.xlsx", filters=StatsFilter())
    farm_watch = make_event(title="Farm Watch", starts_at=soon(days=40, hour=19))
    series = series_repeat(event=farm_watch, every="month", count=2, user=planner).series
    today = timezone.localdate()
    ids = {
        "pk": event.pk,
        "event_id": event.pk,
        "officer_id": officer.pk,
        "kit_id": item.pk,
        "item_id": item.pk,
        "assignment_id": shift.pk,
        "booking_id": booking.pk,
        "log_id": entry.pk,
        "entry_id": entry.pk,
        "photo_id": 1,
        "team_id": team.pk,
        "key": feed.key,
        "export_id": job.pk,
        "series_id": series.pk,
        "kind": "kit",
        "code": event.stand_code,
        "action": "check-out",
        "rest": "nope",
        "year": today.year,
        "month": today.month,
        "day": today.day,
    }
    return ids


def test_every_pattern_is_walked():
    names = {name for name, _params in PATTERNS}
    assert {"home", "dashboard", "kit_list", "officer_list", "api:event_list"} <= names
    assert len(names) > 50


@pytest.mark.parametrize("name,params", PATTERNS, ids=[name for name, _p in PATTERNS])
def test_no_hostile_query_value_gives_a_5xx(name, params, world, planner):
    missing = set(params) - set(world)
    assert not missing, f"{name}: give the test a value for {missing}"
    url = reverse(name, kwargs={param: world[param] for param in params})
    client = Client()
    client.force_login(planner)
    failures = []
    for query in [{}] if name in FIXED else [{}, *HOSTILE]:
        response = client.get(url, query, secure=True)
        if response.streaming:  # a download: read it to the end, which closes its file
            b"".join(response.streaming_content)
        if response.status_code >= 500:
            failures.append((query, response.status_code, response.content[:300]))
        elif url.startswith("/api/") and response.status_code >= 400:
            assert response["Content-Type"].startswith("application/json"), (query, url)
    assert not failures, f"{url}: {failures}"


@pytest.mark.parametrize("path", ["/", "/kit/", "/officers/"])
@pytest.mark.parametrize("per_page", ["-5", "0", str(10**9), "x", ""])
def test_list_paging_is_clamped(client, planner, world, path, per_page):
    client.force_login(planner)
    response = client.get(path, {"per_page": per_page, "page": "-1"}, secure=True)
    assert response.status_code == 200
    table = response.context["table"]
    assert 1 <= table.paginator.per_page <= 500


def test_a_huge_per_page_is_capped_at_500(client, planner, world):
    client.force_login(planner)
    response = client.get("/kit/", {"per_page": "100000"}, secure=True)
    assert response.context["table"].paginator.per_page == 500
    response = client.get("/kit/", {"per_page": "7"}, secure=True)
    assert response.context["table"].paginator.per_page == 7
