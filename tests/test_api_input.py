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
        "export_id": "00000000-0000-0000-0000-000000000000",
        "series_id": 1,
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


# ---- bodies Django itself refuses to read: JSON under /api/, a page elsewhere ----------------

MB = 1024 * 1024


def _post(path, body: bytes, content_type: str, **extra):
    return Client().generic("POST", path, body, content_type=content_type, secure=True, **extra)


def _is_json_4xx(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.content[:200])
    assert response["Content-Type"] == "application/json; charset=utf-8", response.content[:200]
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "body", [b'{"username": "a", "password": "b"}', b"username=a&password=b", b""]
)
def test_the_token_endpoint_answers_multipart_without_a_boundary_with_json_400(db, body):
    _is_json_4xx(_post("/api/auth/token", body, "multipart/form-data"), 400, 422)


def test_multipart_with_a_broken_part_is_json_4xx_under_the_api(db):
    body = b"--xyz\r\nContent-Disposition: form-data\r\n\r\nnope\r\n"
    response = _post("/api/auth/token", body, "multipart/form-data; boundary=xyz")
    _is_json_4xx(response, 400, 422)


@pytest.mark.parametrize("path", ["/api/auth/token", "/api/events", "/api/nope"])
def test_a_body_over_the_limit_is_a_json_413_before_it_is_read(db, path):
    response = _post(path, b"x" * (MB + 1), "application/json")
    _is_json_4xx(response, 413)
    assert response.json()["detail"] == "The request body is too large; the limit is 1 MB."


def test_the_limit_is_read_from_content_length_so_nothing_is_read_first(db):
    response = _post("/api/auth/token", b"{}", "application/json", CONTENT_LENGTH=str(50 * MB))
    _is_json_4xx(response, 413)
    for length in ("many", "-1"):
        response = _post("/api/auth/token", b"{}", "application/json", CONTENT_LENGTH=length)
        _is_json_4xx(response, 400)


def test_an_upload_may_be_10_mb_and_no_more(db):
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    content_type = f"multipart/form-data; boundary={boundary}"
    # (A web form: the JSON endpoints read the whole body as JSON, so 1 MB holds there.)
    fits = _post("/sign-in/", head + b"x" * (10 * MB - 1000) + tail, content_type)
    assert fits.status_code in (200, 403), fits.status_code  # read, then the CSRF refusal
    too_big = _post("/api/auth/token", head + b"x" * (11 * MB) + tail, content_type)
    _is_json_4xx(too_big, 413)
    assert too_big.json()["detail"] == "The request body is too large; the limit is 10 MB."


def test_too_many_fields_is_json_400_under_the_api(db):
    body = "&".join(f"f{i}=1" for i in range(1500)).encode()
    response = _post("/api/auth/token", body, "application/x-www-form-urlencoded")
    _is_json_4xx(response, 400, 422)


def test_too_many_files_is_json_400_under_the_api(db):
    boundary = "b0undary"
    parts = b"".join(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"; '
            f'filename="f{i}.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n'
        ).encode()
        for i in range(50)
    )
    body = parts + f"--{boundary}--\r\n".encode()
    response = _post("/api/auth/token", body, f"multipart/form-data; boundary={boundary}")
    _is_json_4xx(response, 400, 422)


def test_outside_the_api_an_oversized_or_unreadable_body_is_a_page_not_json(db):
    too_big = _post("/sign-in/", b"x" * (MB + 1), "application/x-www-form-urlencoded")
    assert too_big.status_code == 413 and too_big["Content-Type"].startswith("text/html")
    assert b"too large" in too_big.content
    no_boundary = _post("/sign-in/", b"username=a", "multipart/form-data")
    assert no_boundary.status_code in (400, 403)
    assert no_boundary["Content-Type"].startswith("text/html")


def test_the_limits_are_settings():
    from django.conf import settings

    assert settings.UPLOAD_MAX_BYTES == 10 * MB and settings.BODY_MAX_BYTES == MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == MB
    assert settings.MIDDLEWARE[0] == "events.web.middleware.RequestSizeLimitMiddleware"
