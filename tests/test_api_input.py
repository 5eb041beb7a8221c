"""No input gives a 500 or an HTML page: every answer under /api/ is JSON with a ``detail``."""

import json

import pytest
from django.test import Client

from outreach.api import api as ninja_api

from .api_support import Api, as_user, now_event
from .factories import assign


def documented_operations():
    schema = json.loads(json.dumps(ninja_api.get_openapi_schema(path_prefix="/api"), default=str))
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


OPERATIONS = list(documented_operations())


@pytest.fixture
def world(make_event, officer_user, admin_user):
    event = now_event(make_event)
    assign(event, officer_user.officer)
    return {
        "event_id": event.pk,
        "officer_id": 1,
        "kit_id": 1,
        "assignment_id": 1,
        "booking_id": 1,
        "log_id": 1,
    }


GARBAGE = [
    b"{not json",
    b"[1, 2, 3]",
    b'"a string"',
    b"null",
    b"12",
    b"\xff\xfe\x00",
    b'{"title": {"$gt": ""}, "visitors": [1], "starts_at": 5}',
    b'{"visitors": 1e400, "count": NaN}',
    b'{"a": "\\u0000"}',
    b"[" * 5000 + b"]" * 5000,
    json.dumps({"x" * 10_000: 1}).encode(),
]


@pytest.mark.parametrize(
    "method,path,operation", OPERATIONS, ids=[f"{m} {p}" for m, p, _o in OPERATIONS]
)
def test_garbage_bodies_get_json_4xx_never_500(method, path, operation, world, admin_user):
    api = as_user(admin_user)
    url = path.format(**world)
    ok_types = operation["responses"].get("200", {}).get("content", {})
    for body in GARBAGE if "requestBody" in operation else [b""]:
        response = api.send(method, url, body)
        assert response.status_code < 500, (body, response.content)
        assert str(response.status_code) in operation["responses"], (body, response.status_code)
        if response.status_code >= 400 or "application/json" in ok_types:
            assert response["Content-Type"] == "application/json; charset=utf-8"
        if response.status_code >= 400:
            assert response.json()["detail"]


def test_malformed_json_is_422_naming_the_body(world, admin_user):
    response = as_user(admin_user).post("/api/events", b"{not json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "body: The request body is not valid JSON.",
        "errors": [{"field": "body", "message": "The request body is not valid JSON."}],
    }


def test_a_form_post_is_refused_as_invalid_json(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post("/api/events", {"title": "Fete"})
    assert response.status_code in (403, 422)  # no CSRF header from a stray form, or not JSON
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/api/", "/api/nope", "/api/events/1/nope", "/api/events/1/logs/1/more", "/api/logs/"]
)
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
def test_unknown_paths_are_json_404s(db, path, method):
    response = Api().send(method, path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_a_wrong_method_is_a_json_405_with_allow(db):
    response = Api().send("PUT", "/api/events/1")
    assert response.status_code == 405
    assert response["Allow"] == "GET, PATCH, DELETE"
    assert response.json()["detail"] == "Method PUT is not allowed here; use GET, PATCH, DELETE."


@pytest.mark.parametrize("event_id", ["abc", "0", "-1", "1.5", "9" * 30, "%00"])
def test_odd_ids_are_422_or_404_never_500(admin_user, event_id):
    response = as_user(admin_user).get(f"/api/events/{event_id}")
    assert response.status_code in (404, 422)
    assert response.json()["detail"]


@pytest.mark.parametrize("q", ["\x00", "%", "_", "' OR 1=1 --", "\u202e", "🚜"])
def test_odd_search_text_is_harmless(admin_user, make_event, q):
    make_event()
    response = as_user(admin_user).get("/api/events", q=q)
    assert response.status_code in (200, 422)
