"""Back up the live database, restore it into an empty one, and find every row."""

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from .api_support import now_event
from .factories import assign, book, log, make_kit, make_officer

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def table_counts(cursor) -> dict[str, int]:
    counts = {}
    for model in apps.get_app_config("events").get_models():
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')  # noqa: S608
        counts[model._meta.db_table] = cursor.fetchone()[0]
    cursor.execute('SELECT COUNT(*) FROM "auth_user"')
    counts["auth_user"] = cursor.fetchone()[0]
    return counts


def test_backup_then_restore_into_an_empty_database_keeps_every_row(
    tmp_path, make_event, team, topic, officer_user
):
    event = now_event(make_event, title="Redbourn County Show")
    officer = make_officer(team=team, name="Siân Llewelyn")
    assign(event, officer)
    book(event, make_kit())
    for n in range(25):
        log(event, officer, visitors=n, topics=[(topic, 1)], notes=f"note {n}")
    with connection.cursor() as cursor:
        expected = table_counts(cursor)
    assert expected["events_engagementlog"] == 25

    dump = tmp_path / "outreach.dump"
    call_command("backup", str(dump))
    assert dump.stat().st_size > 0

    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        url = f"sqlite:///{target}"
    else:
        name = f"outreach_restore_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as pg:
            pg.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x" * 50, "DEBUG": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(dump), "--yes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

    if connection.vendor == "sqlite":
        with sqlite3.connect(target) as restored:
            assert table_counts(restored.cursor()) == expected
        restored.close()
    else:
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as restored:
            assert table_counts(restored.cursor()) == expected
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as pg:
            pg.execute(f'DROP DATABASE "{name}"')


def test_restoring_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "nope.dump"), "--yes")
