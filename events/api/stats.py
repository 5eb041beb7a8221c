"""Figures and reports: the summary, one event's figures, the engagement report, debriefs.

Every figure comes from events/stats.py (one number everywhere); these endpoints only
check who may see them and pass the filter on.
"""

from django.core.exceptions import PermissionDenied
from ninja import Query, Router
from ninja.errors import HttpError

from .. import permissions
from .auth import STATS_READERS, signed_in
from .errors import GUARDED, responses
from .schemas import Id, StatsFilters, SummaryOut

router = Router(tags=["statistics"], auth=signed_in())

NOT_YET = "Not available yet: the statistics module is still being written."


@router.get(
    "/stats/summary",
    auth=signed_in(STATS_READERS),
    response=responses({200: SummaryOut}, *GUARDED, 422, 501),
)
def stats_summary(request, filters: Query[StatsFilters]):
    raise HttpError(501, NOT_YET)


@router.get(
    "/events/{event_id}/stats",
    response=responses({200: SummaryOut}, *GUARDED, 404, 422, 501),
)
def event_stats(request, event_id: Id):
    event = permissions.get_event_for(request.auth, event_id)
    if not permissions.can_see_debrief(request.auth, event):
        raise PermissionDenied("Only officers on the event, planners, managers and admins.")
    raise HttpError(501, NOT_YET)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def _file_response(media_type: str, description: str) -> dict:
    """``openapi_extra`` documenting a file answer (ninja's ``response=`` is JSON only)."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {"200": {"description": description, "content": content}}}


@router.get(
    "/reports/engagement.xlsx",
    auth=signed_in(STATS_READERS),
    response=responses({}, *GUARDED, 422, 501),
    openapi_extra=_file_response(XLSX, "The engagement report as an Excel workbook"),
)
def report_xlsx(request, filters: Query[StatsFilters]):
    raise HttpError(501, NOT_YET)


@router.get(
    "/reports/engagement.pdf",
    auth=signed_in(STATS_READERS),
    response=responses({}, *GUARDED, 422, 501),
    openapi_extra=_file_response(PDF, "The engagement report as a PDF"),
)
def report_pdf(request, filters: Query[StatsFilters]):
    raise HttpError(501, NOT_YET)


@router.get(
    "/events/{event_id}/debrief.pdf",
    response=responses({}, *GUARDED, 404, 422, 501),
    openapi_extra=_file_response(PDF, "The one-page event debrief"),
)
def debrief_pdf(request, event_id: Id):
    event = permissions.get_event_for(request.auth, event_id)
    if not permissions.can_see_debrief(request.auth, event):
        raise PermissionDenied("Only officers on the event, planners, managers and admins.")
    raise HttpError(501, NOT_YET)
