"""Backups and restores of the configured database.

SQLite: the online backup API (a consistent copy while the app runs). PostgreSQL:
``pg_dump --format=custom`` and ``pg_restore``.

Backups hold everyone's personal data: they are written 0600, and a folder made for them
is 0700. A restore first checks that the file is a backup of this app and changes nothing
when it is not.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every backup of this app has; a file without them is not one of ours.
REQUIRED_TABLES = ("django_migrations", "events_event")


def private_folder(folder: Path) -> Path:
    """Make ``folder`` (and any missing parents) and keep it 0700."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    return folder


def _private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 (or make an existing one 0600 and empty it) before
    anything is written to it, so the data is never readable by others, even briefly."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    path.chmod(0o600)


def _pg_env(settings_dict) -> dict:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def _pg_args(settings_dict) -> list[str]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return args


def _run(command: list[str], env) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    # An argument list (no shell) built from our own settings.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup(target: Path, *, alias: str = "default") -> Path:
    """Write a consistent backup of the database to ``target``."""
    conn = connections[alias]
    settings_dict = conn.settings_dict
    if not target.parent.exists():
        private_folder(target.parent)
    _private_file(target)
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        with sqlite3.connect(target) as copy:
            conn.connection.backup(copy)
        copy.close()
    elif conn.vendor == "postgresql":
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                *_pg_args(settings_dict),
                str(settings_dict["NAME"]),
            ],
            _pg_env(settings_dict),
        )
    else:
        raise BackupError(f"No backup method for {conn.vendor}.")
    target.chmod(0o600)
    return target


def _not_a_backup(source: Path, why: str) -> BackupError:
    return BackupError(f"{source} is not a backup made by `manage.py backup` ({why}).")


def _check_sqlite_backup(source: Path) -> None:
    with source.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise _not_a_backup(source, "not an SQLite database")
    try:
        # Read-only: checking a file must never change it.
        with sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        db.close()
    except sqlite3.DatabaseError as error:
        raise _not_a_backup(source, f"unreadable: {error}") from None
    missing = sorted(set(REQUIRED_TABLES) - {row[0] for row in rows})
    if missing:
        raise _not_a_backup(source, f"no {', '.join(missing)} table")


def _check_pg_backup(source: Path, settings_dict) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError(
            "pg_restore is not installed (Debian: apt-get install postgresql-client)."
        )
    # An argument list (no shell); ``--list`` only reads the archive's table of contents.
    result = subprocess.run(  # noqa: S603
        ["pg_restore", "--list", str(source)],  # noqa: S607
        env=_pg_env(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise _not_a_backup(source, "pg_restore cannot read it")
    listed = {
        word for line in result.stdout.splitlines() if " TABLE " in line for word in line.split()
    }
    missing = sorted(set(REQUIRED_TABLES) - listed)
    if missing:
        raise _not_a_backup(source, f"no {', '.join(missing)} table")


def restore(source: Path, *, alias: str = "default") -> None:
    """Replace the database's contents with the backup at ``source``."""
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    conn = connections[alias]
    settings_dict = conn.settings_dict
    if conn.vendor == "sqlite":
        _check_sqlite_backup(source)
        conn.ensure_connection()
        with sqlite3.connect(source) as backup_db:
            backup_db.backup(conn.connection)
        backup_db.close()
    elif conn.vendor == "postgresql":
        _check_pg_backup(source, settings_dict)
        conn.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                str(settings_dict["NAME"]),
                *_pg_args(settings_dict),
                str(source),
            ],
            _pg_env(settings_dict),
        )
    else:
        raise BackupError(f"No restore method for {conn.vendor}.")
