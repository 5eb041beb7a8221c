"""Hostile input, everywhere at once: each is answered with a 4xx and a message, never a 500,
and the database is exactly as it was (row counts and a checksum of every row)."""

import hashlib
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from events.models import ApiToken
from events.services.officers import officer_save

from .api_support import as_user, now_event
from .factories import assign, log


def fingerprint() -> dict[str, tuple[int, str]]:
    """Every events table and the user table: how many rows, and a digest of their values."""
    models = [*apps.get_app_config("events").get_models(), User]
    result = {}
    for model in models:
        if model is ApiToken:
            continue  # a token's last-used stamp moves with every request, by design
        rows = model.objects.order_by("pk").values_list()
        digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
        result[model._meta.db_table] = (len(rows), digest)
    return result


@pytest.fixture
def scene(make_event, officer_user, other_officer_user, planner, topic):
    event = now_event(make_event, title="Redbourn County Show")  # under way: entries are open
    assign(event, officer_user.officer)
    theirs = log(event, other_officer_user.officer, visitors=4, notes="theirs")
    return {"event": event, "theirs": theirs}


BAD_LOGS = [
    {"visitors": -1},
    {"visitors": 10**12},
    {"visitors": "12"},
    {"visitors": 1.5},
    {"visitors": None},
    {"signups": -5},
    {"topics": [{"topic": "no-such-topic", "count": 1}]},
    {"topics": [{"topic": "poaching-hare-coursing", "count": 0}]},
    {"notes": "x" * 5000},
    {"notes": "ctrl\x00char"},
    {"recorded_at": "2026-07-04T09:00:00"},  # naive
    {"recorded_at": "not a time"},
    {"client_ref": "not-a-uuid"},
    {"officer_id": 1},  # mass assignment
    {"id": 999},
    {"event_id": 2},
]


@pytest.mark.parametrize("body", BAD_LOGS, ids=[json.dumps(b)[:40] for b in BAD_LOGS])
def test_bad_engagement_posts_are_refused_and_change_nothing(scene, officer_user, body):
    api = as_user(officer_user)
    before = fingerprint()
    response = api.post(f"/api/events/{scene['event'].pk}/logs", body)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["detail"]
    assert fingerprint() == before


BAD_EVENTS = [
    {"title": "", "starts_at": "2027-07-04T09:00:00+01:00", "ends_at": "2027-07-04T17:00:00+01:00"},
    {
        "title": "x" * 1000,
        "starts_at": "2027-07-04T09:00:00+01:00",
        "ends_at": "2027-07-04T17:00:00+01:00",
    },
    {
        "title": "Fete\x07",
        "starts_at": "2027-07-04T09:00:00+01:00",
        "ends_at": "2027-07-04T17:00:00+01:00",
    },
    {"title": "Fete", "starts_at": "2027-07-04T09:00:00", "ends_at": "2027-07-04T17:00:00"},
    {
        "title": "Fete",
        "starts_at": "2027-07-04T17:00:00+01:00",
        "ends_at": "2027-07-04T09:00:00+01:00",
    },
    {
        "title": "Fete",
        "starts_at": "2027-07-04T09:00:00+01:00",
        "ends_at": "2027-07-04T17:00:00+01:00",
        "expected_attendance": -3,
    },
    {
        "title": "Fete",
        "starts_at": "2027-07-04T09:00:00+01:00",
        "ends_at": "2027-07-04T17:00:00+01:00",
        "id": 1,
        "created_by": 1,
    },
    {
        "title": "Fete",
        "starts_at": "99999-07-04T09:00:00+01:00",
        "ends_at": "2027-07-04T17:00:00+01:00",
    },
]


@pytest.mark.parametrize("body", BAD_EVENTS, ids=[str(n) for n in range(len(BAD_EVENTS))])
def test_bad_events_are_refused_and_change_nothing(scene, planner, body):
    api = as_user(planner)
    before = fingerprint()
    response = api.post("/api/events", body)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert fingerprint() == before


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"[]",
        b"null",
        b'{"visitors": 1,}',
        "\ud800".encode("utf-8", "surrogatepass"),
        b"\xff\xfe",
        b'{"visitors": 1e999}',
    ],
)
def test_malformed_bodies_get_json_4xx(scene, officer_user, raw):
    api = as_user(officer_user)
    before = fingerprint()
    response = api.post(f"/api/events/{scene['event'].pk}/logs", raw)
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    assert fingerprint() == before


def test_an_oversized_body_is_refused(scene, officer_user):
    api = as_user(officer_user)
    before = fingerprint()
    huge = json.dumps({"visitors": 1, "notes": "x" * (3 * 1024 * 1024)})
    response = api.post(f"/api/events/{scene['event'].pk}/logs", huge)
    assert 400 <= response.status_code < 500
    assert fingerprint() == before


def test_other_officers_objects_are_absent(scene, officer_user):
    api = as_user(officer_user)
    before = fingerprint()
    theirs = scene["theirs"].pk
    assert api.get(f"/api/logs/{theirs}").status_code == 404
    assert api.patch(f"/api/logs/{theirs}", {"visitors": 1000}).status_code == 404
    assert api.delete(f"/api/logs/{theirs}").status_code == 404
    assert fingerprint() == before


def test_posts_without_csrf_are_refused_on_pages_and_api(scene, planner, officer_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner)
    officer = Client(enforce_csrf_checks=True)
    officer.force_login(officer_user)
    before = fingerprint()
    event = scene["event"]
    assert (
        client.post(reverse("event_status", args=[event.pk]), {"status": "cancelled"}).status_code
        == 403
    )
    assert (
        client.post("/api/events", {"title": "x"}, content_type="application/json").status_code
        == 403
    )
    assert (
        officer.post(reverse("capture", args=[event.pk]), {"action": "visitor"}).status_code == 403
    )
    assert fingerprint() == before


def test_clock_change_gaps_in_forms_are_refused(scene, planner):
    client = Client()
    client.force_login(planner)
    before = fingerprint()
    response = client.post(
        reverse("event_create"),
        {
            "title": "Night patrol briefing",
            "starts_at_0": "2027-03-28",
            "starts_at_1": "01:15",
            "ends_at_0": "2027-03-28",
            "ends_at_1": "04:00",
        },
    )
    assert response.status_code == 200 and "does not exist in UK time" in response.content.decode()
    assert fingerprint() == before


def test_script_in_every_text_field_is_shown_escaped(
    client, planner, officer_user, make_event, team
):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    event = now_event(
        make_event, title=script, location=script, description=script, postcode="AL3 7PT"
    )
    officer_user.officer.name = script
    officer_save(officer=officer_user.officer)
    assign(event, officer_user.officer)
    log(event, officer_user.officer, visitors=1, notes=script)
    client.force_login(planner)
    pages = [
        reverse("home"),
        reverse("event_detail", args=[event.pk]),
        reverse("event_staff", args=[event.pk]),
        reverse("event_kit", args=[event.pk]),
        reverse("entry_list", args=[event.pk]),
        reverse("officer_list"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert (
        "&lt;script&gt;alert"
        in client.get(reverse("event_detail", args=[event.pk])).content.decode()
    )
