"""/healthz, and the app riding out a database outage without a restart or a traceback."""

import sqlite3
import uuid

import psycopg
import pytest
from django.db import connection, connections
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


def point_database_at(name):
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    conn.settings_dict["NAME"] = str(name)
    return saved


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_healthz_answers_503_when_the_sqlite_file_has_gone_and_does_not_create_it(client, tmp_path):
    gone = tmp_path / "outreach.sqlite3"
    saved = point_database_at(gone)
    try:
        health = client.get("/healthz")
        assert health.status_code == 503 and health["Content-Type"] == "application/json"
        assert health.json()["status"] == "unavailable"
        assert not gone.exists()
    finally:
        mend_database(saved)
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_on_a_database_without_the_apps_tables(client, tmp_path):
    if connection.vendor == "sqlite":
        empty = tmp_path / "empty.sqlite3"
        sqlite3.connect(empty).close()
        name = str(empty)
    else:
        name = f"outreach_empty_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as pg:
            pg.execute(f'CREATE DATABASE "{name}"')
    saved = point_database_at(name)
    try:
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
    finally:
        mend_database(saved)
        if connection.vendor != "sqlite":
            with psycopg.connect(
                "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
            ) as pg:
                pg.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    assert client.get("/healthz").status_code == 200
