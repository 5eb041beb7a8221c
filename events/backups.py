"""Backups and restores of the configured database.

SQLite: the online backup API (a consistent copy while the app runs). PostgreSQL:
``pg_dump --format=custom`` and ``pg_restore``.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


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
    target.parent.mkdir(parents=True, exist_ok=True)
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
    return target


def restore(source: Path, *, alias: str = "default") -> None:
    """Replace the database's contents with the backup at ``source``."""
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    conn = connections[alias]
    settings_dict = conn.settings_dict
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        with sqlite3.connect(source) as backup_db:
            backup_db.backup(conn.connection)
        backup_db.close()
    elif conn.vendor == "postgresql":
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
