"""Schemathesis fuzzes the API from its own OpenAPI document, in-process through WSGI.

Each operation gets generated requests (valid and invalid) from an admin and from an
officer; the run fails on any 5xx, any status the document does not list for that
operation, and any answer that does not match its documented schema or media type.
"""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.api.auth import token_issue
from outreach.api import api

from .api_support import now_event
from .factories import assign, book, log, make_kit, make_officer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(make_event, team, officer_user, topic):
    """Something for generated ids to find: half the generated ids are pointed at these."""
    event = now_event(make_event)
    officer = officer_user.officer
    assignment = assign(event, officer)
    booking = book(event, make_kit())
    return {
        "event_id": event.pk,
        "officer_id": make_officer(team=team).pk,
        "kit_id": make_kit(name="Gazebo", tag="GZB-01", category="gazebo").pk,
        "assignment_id": assignment.pk,
        "booking_id": booking.pk,
        "log_id": log(event, officer, visitors=3, topics=[(topic, 1)]).pk,
    }


@pytest.fixture(autouse=True)
def in_process(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis's WSGI host
    # As Django's test client does: the request cycle must not close the test's connection
    # (and with it the transaction every test runs in).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The document as served at /api/openapi.json (a test checks they are the same).
DOCUMENT = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api"), cls=DjangoJSONEncoder))


def served(app):
    """The app with each answer read to the end and closed, as a WSGI server does (the
    WSGI test client schemathesis uses reads downloads but leaves them open)."""

    def call(environ, start_response):
        result = app(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            result.close()

    return call


schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = served(get_wsgi_application())

FUZZ = hypothesis_settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def send(case, user, world):
    for name, value in case.path_parameters.items():
        if name in world and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = world[name]
    token, _record = token_issue(user)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@schema.parametrize()
@hypothesis_settings(FUZZ, max_examples=12)
def test_the_api_keeps_its_contract_for_an_admin(case, admin_user, world):
    send(case, admin_user, world)


@schema.parametrize()
@hypothesis_settings(FUZZ, max_examples=5)
def test_the_api_keeps_its_contract_for_an_officer(case, officer_user, world):
    send(case, officer_user, world)


def test_the_fuzzed_document_is_the_served_one(client):
    assert client.get("/api/openapi.json").json() == DOCUMENT
