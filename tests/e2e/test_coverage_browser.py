"""A manager asks "where haven't we been?" in a real browser: the coverage page of the demo
force passes axe's checks, and its table reads longest gap first."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from events.devtools.demo import DEMO_PASSWORD

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_manager_reads_the_coverage_page(live_server, page, settings, screenshot):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    sign_in(page, live_server.url, "manager", DEMO_PASSWORD)
    page.get_by_role("link", name="Coverage").click()
    assert page.get_by_role("heading", name="Where haven't we been?").is_visible()
    table = page.get_by_role("table")
    assert table.is_visible()
    first = page.locator("[data-area]").first
    assert first.get_by_text("Never").is_visible()  # never visited comes first
    assert page.get_by_test_id("outside").get_attribute("data-value") == "0"
    screenshot("coverage-manager")
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["help"]) for v in violations]
