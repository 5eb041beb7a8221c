"""The OpenAPI document covers the whole contract; the docs page uses only local assets."""

import re

import pytest

from .api_support import Api

CONTRACT = {
    ("POST", "/api/auth/token"),
    ("DELETE", "/api/auth/token"),
    ("GET", "/api/teams"),
    ("GET", "/api/topics"),
    ("GET", "/api/event-types"),
    ("GET", "/api/officers"),
    ("POST", "/api/officers"),
    ("GET", "/api/officers/{officer_id}"),
    ("PATCH", "/api/officers/{officer_id}"),
    ("GET", "/api/kit"),
    ("POST", "/api/kit"),
    ("GET", "/api/kit/{kit_id}"),
    ("PATCH", "/api/kit/{kit_id}"),
    ("GET", "/api/kit/availability"),
    ("GET", "/api/events"),
    ("POST", "/api/events"),
    ("GET", "/api/events/{event_id}"),
    ("PATCH", "/api/events/{event_id}"),
    ("DELETE", "/api/events/{event_id}"),
    ("POST", "/api/events/{event_id}/copy"),
    ("GET", "/api/events/{event_id}/assignments"),
    ("POST", "/api/events/{event_id}/assignments"),
    ("DELETE", "/api/events/{event_id}/assignments/{assignment_id}"),
    ("GET", "/api/events/{event_id}/kit-bookings"),
    ("POST", "/api/events/{event_id}/kit-bookings"),
    ("DELETE", "/api/events/{event_id}/kit-bookings/{booking_id}"),
    ("POST", "/api/events/{event_id}/kit-bookings/{booking_id}/check-out"),
    ("POST", "/api/events/{event_id}/kit-bookings/{booking_id}/return"),
    ("GET", "/api/events/{event_id}/logs"),
    ("POST", "/api/events/{event_id}/logs"),
    ("PATCH", "/api/logs/{log_id}"),
    ("DELETE", "/api/logs/{log_id}"),
    ("GET", "/api/stats/summary"),
    ("GET", "/api/events/{event_id}/stats"),
    ("GET", "/api/reports/engagement.xlsx"),
    ("GET", "/api/reports/engagement.pdf"),
    ("GET", "/api/events/{event_id}/debrief.pdf"),
}


@pytest.fixture
def schema(db):
    response = Api().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_every_path_of_the_contract_is_documented(schema):
    documented = {(method, path) for method, path, _op in operations(schema)}
    assert not CONTRACT - documented, sorted(CONTRACT - documented)


def test_every_operation_documents_its_error_statuses(schema):
    for method, path, operation in operations(schema):
        statuses = set(operation["responses"])
        label = f"{method} {path}"
        if operation.get("security"):
            assert "401" in statuses, label
            # Revoking one's own token is the one thing any signed-in user may do.
            assert "403" in statuses or label == "DELETE /api/auth/token", label
        if "{" in path or operation.get("parameters") or operation.get("requestBody"):
            assert "422" in statuses, label
        if "{" in path:
            assert "404" in statuses, label
        # Every operation is under the per-address throttle (issue 13, item 1).
        assert "429" in statuses, label
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ConflictOut" if status == "409" else "/Error"), label


def test_clashes_are_documented_where_they_can_happen(schema):
    paths = schema["paths"]
    assert "409" in paths["/api/events/{event_id}/assignments"]["post"]["responses"]
    assert "409" in paths["/api/events/{event_id}/kit-bookings"]["post"]["responses"]
    kinds = schema["components"]["schemas"]["ConflictItem"]["properties"]["kind"]["enum"]
    assert set(kinds) == {
        "officer_overlap",
        "officer_unavailable",
        "kit_overlap",
        "kit_stock",
        "kit_unavailable",
    }


def test_both_ways_of_signing_in_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionCookie"]["in"] == "cookie"


def test_unknown_fields_are_documented_as_refused(schema):
    for name in ["EventIn", "EventPatch", "LogIn", "LogPatch", "AssignmentIn", "BookingIn"]:
        assert schema["components"]["schemas"][name]["additionalProperties"] is False, name


def test_the_docs_page_loads_only_local_assets(db):
    response = Api().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    inline = [attrs for attrs, body in scripts if body.strip() and "application/json" not in attrs]
    assert inline == []  # nothing the CSP ('self' + nonce) would block
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_docs_page_sends_the_csrf_token_for_signed_in_tries(planner):
    from django.test import Client

    client = Client()
    client.force_login(planner)
    html = client.get("/api/docs").content.decode()
    token = re.search(r'data-csrf-token="([^"]+)"', html)
    assert token and client.cookies["csrftoken"].value
