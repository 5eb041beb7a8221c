"""Time the reports and the dashboard on the force-scale data set, beside baselines.

Run by ``make bench``, which first builds the ``seed_demo --scale 5`` set (once) into its
own SQLite file under var/bench/. Each figure is the median of ``--runs`` runs, and each
baseline is timed in the same run, interleaved with what it is compared to:

- Excel: the whole export against openpyxl (write-only) writing the same cells, with the
  same formats, from a list prepared beforehand; peak memory of an export in a fresh
  process; database queries for five years against one year.
- PDF: the management report against plain reportlab tables of 500 rows holding the same
  rows; and the 25,000-event report against the 5,000-event one.
- Dashboard: the figures for five years (time and queries), and the whole page.
- Export jobs: starting one (the request only records it); the five-year Excel job from the
  request to the file being ready, written by a real ``db_worker`` process and followed
  through the API as a client does, against the same openpyxl baseline; the worker's peak
  memory.
"""

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table

from events.models import Assignment, EngagementLog, Event, ExportJob
from events.reporting import stats
from events.reporting.exports import pdf, xlsx
from events.reporting.exports import rows as report
from events.reporting.params import as_query
from events.reporting.stats import StatsFilter, add_months

MIN_EVENTS = 25_000


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def interleaved(first, second, runs: int) -> tuple[float, float]:
    """Medians of two functions timed turn about, so drift on a busy machine hits both."""
    times_first, times_second = [], []
    for _ in range(runs):
        for function, times in ((first, times_first), (second, times_second)):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
    return statistics.median(times_first), statistics.median(times_second)


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


# -- Excel ----------------------------------------------------------------------------------
def workbook_tables(filters: StatsFilter):
    """The workbook's tables, in its sheet order (the Summary sheet apart)."""
    data = stats.dashboard(filters, top=25)
    return [
        ("Events", report.events(filters)),
        ("Topics", report.topics(data)),
        ("Topic trends", report.trends(stats.topic_trends(filters))),
        ("Teams", report.teams(data)),
        ("Event types", report.event_types(data)),
        ("Officers", report.officers(filters)),
        ("Kit", report.kit(data)),
        ("Logs", report.logs(filters)),
    ]


def prepared_cells(filters: StatsFilter):
    """Every sheet's rows as Excel will hold them: clean text, London wall-clock times."""

    def cell(value):
        if isinstance(value, str):
            return xlsx.clean_text(value)
        return xlsx.excel_datetime(value)

    return [
        (title, table.columns, [tuple(cell(value) for value in row) for row in table.rows])
        for title, table in workbook_tables(filters)
    ]


def write_prepared(sheets) -> None:
    """The baseline: openpyxl write-only writing prepared cells with the same formats."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title)
        for index, column in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, column.title)
            cell.font = xlsx.BOLD
            header.append(cell)
        sheet.append(header)
        styled = []
        for column in columns:
            cell = None
            if column.kind in xlsx.FORMATS:
                cell = WriteOnlyCell(sheet)
                cell.number_format = xlsx.FORMATS[column.kind]
            styled.append(cell)
        for row in rows:
            out = []
            for value, cell in zip(row, styled, strict=True):
                if cell is None or value is None:
                    out.append(value)
                else:
                    cell.value = value
                    out.append(cell)
            sheet.append(out)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    with tempfile.TemporaryFile() as stream:
        workbook.save(stream)


def write_workbook(filters: StatsFilter) -> None:
    with tempfile.TemporaryFile() as stream:
        xlsx.write_engagement(stream, filters)


# -- PDF ------------------------------------------------------------------------------------
def report_rows(filters: StatsFilter) -> list[list[list[str]]]:
    """The report's tables as the strings it prints, header first."""
    data = stats.dashboard(filters, top=15)
    tables = [
        report.topics(data),
        report.months(data),
        report.teams(data),
        report.event_types(data),
        report.kit(data),
        report.top_events(data),
        report.event_list(filters),
    ]
    width = A4[0] - 30 * 2.83
    prepared = []
    pdf.register_fonts()
    for table in tables:
        widths = pdf.column_widths(table.columns, width, 7.5)
        header = [column.title for column in table.columns]
        body = [pdf.cells(row, table.columns, widths, 7.5) for row in table.rows]
        prepared.append([header, *body])
    return prepared


def plain_tables(prepared) -> None:
    """The baseline: the same rows as plain reportlab tables of 500 rows."""
    story = []
    for rows in prepared:
        header, body = rows[0], rows[1:]
        for start in range(0, max(len(body), 1), 500):
            story.append(Table([header, *body[start : start + 500]], repeatRows=1))
    with tempfile.TemporaryFile() as stream:
        SimpleDocTemplate(stream, pagesize=A4).build(story)


def write_report(filters: StatsFilter) -> None:
    with tempfile.TemporaryFile() as stream:
        pdf.write_engagement(stream, filters)


def peak_rss_kib() -> int:
    """This process's peak resident memory. VmHWM belongs to the process image, whereas
    ru_maxrss survives exec and so would count the parent that started this one."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


class Command(BaseCommand):
    help = "Benchmark the reports and dashboard on the scale-5 data set (see make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3, help="Runs per measure (median).")
        parser.add_argument("--only", choices=["xlsx", "pdf", "dashboard", "jobs"], action="append")
        parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, runs, only, memory_child, **options):
        today = timezone.localdate()
        five_years = StatsFilter(date_from=add_months(today.replace(day=1), -60), date_to=today)
        one_year = StatsFilter(date_from=today - dt.timedelta(days=365), date_to=today)
        if memory_child:
            write_workbook(five_years)
            self.stdout.write(str(peak_rss_kib()))
            return
        events = Event.objects.count()
        if events < MIN_EVENTS:
            raise CommandError(
                f"Only {events:,} events: run 'make bench', which builds the scale-5 data set "
                "into var/bench/ first (delete var/bench/ if it holds a smaller set)."
            )
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        self.rows = []
        self.describe(events, runs)
        chosen = set(only or ["xlsx", "pdf", "dashboard", "jobs"])
        if "dashboard" in chosen:
            self.dashboard(five_years, runs)
        if "xlsx" in chosen:
            self.excel(five_years, one_year, runs)
        if "pdf" in chosen:
            self.pdf(five_years, one_year, runs)
        if "jobs" in chosen:
            self.jobs(five_years, runs)
        self.table()

    def describe(self, events: int, runs: int) -> None:
        database = connection.vendor
        if database == "sqlite":
            database += f" {connection.Database.sqlite_version}"
        self.stdout.write(
            f"Data: {events:,} events, {Assignment.objects.count():,} assignments, "
            f"{EngagementLog.objects.count():,} engagement entries ({database})."
        )
        self.stdout.write(
            f"Machine: {cpu_model()}, {os.cpu_count()} CPUs; Python "
            f"{platform.python_version()}; medians of {runs} runs; load average "
            f"{os.getloadavg()[0]:.1f} at the start."
        )

    def record(self, measure, value, baseline="", ratio="", target="", ok=None):
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        self.rows.append((measure, value, baseline, ratio, target, verdict))
        self.stdout.write(f"  {measure}: {value} {baseline} {ratio} {verdict}".rstrip())

    def table(self) -> None:
        self.stdout.write(f"Load average {os.getloadavg()[0]:.1f} at the end.")
        header = ("Measure", "Median", "Baseline", "Ratio", "Target", "")
        widths = [max(len(str(row[i])) for row in [header, *self.rows]) for i in range(6)]
        self.stdout.write("")
        for row in [header, tuple("-" * w for w in widths), *self.rows]:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            )

    def dashboard(self, filters: StatsFilter, runs: int) -> None:
        self.stdout.write("Dashboard, five years…")
        stats.dashboard(filters)  # warm the page cache once
        seconds = median_time(lambda: stats.dashboard(filters), runs)
        queries = count_queries(lambda: stats.dashboard(filters))
        self.record(
            "Dashboard figures, 5 years", f"{seconds:.3f} s", "", "", "≤ 0.5 s", seconds <= 0.5
        )
        # Seven since issue 15: the stand-code hits are one indexed count beside the cube.
        self.record("  queries", str(queries), "", "", "≤ 7", queries <= 7)
        client = Client(headers={"host": "localhost"})
        client.force_login(User.objects.get(username="manager"))
        address = f"{reverse('dashboard')}?{urlencode(as_query(filters))}"

        def page():
            response = client.get(address)
            assert response.status_code == 200, response.status_code

        page_seconds = median_time(page, runs)
        page_queries = count_queries(page)
        self.record(
            "Dashboard page (session, roles, filter lists, render)",
            f"{page_seconds:.3f} s",
            "",
            "",
            "(whole request)",
        )
        self.record("  queries", str(page_queries), "", "", "(whole request)")

    def excel(self, five_years: StatsFilter, one_year: StatsFilter, runs: int) -> None:
        self.stdout.write("Excel, five years: preparing the baseline's cells…")
        prepared = prepared_cells(five_years)
        cells = sum(len(rows) * len(columns) for _title, columns, rows in prepared)
        self.stdout.write(f"  {cells:,} cells; timing…")
        queries = []

        def export():
            with CaptureQueriesContext(connection) as context:
                write_workbook(five_years)
            queries.append(len(context.captured_queries))

        ours, baseline = interleaved(export, lambda: write_prepared(prepared), runs)
        prepared.clear()  # free the baseline's cells before measuring memory
        ratio = ours / baseline
        self.record(
            "Excel export, 5 years",
            f"{ours:.2f} s",
            f"{baseline:.2f} s",
            f"{ratio:.2f}",
            "≤ 1.15 × openpyxl",
            ratio <= 1.15,
        )
        peak = self.peak_memory_mb()
        self.record(
            "  peak memory (fresh process)", f"{peak:.0f} MB", "", "", "≤ 200 MB", peak <= 200
        )
        many, few = max(queries), count_queries(lambda: write_workbook(one_year))
        self.record(
            "  queries, 5 years (1 year)", f"{many} ({few})", "", "", "constant", many == few
        )

    def peak_memory_mb(self) -> float:
        command = [sys.executable, sys.argv[0], "bench", "--memory-child"]
        output = subprocess.run(  # noqa: S603 (our own command, no shell)
            command, capture_output=True, text=True, check=True, env=os.environ.copy()
        ).stdout
        return int(output.strip().splitlines()[-1]) / 1024

    def pdf(self, five_years: StatsFilter, one_year: StatsFilter, runs: int) -> None:
        self.stdout.write("PDF, five years: preparing the baseline's rows…")
        prepared = report_rows(five_years)
        self.stdout.write(f"  {sum(len(t) - 1 for t in prepared):,} rows; timing…")
        ours, baseline = interleaved(
            lambda: write_report(five_years), lambda: plain_tables(prepared), runs
        )
        ratio = ours / baseline
        self.record(
            "PDF report, 5 years",
            f"{ours:.2f} s",
            f"{baseline:.2f} s",
            f"{ratio:.2f}",
            "≤ 1.25 × plain tables",
            ratio <= 1.25,
        )
        small_events = sum(1 for _ in stats.event_rows(one_year))
        large_events = sum(1 for _ in stats.event_rows(five_years))
        small = median_time(lambda: write_report(one_year), runs)
        growth = ours / small
        self.record(
            f"PDF {large_events:,} events vs {small_events:,}",
            f"{ours:.2f} s",
            f"{small:.2f} s",
            f"{growth:.2f}",
            "≤ 5.5 (linear)",
            growth <= 5.5,
        )

    def jobs(self, five_years: StatsFilter, runs: int) -> None:
        self.stdout.write("Export jobs: starting them (no worker running)…")
        client = Client(headers={"host": "localhost"})
        client.force_login(User.objects.get(username="manager"))
        body = {"kind": "engagement.xlsx", **five_years.as_dict()}

        def start(**extra):
            response = client.post(
                "/api/exports", {**body, **extra}, content_type="application/json"
            )
            assert response.status_code == 202, response.content
            return response.json()["id"]

        started, times = [], []
        for number in range(max(runs, 5)):  # a different filter each time: a new job each time
            began = time.perf_counter()
            started.append(start(area=f"AL{number + 1}"))
            times.append(time.perf_counter() - began)
        health = median_time(lambda: client.get("/healthz"), max(runs, 5))
        ExportJob.objects.filter(pk__in=started).delete()
        DBTaskResult.objects.filter(status="READY").delete()
        answer = statistics.median(times)
        self.record(
            "Starting an export job (POST /api/exports)",
            f"{answer * 1000:.0f} ms",
            f"{health * 1000:.0f} ms",
            "",
            "≤ 100 ms (baseline: GET /healthz)",
            answer <= 0.1,
        )
        self.stdout.write("Export jobs, five years: a db_worker process writes them…")
        prepared = prepared_cells(five_years)
        worker = subprocess.Popen(  # noqa: S603 (our own command, no shell)
            [sys.executable, sys.argv[0], "db_worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.05", "--verbosity", "0"],
            env=os.environ.copy(),
        )

        def job():
            """From the request to the file being ready, polled as the progress page does."""
            job_id = start()
            while True:
                state = client.get(f"/api/exports/{job_id}").json()
                if state["status"] in ("done", "failed"):
                    break
                time.sleep(0.05)
            assert state["status"] == "done", state

        try:
            ours, baseline = interleaved(job, lambda: write_prepared(prepared), runs)
            peak = peak_rss_of(worker.pid) / 1024
        finally:
            worker.terminate()
            worker.wait(timeout=120)
        prepared.clear()
        ratio = ours / baseline
        self.record(
            "Excel job, 5 years: request to file ready",
            f"{ours:.2f} s",
            f"{baseline:.2f} s",
            f"{ratio:.2f}",
            "≤ 1.15 × openpyxl",
            ratio <= 1.15,
        )
        self.record("  worker peak memory", f"{peak:.0f} MB", "", "", "≤ 200 MB", peak <= 200)


def peak_rss_of(pid: int) -> int:
    """Another process's peak resident memory in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
