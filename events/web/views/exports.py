"""Export jobs on the web: start one from the dashboard, watch its progress, download it,
and list my recent exports. The job is events.reporting.jobs, as for the API."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ...models import ExportJob
from ...reporting import jobs
from ...reporting.downloads import serve_export
from ...reporting.params import StatsFilterForm
from .reports import require_stats_reader


def _job(user, export_id) -> ExportJob:
    job = jobs.visible_jobs(user).filter(pk=export_id).first()
    if job is None:
        raise Http404("No such export.")
    return job


def _state(job: ExportJob) -> dict:
    return jobs.job_state(job, reverse("export_file", args=[job.pk]))


@login_required
@require_POST
def export_start(request):
    require_stats_reader(request.user)
    form = StatsFilterForm(request.POST)
    kind = request.POST.get("kind", "")
    if kind not in jobs.KINDS or not form.is_valid():
        return HttpResponseBadRequest(
            "Check the filters on the dashboard and try again.", content_type="text/plain"
        )
    job, _created = jobs.export_start(user=request.user, kind=kind, filters=form.filters())
    return redirect("export_detail", export_id=job.pk)


@login_required
def export_list(request):
    require_stats_reader(request.user)
    rows = [_state(job) for job in jobs.recent_jobs(request.user)]
    return render(request, "events/export_list.html", {"jobs": rows})


@login_required
def export_detail(request, export_id):
    require_stats_reader(request.user)
    job = _job(request.user, export_id)
    context = {"job": _state(job), "label": job.get_kind_display()}
    context["status_url"] = reverse("export_status", args=[job.pk])
    return render(request, "events/export_detail.html", context)


@login_required
@require_GET
def export_status(request, export_id):
    """The job's state as JSON, polled by the progress page (static/js/exports.js)."""
    require_stats_reader(request.user)
    return JsonResponse(_state(_job(request.user, export_id)))


@login_required
def export_file(request, export_id):
    require_stats_reader(request.user)
    job = _job(request.user, export_id)
    if job.status != ExportJob.Status.DONE or jobs.is_expired(job):
        return redirect("export_detail", export_id=job.pk)
    return serve_export(job)
