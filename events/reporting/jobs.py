"""Export jobs: the workbook and the PDF report built by a worker, not inside a web request.

``export_start`` records the job (or answers the same person's live job for the same kind and
filter) and enqueues it once the transaction commits; the worker runs ``export_run``, which
writes the file under a temporary name with its progress in the job's row, and renames it
when complete, so nobody ever downloads half a file. ``fail_stale_jobs`` (run when a worker
starts) fails a job whose worker died mid-export, and ``remove_expired`` removes files past
their keeping time. The web page and the API both read jobs through ``job_state``.
"""

import json
import logging
import os
import socket
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import permissions
from ..models import ExportJob
from .exports import export_engagement
from .exports.progress import Progress
from .stats import StatsFilter

logger = logging.getLogger(__name__)

KINDS = {kind.value: kind.value.rsplit(".", 1)[1] for kind in ExportJob.Kind}
STOPPED = (
    "The worker stopped while writing this export (it was shut down or restarted). "
    "Start the export again."
)


def folder() -> Path:
    """Where export files live: readable by the service's own user only (they hold names)."""
    path = Path(settings.EXPORTS_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def file_path(job: ExportJob) -> Path:
    return folder() / f"{job.pk}.{job.extension}"


def _part_path(job: ExportJob) -> Path:
    return folder() / f"{job.pk}.{job.extension}.part"


def filter_key(filters: StatsFilter) -> str:
    return json.dumps(filters.as_dict(), sort_keys=True, separators=(",", ":"))


def export_start(*, user, kind: str, filters: StatsFilter) -> tuple[ExportJob, bool]:
    """(the job, whether it is new). The same person asking for the same kind and filter
    while a job is queued or running gets that job, not a second one."""
    if kind not in KINDS:
        raise ValueError(f"Unknown export kind {kind!r}.")
    if not permissions.can_view_stats(user):
        raise PermissionDenied("Only planners, managers and admins may export engagement figures.")
    key = filter_key(filters)
    live = ExportJob.objects.filter(user=user, kind=kind, filter_key=key, status__in=ExportJob.LIVE)
    with transaction.atomic():
        existing = live.first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():  # the partial unique index settles a race
                job = ExportJob.objects.create(
                    user=user, kind=kind, filters=filters.as_dict(), filter_key=key
                )
        except IntegrityError:
            return live.get(), False
        transaction.on_commit(lambda: _enqueue(job))
    return job, True


def _enqueue(job: ExportJob) -> None:
    from .tasks import run_export

    run_export.enqueue(str(job.pk))


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _report(job_id):
    def report(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
            rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )

    return report


def export_run(job_id) -> str:
    """The worker's part: write the job's file with its progress, then mark it done (or failed
    with the reason). Answers the job's final status."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=now, heartbeat_at=now, worker=_worker_name()
    )
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or not claimed:
        return job.status if job else "missing"
    part, final = _part_path(job), file_path(job)
    try:
        descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            record = export_engagement(
                user=job.user,
                filters=StatsFilter.from_dict(job.filters),
                fmt=job.extension,
                stream=stream,
                progress=Progress(_report(job.pk), every=settings.EXPORT_PROGRESS_SECONDS),
            )
        size = part.stat().st_size
        os.replace(part, final)  # atomic: the file is whole or absent
    except Exception as error:
        part.unlink(missing_ok=True)
        logger.exception("Export job %s failed", job.pk)
        reason = (
            str(error)
            if isinstance(error, PermissionDenied | ValueError)
            else "The export could not be written; the error is in the server's log."
        )
        _finish(job, ExportJob.Status.FAILED, detail=reason)
        return ExportJob.Status.FAILED
    finished = _finish(
        job,
        ExportJob.Status.DONE,
        file_name=final.name,
        size=size,
        record=record,
        rows_done=record.rows,
        rows_total=record.rows,
        finished_at=(finished_at := timezone.now()),
        expires_at=finished_at + timezone.timedelta(days=settings.EXPORT_KEEP_DAYS),
    )
    if not finished:  # failed meanwhile as stale: the file is not handed out
        final.unlink(missing_ok=True)
        return ExportJob.Status.FAILED
    return ExportJob.Status.DONE


def _finish(job: ExportJob, status: str, **fields) -> bool:
    """Mark a running job finished (only if it is still running); whether it was."""
    fields.setdefault("finished_at", timezone.now())
    running = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING)
    return bool(running.update(status=status, **fields))


def _alive(worker: str) -> bool:
    """Whether the worker process named "host:pid" may still be running (only a process on
    this host can be known to be gone)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, run by another user
        pass
    return True


def fail_stale_jobs(*, now=None) -> int:
    """Fail running jobs whose worker is gone (a process on this host that no longer exists)
    or silent (no heartbeat for ``EXPORT_STALE_SECONDS``), removing their partial files.
    Run when a worker starts; answers how many were failed."""
    now = now or timezone.now()
    silent = now - timezone.timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    failed = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.RUNNING):
        if job.worker == _worker_name():
            continue
        if (job.heartbeat_at and job.heartbeat_at >= silent) and _alive(job.worker):
            continue
        if _finish(job, ExportJob.Status.FAILED, detail=STOPPED):
            _part_path(job).unlink(missing_ok=True)
            failed += 1
    return failed


def remove_expired(*, now=None) -> int:
    """Remove the files of finished jobs past their keeping time; answers how many."""
    now = now or timezone.now()
    removed = 0
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(file_name="")
    for job in expired:
        (folder() / job.file_name).unlink(missing_ok=True)
        removed += ExportJob.objects.filter(pk=job.pk).update(file_name="")
    return removed


def is_expired(job: ExportJob, *, now=None) -> bool:
    return job.status == ExportJob.Status.DONE and (
        not job.file_name
        or (job.expires_at is not None and job.expires_at <= (now or timezone.now()))
    )


def visible_jobs(user):
    """The jobs this person may see: their own, or everyone's for an admin."""
    jobs = ExportJob.objects.select_related("user")
    return jobs if permissions.is_admin(user) else jobs.filter(user=user)


def recent_jobs(user, *, limit: int = 50):
    """This person's own latest jobs (the "My exports" page)."""
    return ExportJob.objects.filter(user=user)[:limit]


def job_state(job: ExportJob, download_url: str | None) -> dict:
    """The job as the API and the progress page's poll both answer it."""
    done = job.status == ExportJob.Status.DONE and not is_expired(job)
    detail = job.detail
    if job.status == ExportJob.Status.DONE and not done:
        detail = "This export has expired and its file was removed; start it again."
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "download_url": download_url if done else None,
        "detail": detail,
        "filters": job.filters,
        "description": StatsFilter.from_dict(job.filters).describe(),
        "size": job.size,
        "expires_at": job.expires_at,
    }
