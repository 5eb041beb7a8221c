"""Running queued background tasks inside a test, through the real database backend.

Tasks enqueued with django-tasks-db are rows of ``DBTaskResult``; this runs them with the
worker's own ``run_task`` (the code ``manage.py db_worker`` runs), in this process and this
test's transaction. (``db_worker`` itself closes old connections between tasks, which would
break a test's transaction: start it as a subprocess where that matters.)"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

ROOT = Path(__file__).resolve().parent.parent


def run_queued_tasks() -> list[DBTaskResult]:
    """Run every ready task of the default backend, oldest first; answers them, finished."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = []
    ready = DBTaskResult.objects.ready().filter(backend_name="default")
    while (result := ready.first()) is not None:
        result.claim("tests")
        worker.run_task(result)
        result.refresh_from_db()
        ran.append(result)
    return ran


def database_url() -> str:
    """The test database as a DATABASE_URL, for a worker in a subprocess."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    user = settings.get("USER") or "postgres"
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@contextmanager
def worker_process(**extra_env):
    """A real ``manage.py db_worker`` on the test database (for transactional tests), stopped
    afterwards if it is still running. ``extra_env`` adds environment variables. Its output
    goes to a file (a pipe nobody reads would fill and stop it), ``process.log``."""
    import tempfile

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "outreach.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "EXPORTS_DIR": str(settings.EXPORTS_DIR),
        "PYTHONUNBUFFERED": "1",
        **{key: str(value) for key, value in extra_env.items()},
    }
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-reload"]
    with tempfile.NamedTemporaryFile("w+", prefix="db_worker-", suffix=".log") as log:
        process = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [*command, "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        process.log = log.name
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def wait_for(condition, *, timeout: float = 60, every: float = 0.05):
    """Poll ``condition()`` until it answers something true, and answer that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = condition()
        if answer:
            return answer
        time.sleep(every)
    raise AssertionError(f"Still not true after {timeout} s: {condition}")
