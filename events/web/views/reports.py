"""The engagement dashboard, the Excel and PDF downloads, and the one-page event debrief."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.text import slugify

from ... import permissions
from ...reporting import exports as reports
from ...reporting import stats
from ...reporting.downloads import closing_on_error, download, spool
from ...reporting.exports import pdf, poster, svg
from ...reporting.params import StatsFilterForm, as_query, last_twelve_months
from ...time import local_date, local_today


def require_stats_reader(user) -> None:
    permissions.require_role(user)
    if not permissions.can_view_stats(user):
        raise PermissionDenied("Only planners, managers and admins may see engagement figures.")


@login_required
def dashboard(request):
    require_stats_reader(request.user)
    if request.GET:
        form = StatsFilterForm(request.GET)
        filters = form.filters() if form.is_valid() else None
    else:
        filters = last_twelve_months(local_today())
        form = StatsFilterForm(initial=as_query(filters))
    context = {"form": form, "filters": filters}
    if filters is not None:
        data = stats.dashboard(filters)
        context["description"] = filters.describe()
        # The downloads are export jobs (views/exports.py) for this same filter.
        context.update(data=data, charts=charts(data), export_query=as_query(filters).items())
    return render(request, "events/dashboard.html", context)


@login_required
def event_poster(request, pk):
    """The event's one-page stand poster (planners and admins)."""
    permissions.require_role(request.user)
    event = permissions.get_event_for(request.user, pk, write=True)
    with closing_on_error(spool()) as stream:
        poster.write_poster(
            stream, event, poster.stand_url(event, request_base=request.build_absolute_uri("/"))
        )
    return download(stream, poster.filename(event), pdf.CONTENT_TYPE, attachment=False)


# Each bar chart: the data key, the label and value of a row, its title.
BAR_CHARTS = {
    "topics": ("topics", "name", "mentions", "Mentions by topic"),
    "teams": ("by_team", "name", "visitors", "Visitors by team"),
    "types": ("by_event_type", "name", "visitors", "Visitors by event type"),
    "kit": ("kit", "name", "events", "Events each kit item went to"),
    "top": ("top_events", "title", "visitors", "Top events by visitors"),
}


def charts(data: dict) -> dict:
    drawn = {
        "months": svg.columns(
            [month_label(row["month"]) for row in data["by_month"]],
            [row["visitors"] for row in data["by_month"]],
            title="Visitors by month",
            chart_id="chart-months",
        )
    }
    for name, (key, label, value, title) in BAR_CHARTS.items():
        rows = [row for row in data[key] if row[value]]  # no empty bars
        drawn[name] = svg.bars(
            [bar_label(row, label) for row in rows],
            [row[value] for row in rows],
            title=title,
            chart_id=f"chart-{name}",
        )
    return drawn


def bar_label(row: dict, label: str) -> str:
    """A bar's name; an event's with its date (two markets of the same name are told apart)."""
    if "starts_at" in row and row.get("starts_at"):
        return f"{row[label]}, {local_date(row['starts_at']):%-d %b %Y}"
    return str(row[label])


def month_label(month: str) -> str:
    return f"{dt.date.fromisoformat(f'{month}-01'):%b %y}"


def engagement(request, fmt: str):
    """An old link to a report: it is now an export job (never built inside a request), so
    this page offers to start one for the same filter."""
    require_stats_reader(request.user)
    form = StatsFilterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
        )
        return HttpResponseBadRequest(f"Check the filters: {problems}", content_type="text/plain")
    filters = form.filters()
    context = {
        "kind": f"engagement.{fmt}",
        "label": "Excel workbook" if fmt == "xlsx" else "PDF report",
        "description": filters.describe(),
        "export_query": as_query(filters).items(),
    }
    return render(request, "events/export_offer.html", context)


@login_required
def engagement_xlsx(request):
    return engagement(request, "xlsx")


@login_required
def engagement_pdf(request):
    return engagement(request, "pdf")


@login_required
def event_debrief(request, pk):
    permissions.require_role(request.user)
    event = permissions.get_event_for(request.user, pk)
    if not permissions.can_see_debrief(request.user, event):
        raise Http404("No such event.")
    with closing_on_error(spool()) as stream:
        reports.export_debrief(user=request.user, event=event, stream=stream)
    day = local_date(event.starts_at).isoformat()
    name = f"debrief-{slugify(event.title)[:60] or 'event'}-{day}.pdf"
    return download(stream, name, pdf.CONTENT_TYPE, attachment=False)
