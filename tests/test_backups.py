"""Back up the live database, restore it into an empty one, and find every row."""

import os
import sqlite3
import stat
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


def test_backups_are_private_0600_in_a_0700_folder(tmp_path, settings, make_event):
    now_event(make_event, title="Redbourn County Show")
    made = tmp_path / "new" / "backups"
    dump = made / "outreach.dump"
    call_command("backup", str(dump))
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.stat().st_mode) == 0o700

    # The default folder is ours: tightened even where an older version left it 0755.
    settings.DATA_DIR = tmp_path / "data"
    (tmp_path / "data" / "backups").mkdir(parents=True, mode=0o755)
    (tmp_path / "data" / "backups").chmod(0o755)
    call_command("backup")
    folder = tmp_path / "data" / "backups"
    (written,) = folder.iterdir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert written.stat().st_size > 0

    # An existing file given as the target is overwritten and made 0600 too.
    loose = tmp_path / "loose.dump"
    loose.write_text("old")
    loose.chmod(0o644)
    call_command("backup", str(loose))
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600


def url_of_the_test_database(tmp_path) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'untouched.sqlite3'}"
    return f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"


def not_backups(tmp_path) -> list[Path]:
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n")
    empty = tmp_path / "empty.dump"
    empty.write_bytes(b"")
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE shopping (item TEXT)")
    db.close()
    return [text, empty, foreign]


def test_restore_refuses_a_file_that_is_not_a_backup_in_one_line_and_changes_nothing(
    tmp_path, make_event
):
    now_event(make_event, title="Redbourn County Show")
    with connection.cursor() as cursor:
        before = table_counts(cursor)
    for source in not_backups(tmp_path):
        with pytest.raises(CommandError, match="is not a backup made by") as refused:
            call_command("restore", str(source), "--yes")
        assert "\n" not in str(refused.value)
        with connection.cursor() as cursor:
            assert table_counts(cursor) == before


def test_restore_from_the_command_line_refuses_without_a_traceback(tmp_path):
    source = not_backups(tmp_path)[0]
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(source), "--yes"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url_of_the_test_database(tmp_path),
            "SECRET_KEY": "x" * 50,
            "DEBUG": "",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "is not a backup made by" in result.stderr
