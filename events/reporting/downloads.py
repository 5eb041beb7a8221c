"""Handing a written export to an HTTP client: spooled to memory or disk, closed on failure.

The web views and the API both answer downloads this way.
"""

import tempfile
from contextlib import contextmanager

from django.http import FileResponse

SPOOL = 32 * 1024 * 1024  # exports larger than this go to a temporary file, not memory


def spool():
    return tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 (FileResponse closes it)


@contextmanager
def closing_on_error(stream):
    """The stream, closed if writing fails (otherwise the response closes it when sent)."""
    try:
        yield stream
    except BaseException:
        stream.close()
        raise


def download(stream, filename: str, content_type: str, *, attachment=True) -> FileResponse:
    stream.seek(0)
    return FileResponse(
        stream, as_attachment=attachment, filename=filename, content_type=content_type
    )


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export_filename(job) -> str:
    """``engagement-<from>-<to>.xlsx`` (or ``-all``), as the direct downloads name it."""
    period = "-".join(job.filters[key] for key in ("from", "to") if job.filters.get(key))
    return f"engagement-{period or 'all'}.{job.extension}"


def serve_export(job) -> FileResponse:
    """An export job's finished file, as an attachment."""
    from .jobs import file_path

    return FileResponse(
        open(file_path(job), "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=export_filename(job),
        content_type=EXPORT_TYPES[job.extension],
    )
