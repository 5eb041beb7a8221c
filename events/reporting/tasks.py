"""Background tasks of the reporting layer (Django's Tasks framework; see README)."""

from django.tasks import task

from . import jobs


# Someone is watching an export's progress bar: it goes ahead of e-mails in the queue.
@task(priority=50)
def run_export(job_id: str) -> str:
    """Write one export job's file; then remove any files past their keeping time."""
    status = jobs.export_run(job_id)
    jobs.remove_expired()
    return status


@task
def remove_expired_exports() -> int:
    return jobs.remove_expired()
