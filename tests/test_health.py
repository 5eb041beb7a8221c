"""/healthz, and the app riding out a database outage without a restart or a traceback."""

import pytest
from django.db import connections
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def break_database():
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    if conn.vendor == "sqlite":
        conn.settings_dict["NAME"] = "/nonexistent-outreach-dir/db.sqlite3"
    else:
        conn.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    conn.close()
    return saved


def mend_database(saved):
    conn = connections["default"]
    conn.close()
    conn.settings_dict.clear()
    conn.settings_dict.update(saved)


def test_healthz_answers_200_with_the_database_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_app_answers_503_json_while_the_database_is_away_and_recovers(client, planner):
    client.force_login(planner)
    saved = break_database()
    try:
        health = client.get("/healthz")
        assert health.status_code == 503 and health["Content-Type"] == "application/json"
        assert health.json()["status"] == "unavailable"
        api = client.get("/api/events")
        assert api.status_code == 503 and api.json()["detail"].startswith("The database")
        page = client.get(reverse("home"))
        assert page.status_code == 503 and b"Traceback" not in page.content
    finally:
        mend_database(saved)
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/events").status_code == 200
