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


# ---- safe by default in production ----------------------------------------------------------

PRODUCTION = {"SECRET_KEY": "k3y-" + "aZ9x" * 14, "ALLOWED_HOSTS": "outreach.example.police.uk"}


def only(**env):
    """A bare environment: nothing but a PATH and what the test names."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}


def settings_values(env, *names):
    code = "import outreach.settings as s; " + "; ".join(f"print(repr(s.{n}))" for n in names)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return dict(zip(names, result.stdout.splitlines(), strict=True))


def test_the_deploy_check_passes_with_only_a_secret_key_and_allowed_hosts():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=only(**PRODUCTION),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_with_debug_off_https_redirect_and_a_years_hsts_are_on_by_default():
    values = settings_values(
        only(**PRODUCTION),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_AGE",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SESSION_COOKIE_SECURE": "True",
        "SESSION_COOKIE_AGE": str(12 * 3600),
    }


def test_the_redirect_and_hsts_can_be_turned_off_for_a_proxy_that_redirects_itself():
    values = settings_values(
        only(**PRODUCTION, SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0", SESSION_HOURS="8"),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_AGE",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "False",
        "SESSION_COOKIE_AGE": str(8 * 3600),
    }


def test_development_has_no_redirect_and_no_hsts():
    values = settings_values(only(DEBUG="1"), "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")
    assert values == {"SECURE_SSL_REDIRECT": "False", "SECURE_HSTS_SECONDS": "0"}


def test_forwarded_for_is_trusted_only_when_proxies_are_counted():
    names = ("TRUSTED_PROXIES", "SECURE_PROXY_SSL_HEADER")
    assert settings_values(only(**PRODUCTION), *names) == {
        "TRUSTED_PROXIES": "0",
        "SECURE_PROXY_SSL_HEADER": "None",
    }
    assert settings_values(only(**PRODUCTION, BEHIND_PROXY="1"), *names) == {
        "TRUSTED_PROXIES": "1",
        "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
    }
    behind_two = settings_values(only(**PRODUCTION, BEHIND_PROXY="1", TRUSTED_PROXIES="2"), *names)
    assert behind_two["TRUSTED_PROXIES"] == "2"


def test_a_production_request_over_http_is_redirected_with_hsts_over_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/sign-in/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    secure = client.get("/sign-in/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


def test_a_session_lasts_a_working_shift(client, planner):
    from .factories import PASSWORD

    client.post("/sign-in/", {"username": "planner", "password": PASSWORD})
    assert client.session.get_expiry_age() == 12 * 3600


def test_every_environment_variable_read_is_in_the_readme_table_and_env_example():
    """The README's configuration table and .env.example are the production documentation:
    a setting read from the environment but missing from either is a setting nobody finds."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    read = r"(?:os\.environ\.get|envbool|envint|envlist)\(\s*\"([A-Z][A-Z0-9_]+)\""
    names = set()
    for module in ("outreach/settings.py", "outreach/gunicorn.py"):
        names |= set(re.findall(read, (root / module).read_text()))
    assert {"SECRET_KEY", "TRUSTED_PROXIES", "UPLOAD_MAX_MB", "GUNICORN_MAX_REQUESTS"} <= names
    readme = (root / "README.md").read_text().splitlines()
    table = [line for line in readme if line.startswith("| `")]
    in_table = {name for line in table for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line)}
    example_text = (root / ".env.example").read_text()
    example = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example_text, re.M))
    assert not names - in_table, f"not in the README's table: {sorted(names - in_table)}"
    assert not names - example, f"not in .env.example: {sorted(names - example)}"
