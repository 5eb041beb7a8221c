"""A manager opens the dashboard in a real browser; the reports are rendered to look at."""

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from events.devtools.demo import DEMO_PASSWORD
from events.models import Event

from ..tasks_support import worker_process
from .conftest import SCREENSHOTS, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def save_pdf_pages(content: bytes, name: str) -> None:
    """Keep the PDF and, where poppler is installed, its first pages as PNGs to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.pdf"
    path.write_bytes(content)
    if shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "70", "-l", "3", str(path), str(SCREENSHOTS / name)],  # noqa: S607
            check=True,
        )


def test_the_manager_reads_the_dashboard_and_downloads_the_reports(
    live_server, page, settings, screenshot
):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    sign_in(page, live_server.url, "manager", DEMO_PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    assert page.get_by_role("heading", name="Engagement dashboard").is_visible()
    visitors = int(page.locator('[data-figure="visitors"]').get_attribute("data-value"))
    assert visitors > 0
    assert page.locator("svg.chart").count() == 6
    chart = page.get_by_role("img", name="Visitors by month")
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    page.get_by_text("Show the figures as a table").first.click()
    assert page.get_by_test_id("table-months").is_visible()
    screenshot("dashboard-manager")

    page.get_by_label("Topic raised").select_option("poaching-hare-coursing")
    page.get_by_role("button", name="Apply filters").click()
    filtered = int(page.locator('[data-figure="visitors"]').get_attribute("data-value"))
    assert 0 < filtered < visitors

    def follow(link):
        return page.request.get(live_server.url + link.get_attribute("href"))

    # The downloads are export jobs: a real worker process writes them while the page shows
    # the progress, then the download link (polled by static/js/exports.js).
    with worker_process():
        for button, name, check in (
            ("Download PDF report", "report", lambda body: body[:4] == b"%PDF"),
            ("Download Excel workbook", "workbook", lambda body: body[:2] == b"PK"),
        ):
            page.goto(f"{live_server.url}/dashboard/")
            page.get_by_role("button", name=button).click()
            assert page.get_by_role("progressbar").is_visible()
            link = page.get_by_test_id("export-download")
            expect(link).to_be_visible(timeout=60_000)
            expect(page.get_by_test_id("export-state")).to_have_text("Ready.")
            screenshot(f"export-{name}")
            file = follow(link)
            assert file.status == 200 and check(file.body())
            if name == "report":
                save_pdf_pages(file.body(), "report")
    page.get_by_role("link", name="My exports").first.click()
    assert page.get_by_test_id("export-list").locator("tbody tr").count() == 2
    screenshot("export-list")

    show = Event.objects.filter(title="Redbourn County Show").order_by("starts_at").first()
    page.goto(f"{live_server.url}/events/{show.pk}/")
    debrief = follow(page.get_by_test_id("debrief-link"))
    assert debrief.status == 200
    save_pdf_pages(debrief.body(), "debrief")

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/dashboard/")
    screenshot("dashboard-360")
