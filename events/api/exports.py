"""Export jobs: start one (202), follow its progress, download its file when done.

The job itself is events.reporting.jobs (the web's progress page uses the same); a job is
visible to the person who asked for it and to admins, and 404 to anyone else.
"""

import datetime as dt
import uuid
from typing import Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from ..models import ExportJob
from ..reporting import jobs
from ..reporting.downloads import serve_export
from .auth import STATS_READERS, signed_in
from .errors import GUARDED, responses
from .lists import LimitOffset
from .schemas import StatsFilters
from .stats import _file_response, stats_filter

router = Router(tags=["exports"], auth=signed_in(STATS_READERS))


class ExportIn(StatsFilters):
    """The kind of report and the summary's filters (``from``, ``to``, ``team``, …)."""

    kind: Literal["engagement.xlsx", "engagement.pdf"]

    model_config = ConfigDict(extra="forbid")


class ExportOut(Schema):
    id: uuid.UUID
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: int = Field(description="0–100: rows written of rows to write")
    rows_done: int
    rows_total: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download_url: str | None = Field(description="Set once the file is ready, until it expires")
    detail: str = Field(description="Why it failed, or that its file has expired")
    filters: dict
    description: str = Field(description="The filter in words")
    size: int | None = Field(description="Bytes, once done")
    expires_at: dt.datetime | None = Field(description="The file is removed after this")


NOT_READY = {
    ExportJob.Status.QUEUED: "The export is waiting for a worker; try again when it is done.",
    ExportJob.Status.RUNNING: "The export is still being written; try again when it is done.",
    ExportJob.Status.FAILED: "The export failed, so there is no file: see its detail.",
}


def _state(job: ExportJob) -> dict:
    return jobs.job_state(job, reverse("api:export_file", args=[job.pk]))


def _job(user, export_id: uuid.UUID) -> ExportJob:
    job = jobs.visible_jobs(user).filter(pk=export_id).first()
    if job is None:
        raise Http404("No such export.")
    return job


@router.post("/exports", response=responses({202: ExportOut}, *GUARDED, 422))
def export_start(request, payload: ExportIn):
    """Start building a report in the background (or answer my queued or running job for the
    same kind and filter). Poll ``GET /api/exports/{id}``; download from ``download_url``."""
    filters = stats_filter(payload)  # the same checks as the summary's (unknown team → 422)
    job, _created = jobs.export_start(user=request.auth, kind=payload.kind, filters=filters)
    return Status(202, _state(job))


def _states(items: list, **params) -> None:
    items[:] = [_state(job) for job in items]


@router.get("/exports", response=responses({200: list[ExportOut]}, *GUARDED, 422))
@paginate(LimitOffset, each_page=_states)
def export_list(request):
    """My export jobs, newest first (admins: everyone's)."""
    return jobs.visible_jobs(request.auth).order_by("-created_at", "pk")


@router.get("/exports/{export_id}", response=responses({200: ExportOut}, *GUARDED, 404, 422))
def export_detail(request, export_id: uuid.UUID):
    return _state(_job(request.auth, export_id))


@router.get(
    "/exports/{export_id}/file",
    response=responses({}, *GUARDED, 404, 409, 410, 422),
    openapi_extra=_file_response("application/octet-stream", "The export's file, once done"),
    url_name="export_file",
)
def export_file(request, export_id: uuid.UUID):
    """The file, once the job is done (409 before; 410 once it has expired)."""
    job = _job(request.auth, export_id)
    if job.status != ExportJob.Status.DONE:
        return Status(409, {"detail": NOT_READY[job.status], "conflicts": []})
    if jobs.is_expired(job):
        raise HttpError(410, "This export has expired and its file was removed; start it again.")
    return serve_export(job)
