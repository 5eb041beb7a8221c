"""Settings come from the environment, and production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    code = (
        "import outreach.settings as s; "
        "print(s.DEBUG, s.TIME_ZONE, s.USE_TZ, s.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_it_refuses_production_without_a_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_starts_in_production_with_a_secret_key():
    result = load_settings(SECRET_KEY="x" * 50, DATABASE_URL="sqlite:////tmp/outreach-x.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "Europe/London",
        "True",
        "django.db.backends.sqlite3",
    ]


def test_debug_is_off_unless_set_and_the_dev_key_only_exists_with_debug():
    result = load_settings(DEBUG="1", DATABASE_URL="sqlite:////tmp/outreach-x.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


def test_database_url_selects_postgresql():
    result = load_settings(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://postgres@127.0.0.1:5432/outreach"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "django.db.backends.postgresql"


def test_sqlite_uses_wal_and_immediate_transactions(settings, db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
