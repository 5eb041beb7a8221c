"""Export jobs run by a real ``manage.py db_worker`` in its own process, on the test database
(SQLite or PostgreSQL): the behaviour that depends on a separate worker (issue 12)."""

import datetime as dt
import io
import os
import signal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from events.models import EngagementLog, ExportJob
from events.reporting import jobs

from .api_support import as_user
from .factories import assign, log
from .tasks_support import wait_for, worker_process

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.fixture
def held(make_event, officer_user):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=7)
    event = make_event(title="Redbourn County Show", starts_at=start)
    assign(event, officer_user.officer)
    log(event, officer_user.officer, visitors=21, signups=3)
    return event


def status_of(job_id) -> ExportJob:
    return ExportJob.objects.get(pk=job_id)


def test_a_worker_process_runs_the_job_and_the_file_opens_with_the_summarys_totals(manager, held):
    api = as_user(manager)
    with worker_process():
        job = api.post("/api/exports", {"kind": "engagement.xlsx"}).json()
        done = wait_for(lambda: api.get(f"/api/exports/{job['id']}").json()["download_url"])
    state = api.get(f"/api/exports/{job['id']}").json()
    assert state["status"] == "done" and state["progress"] == 100
    workbook = load_workbook(io.BytesIO(api.get(done).body), read_only=True)
    summary = {
        row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if len(row) > 1
    }
    assert summary["Visitors engaged"] == api.get("/api/stats/summary").json()["visitors"] == 21


def test_a_worker_killed_mid_export_leaves_a_failed_job_with_a_reason_and_no_file(
    manager, held, officer_user, exports_dir
):
    # Enough entries that writing the workbook takes a while.
    recorded = held.starts_at + dt.timedelta(hours=1)
    EngagementLog.objects.bulk_create(
        EngagementLog(event=held, officer=officer_user.officer, recorded_at=recorded, visitors=1)
        for _ in range(40_000)
    )
    api = as_user(manager)
    with worker_process() as worker:
        job = api.post("/api/exports", {"kind": "engagement.xlsx"}).json()
        wait_for(lambda: status_of(job["id"]).status == "running", every=0.01)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    killed = status_of(job["id"])
    assert killed.status == "running"  # nobody has noticed yet
    assert killed.worker.endswith(f":{worker.pid}")

    # The next worker to start fails it, with a reason, and removes the partial file.
    with worker_process():
        failed = wait_for(lambda: status_of(job["id"]).status == "failed" and status_of(job["id"]))
    assert failed.detail == jobs.STOPPED and failed.finished_at is not None
    assert not failed.file_name and not failed.size
    assert not exports_dir.exists() or list(exports_dir.iterdir()) == []
    state = api.get(f"/api/exports/{job['id']}").json()
    assert state["status"] == "failed" and "worker stopped" in state["detail"]
    assert api.get(f"/api/exports/{job['id']}/file").status_code == 409
    # Asking again starts a new job (the failed one is not live).
    again = api.post("/api/exports", {"kind": "engagement.xlsx"}).json()
    assert again["id"] != job["id"] and again["status"] == "queued"


def test_a_silent_worker_elsewhere_is_failed_after_the_stale_time(manager, held, settings):
    """A job last heard of from another machine is failed once its heartbeat is old."""
    job, _ = jobs.export_start(user=manager, kind="engagement.pdf", filters=jobs.StatsFilter())
    beat = timezone.now() - dt.timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    ExportJob.objects.filter(pk=job.pk).update(
        status="running", worker="another-host:4242", heartbeat_at=beat
    )
    assert jobs.fail_stale_jobs(now=beat + dt.timedelta(seconds=30)) == 0  # still fresh then
    assert jobs.fail_stale_jobs() == 1
    assert status_of(job.pk).status == "failed"
