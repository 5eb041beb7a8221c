"""Background jobs that people wait on: export jobs (an Excel workbook or a PDF report built by
a worker, for the person who asked, downloadable for a limited time)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportJob(models.Model):
    """One export asked for by one person: its filter, its progress and, when done, its file.

    The worker writes the file under ``settings.EXPORTS_DIR`` with a temporary name and renames
    it when complete; ``heartbeat_at`` moves while it writes, so a job whose worker died is
    recognised and failed (``events.services.exports.fail_stale_jobs``)."""

    class Kind(models.TextChoices):
        XLSX = "engagement.xlsx", "Excel workbook"
        PDF = "engagement.pdf", "PDF management report"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    LIVE = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    filters = models.JSONField(default=dict, blank=True)
    # The filter as canonical text: the same export asked for twice has the same key.
    filter_key = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="host:process id")
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    detail = models.TextField(blank=True, help_text="Why it failed, in words")
    record = models.ForeignKey(
        "events.ExportRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="export_job_user_recent")]
        constraints = [
            # One live job per person, kind and filter: asking again answers that job.
            models.UniqueConstraint(
                fields=["user", "kind", "filter_key"],
                condition=Q(status__in=["queued", "running"]),
                name="export_job_one_live_per_request",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} ({self.status})"

    @property
    def progress(self) -> int:
        """0–100: rows written of rows to write (100 once done)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def extension(self) -> str:
        return self.kind.rsplit(".", 1)[-1]
