"""Export jobs (issue 12): the workbook and the PDF report built by a worker, never inside a
web request, followed by progress, handed only to the person who asked (and admins).

Tasks run through the real database backend: the request records the job and enqueues it
(on commit), ``run_queued_tasks`` runs it through django-tasks-db's own worker code.
"""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from pypdf import PdfReader

from events.models import EngagementLog, ExportJob, ExportRecord
from events.reporting import jobs
from events.reporting.stats import StatsFilter

from .api_support import as_user
from .factories import assign, log
from .tasks_support import run_queued_tasks


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.fixture
def held(make_event, officer_user):
    """A show that was held last week, with three entries."""
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=7)
    event = make_event(title="Redbourn County Show", starts_at=start)
    officer = officer_user.officer
    assign(event, officer)
    for visitors in (12, 30, 7):
        log(event, officer, visitors=visitors, signups=2)
    return event


def start(api, django_capture_on_commit_callbacks, **body):
    with django_capture_on_commit_callbacks(execute=True):
        return api.post("/api/exports", {"kind": "engagement.xlsx", **body})


def summary_cell(workbook, label):
    for row in workbook["Summary"].iter_rows(values_only=True):
        if row and row[0] == label:
            return row[1]
    raise AssertionError(f"No {label!r} in the Summary sheet")


def test_an_export_job_goes_queued_running_done_and_its_file_has_the_summarys_totals(
    manager, held, django_capture_on_commit_callbacks
):
    api = as_user(manager)
    started = start(api, django_capture_on_commit_callbacks)
    assert started.status_code == 202, started.content
    job = started.json()
    assert job["status"] == "queued" and job["progress"] == 0
    assert job["download_url"] is None and job["finished_at"] is None
    assert set(job) >= {"id", "kind", "status", "progress", "created_at", "finished_at"}
    assert set(job) >= {"download_url", "detail"}
    # The request only recorded the job: nothing was written yet.
    assert not ExportRecord.objects.exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    assert run_queued_tasks()
    done = api.get(f"/api/exports/{job['id']}").json()
    assert done["status"] == "done" and done["progress"] == 100
    assert done["finished_at"] and done["size"] > 0
    assert done["download_url"] == f"/api/exports/{job['id']}/file"
    assert done["rows_done"] == done["rows_total"] > 0

    file = api.get(done["download_url"])
    assert file.status_code == 200
    assert 'filename="engagement-all.xlsx"' in file["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(file.body), read_only=True)
    figures = api.get("/api/stats/summary").json()
    assert summary_cell(workbook, "Visitors engaged") == figures["visitors"] == 49
    assert summary_cell(workbook, "Events held") == figures["events"] == 1
    # The export log has it, with who, the filter and the rows.
    record = ExportRecord.objects.get()
    assert record.user == manager and record.kind == "engagement.xlsx"
    assert record.rows == done["rows_done"]


def test_a_pdf_job_writes_the_management_report(manager, held, django_capture_on_commit_callbacks):
    api = as_user(manager)
    day = held.starts_at.date().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        job = api.post("/api/exports", {"kind": "engagement.pdf", "from": day, "to": day}).json()
    run_queued_tasks()
    done = api.get(f"/api/exports/{job['id']}").json()
    assert done["status"] == "done", done
    file = api.get(done["download_url"])
    assert file["Content-Type"] == "application/pdf"
    assert f'filename="engagement-{day}-{day}.pdf"' in file["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(file.body)).pages)
    assert "Community engagement report" in text and "Redbourn County Show" in text


def test_asking_again_while_it_is_queued_answers_the_same_job(
    manager, held, django_capture_on_commit_callbacks
):
    api = as_user(manager)
    first = start(api, django_capture_on_commit_callbacks).json()
    again = start(api, django_capture_on_commit_callbacks).json()
    assert again["id"] == first["id"]
    assert ExportJob.objects.count() == 1 and DBTaskResult.objects.count() == 1
    # A different filter, or a different kind, is another job.
    other = start(api, django_capture_on_commit_callbacks, team=held.team_id).json()
    assert other["id"] != first["id"]
    run_queued_tasks()
    # Once done, asking again starts a new one (the data may have changed since).
    fresh = start(api, django_capture_on_commit_callbacks).json()
    assert fresh["id"] != first["id"] and fresh["status"] == "queued"


def test_only_the_requester_and_admins_see_a_job(
    manager, planner, admin_user, officer_user, held, django_capture_on_commit_callbacks
):
    job = start(as_user(manager), django_capture_on_commit_callbacks).json()
    run_queued_tasks()
    url = f"/api/exports/{job['id']}"
    other = as_user(planner)
    assert other.get(url).status_code == 404
    assert other.get(f"{url}/file").status_code == 404
    assert other.get("/api/exports").json()["items"] == []
    assert as_user(admin_user).get(url).status_code == 200
    assert as_user(admin_user).get(f"{url}/file").status_code == 200
    assert [j["id"] for j in as_user(admin_user).get("/api/exports").json()["items"]] == [job["id"]]
    # Officers may not export at all.
    refused = as_user(officer_user).post("/api/exports", {"kind": "engagement.xlsx"})
    assert refused.status_code == 403 and "detail" in refused.json()
    # Web pages likewise: another person's job is 404.
    from django.test import Client

    client = Client()
    client.force_login(planner)
    for name in ("export_detail", "export_status", "export_file"):
        assert client.get(reverse(name, args=[job["id"]])).status_code == 404


def test_bad_requests_get_clear_messages(manager, django_capture_on_commit_callbacks):
    api = as_user(manager)
    unknown = api.post("/api/exports", {"kind": "engagement.csv"})
    assert unknown.status_code == 422 and "kind" in str(unknown.json())
    extra = api.post("/api/exports", {"kind": "engagement.xlsx", "colour": "red"})
    assert extra.status_code == 422
    year = api.post("/api/exports", {"kind": "engagement.xlsx", "from": "9999-01-01"})
    assert year.status_code == 422
    team = api.post("/api/exports", {"kind": "engagement.xlsx", "team": 99999})
    assert team.status_code == 422
    assert not ExportJob.objects.exists()
    missing = api.get("/api/exports/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert api.get("/api/exports/not-a-uuid").status_code in (404, 422)


def test_the_file_is_refused_until_done(manager, held, django_capture_on_commit_callbacks):
    api = as_user(manager)
    job = start(api, django_capture_on_commit_callbacks).json()
    waiting = api.get(f"/api/exports/{job['id']}/file")
    assert waiting.status_code == 409 and "waiting" in waiting.json()["detail"]


def test_progress_rises_as_rows_are_written(
    manager, held, officer_user, settings, django_capture_on_commit_callbacks
):
    officer = officer_user.officer
    recorded = held.starts_at + dt.timedelta(hours=1)
    EngagementLog.objects.bulk_create(
        EngagementLog(event=held, officer=officer, recorded_at=recorded, visitors=1)
        for _ in range(3000)
    )
    settings.EXPORT_PROGRESS_SECONDS = 0  # report at every look at the clock
    job, _ = jobs.export_start(user=manager, kind="engagement.xlsx", filters=StatsFilter())
    with CaptureQueriesContext(connection) as queries:
        assert jobs.export_run(job.pk) == "done"
    reported = [
        int(match.group(1))
        for query in queries.captured_queries
        if "exportjob" in query["sql"].lower()
        for match in [re.search(r'"rows_done" = (\d+)', query["sql"])]
        if match
    ]
    assert len(reported) >= 4, reported
    assert reported == sorted(reported) and reported[0] < reported[-1]
    job.refresh_from_db()
    assert job.rows_done == job.rows_total == reported[-1] >= 3003
    assert job.progress == 100


def test_a_failed_job_says_why_and_leaves_no_file(
    manager, held, django_capture_on_commit_callbacks, exports_dir
):
    api = as_user(manager)
    job = start(api, django_capture_on_commit_callbacks).json()
    # The manager loses the role before the worker gets to it: the job fails, with a reason.
    manager.groups.clear()
    run_queued_tasks()
    failed = ExportJob.objects.get(pk=job["id"])
    assert failed.status == "failed" and "Only planners, managers and admins" in failed.detail
    assert failed.finished_at and not failed.file_name
    assert list(exports_dir.iterdir()) == []


def test_files_expire_and_are_removed(manager, held, django_capture_on_commit_callbacks):
    api = as_user(manager)
    job = start(api, django_capture_on_commit_callbacks).json()
    run_queued_tasks()
    done = ExportJob.objects.get(pk=job["id"])
    path = jobs.file_path(done)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert done.expires_at - done.finished_at == dt.timedelta(days=7)
    assert jobs.remove_expired(now=done.expires_at - dt.timedelta(seconds=1)) == 0
    assert path.exists()
    assert jobs.remove_expired(now=done.expires_at) == 1
    assert not path.exists()
    gone = api.get(f"/api/exports/{job['id']}")
    assert gone.json()["download_url"] is None and "expired" in gone.json()["detail"]
    assert api.get(f"/api/exports/{job['id']}/file").status_code == 410


def test_the_dashboard_button_starts_a_job_and_the_page_shows_its_progress(
    client, manager, held, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'action="/exports/new/"' in page and 'value="engagement.xlsx"' in page
    assert reverse("report_engagement_xlsx") not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("export_start"), {"kind": "engagement.xlsx", "team": held.team_id}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page and 'src="/static/js/exports.js"' in page
    assert "<script>" not in page  # no inline script: the page polls from a static file
    status = client.get(reverse("export_status", args=[job.pk])).json()
    assert status["status"] == "queued" and status["progress"] == 0

    run_queued_tasks()
    status = client.get(reverse("export_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["download_url"] == f"/exports/{job.pk}/file/"
    page = client.get(reverse("export_detail", args=[job.pk])).content.decode()
    assert "Ready." in page and f'href="/exports/{job.pk}/file/"' in page
    file = client.get(status["download_url"])
    assert file.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(file.streaming_content)), read_only=True)
    assert summary_cell(workbook, "Visitors engaged") == 49

    listing = client.get(reverse("export_list")).content.decode()
    assert "Excel workbook" in listing and "Rural Operational Support Team" in listing
    assert f"/exports/{job.pk}/file/" in listing


def test_the_web_refuses_a_bad_kind_or_filter_with_a_message(client, manager):
    client.force_login(manager)
    bad = client.post(reverse("export_start"), {"kind": "engagement.csv"})
    assert bad.status_code == 400 and b"Check the filters" in bad.content
    year = client.post(reverse("export_start"), {"kind": "engagement.xlsx", "from": "9999-01-01"})
    assert year.status_code == 400
    assert not ExportJob.objects.exists()
