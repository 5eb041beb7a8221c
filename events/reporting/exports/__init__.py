"""Exports of engagement figures: each one written to a stream and recorded.

The views and the API call these entry points, so every export re-checks the same
permissions as the screens and leaves an :class:`~events.models.ExportRecord` (who, when,
which format and filter, how many rows), which admins see in the admin site.
"""

from django.core.exceptions import PermissionDenied

from ... import permissions
from ...models import Event, ExportRecord
from ..stats import StatsFilter
from . import debrief, pdf, xlsx
from .progress import Progress

ENGAGEMENT_FORMATS = ("xlsx", "pdf")


def export_record(*, user, kind: str, filters: dict, rows: int) -> ExportRecord:
    """Record one export in the export log."""
    return ExportRecord.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        filters=filters,
        rows=rows,
    )


def export_engagement(
    *, user, filters: StatsFilter, fmt: str, stream, progress: Progress | None = None
) -> ExportRecord:
    """Write the engagement report (``fmt``: "xlsx" or "pdf") to a binary stream, and log it.

    Raises PermissionDenied for users who may not see the figures. ``progress`` (optional)
    counts the rows as they are written (an export job's progress bar).
    """
    if not permissions.can_view_stats(user):
        raise PermissionDenied("Only planners, managers and admins may export engagement figures.")
    writer = {"xlsx": xlsx.write_engagement, "pdf": pdf.write_engagement}[fmt]
    rows = writer(stream, filters, progress=progress)
    return export_record(user=user, kind=f"engagement.{fmt}", filters=filters.as_dict(), rows=rows)


def export_debrief(*, user, event: Event, stream) -> ExportRecord:
    """Write an event's one-page debrief PDF to a binary stream, and log it.

    Raises PermissionDenied unless the user may see this event's debrief (callers answer
    404 to users who may not see the event at all).
    """
    if not permissions.can_see_debrief(user, event):
        raise PermissionDenied("Only officers on the event, planners, managers and admins.")
    rows = debrief.write_debrief(stream, event)
    return export_record(user=user, kind="debrief.pdf", filters={"event": event.pk}, rows=rows)
