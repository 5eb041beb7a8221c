"""Figures and reports: the summary, one event's figures, the engagement report, debriefs.

Every figure comes from events/stats.py and every file from events/reports (one number
everywhere, every export recorded); these endpoints check the caller and the filter and
pass them on.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.text import slugify
from ninja import Query, Router

from .. import permissions
from ..reporting import exports as reports
from ..reporting import stats
from ..reporting.downloads import closing_on_error, download, spool
from ..reporting.exports import pdf, poster, xlsx
from ..reporting.params import StatsFilterForm
from ..time import local_date
from .auth import STATS_READERS, signed_in
from .errors import GUARDED, responses
from .schemas import CoverageFilters, CoverageOut, Id, StatsFilters, SummaryOut

router = Router(tags=["statistics"], auth=signed_in())


def stats_filter(filters: StatsFilters) -> stats.StatsFilter:
    """The checked filter, by the same rules as the dashboard's (unknown team → 422)."""
    data = filters.model_dump(by_alias=True, exclude_none=True)
    form = StatsFilterForm({name: str(value) for name, value in data.items()})
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return form.filters()


def debrief_event(user, event_id):
    """The event, if this user may see its figures: officers only those they are on."""
    event = permissions.get_event_for(user, event_id)
    if not permissions.can_see_debrief(user, event):
        raise Http404("No such event.")
    return event


@router.get(
    "/stats/summary",
    auth=signed_in(STATS_READERS),
    response=responses({200: SummaryOut}, *GUARDED, 422),
)
def stats_summary(request, filters: Query[StatsFilters]):
    """Figures for events that started in the period (Europe/London dates, inclusive)."""
    return stats.summary(stats_filter(filters))


@router.get(
    "/stats/coverage",
    auth=signed_in(STATS_READERS),
    response=responses({200: CoverageOut}, *GUARDED, 422),
)
def stats_coverage(request, filters: Query[CoverageFilters]):
    """Every postcode district (area) with the events held there in the period, visitors,
    sign-ups and the last event ever held there, longest gap first; ``outside`` counts the
    held events whose postcode is blank or in no listed area."""
    return stats.coverage(stats_filter(filters), months=filters.months)


@router.get("/events/{event_id}/stats", response=responses({200: SummaryOut}, *GUARDED, 404, 422))
def event_stats(request, event_id: Id):
    """The summary's figures for one event (officers: events they are on)."""
    return stats.event_summary(debrief_event(request.auth, event_id))


def _file_response(media_type: str, description: str) -> dict:
    """``openapi_extra`` documenting a file answer (ninja's ``response=`` is JSON only)."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {"200": {"description": description, "content": content}}}


def _engagement(request, filters: StatsFilters, fmt: str):
    checked = stats_filter(filters)
    with closing_on_error(spool()) as stream:
        reports.export_engagement(user=request.auth, filters=checked, fmt=fmt, stream=stream)
    period = "-".join(
        day.isoformat() for day in (checked.date_from, checked.date_to) if day is not None
    )
    content_type = xlsx.CONTENT_TYPE if fmt == "xlsx" else pdf.CONTENT_TYPE
    return download(stream, f"engagement-{period or 'all'}.{fmt}", content_type)


@router.get(
    "/reports/engagement.xlsx",
    auth=signed_in(STATS_READERS),
    response=responses({}, *GUARDED, 422),
    openapi_extra=_file_response(xlsx.CONTENT_TYPE, "The engagement report as an Excel workbook"),
)
def report_xlsx(request, filters: Query[StatsFilters]):
    """The management report for the summary's filters, as a workbook (recorded)."""
    return _engagement(request, filters, "xlsx")


@router.get(
    "/reports/engagement.pdf",
    auth=signed_in(STATS_READERS),
    response=responses({}, *GUARDED, 422),
    openapi_extra=_file_response(pdf.CONTENT_TYPE, "The engagement report as a PDF"),
)
def report_pdf(request, filters: Query[StatsFilters]):
    """The management report for the summary's filters, as a PDF (recorded)."""
    return _engagement(request, filters, "pdf")


@router.get(
    "/events/{event_id}/debrief.pdf",
    response=responses({}, *GUARDED, 404, 422),
    openapi_extra=_file_response(pdf.CONTENT_TYPE, "The one-page event debrief"),
)
def debrief_pdf(request, event_id: Id):
    """The one-page debrief (officers: events they are on); recorded in the export log."""
    event = debrief_event(request.auth, event_id)
    with closing_on_error(spool()) as stream:
        reports.export_debrief(user=request.auth, event=event, stream=stream)
    day = local_date(event.starts_at).isoformat()
    name = f"debrief-{slugify(event.title)[:60] or 'event'}-{day}.pdf"
    return download(stream, name, pdf.CONTENT_TYPE, attachment=False)


@router.get(
    "/events/{event_id}/poster.pdf",
    response=responses({}, *GUARDED, 404, 422),
    openapi_extra=_file_response(pdf.CONTENT_TYPE, "The event's one-page stand poster"),
)
def poster_pdf(request, event_id: Id):
    """The stand poster with the event's QR code (planners and admins; others 403)."""
    event = permissions.get_event_for(request.auth, event_id, write=True)
    url = poster.stand_url(event, request_base=request.build_absolute_uri("/"))
    with closing_on_error(spool()) as stream:
        poster.write_poster(stream, event, url)
    return download(stream, poster.filename(event), pdf.CONTENT_TYPE, attachment=False)
