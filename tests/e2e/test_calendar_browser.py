"""A planner finds the calendar in the menu, reads it on a desktop and on a 360 px phone,
opens an event from it, and finds the feed links and the import page."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.devtools.demo import DEMO_PASSWORD
from events.models import Event
from events.time import LONDON

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_planner_reads_the_calendar_on_desktop_and_phone(
    live_server, page, settings, screenshot
):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    # The demo has last year's show and the coming one.
    upcoming = Event.objects.filter(title="Redbourn County Show", starts_at__gte=timezone.now())
    local = upcoming.earliest("starts_at").starts_at.astimezone(LONDON)
    sign_in(page, live_server.url, "planner", DEMO_PASSWORD)
    page.get_by_role("link", name="Calendar").click()
    assert page.locator('[aria-current="date"]').count() == 1
    page.goto(f"{live_server.url}/calendar/{local.year}/{local.month}/")
    assert page.get_by_role("heading", name=f"{local:%B %Y}").is_visible()
    entries = page.locator(".cal-entry", has_text="Redbourn County Show")
    assert entries.count() >= 3  # a three-day show, on each of its days
    screenshot("calendar-month")

    page.goto(f"{live_server.url}/calendar/week/{local.year}/{local.month}/{local.day}/")
    screenshot("calendar-week")

    page.set_viewport_size({"width": 360, "height": 740})
    assert no_sideways_scroll(page)
    screenshot("calendar-week-360")
    page.goto(f"{live_server.url}/calendar/{local.year}/{local.month}/")
    assert no_sideways_scroll(page)
    assert entries.first.is_visible()
    screenshot("calendar-month-360")
    entries.first.get_by_role("link").click()
    assert page.get_by_role("heading", name="Redbourn County Show").is_visible()

    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{live_server.url}/calendar/feeds/")
    assert page.get_by_role("heading", name="My calendar feeds").is_visible()
    screenshot("calendar-feeds")
    page.get_by_role("link", name="Import").click()
    # Planners import kit; officer records are for admins (DOMAIN.md).
    assert page.get_by_role("heading", name="Import kit", level=1).is_visible()
    screenshot("import-page")

    # Import: a row in error blocks the import; the fixed file goes through. (The new stock
    # must cover what the coming show has booked: the import refuses to drop below it.)
    header = "name,asset_tag,category,condition,consumable,quantity,provenance,storage_location\n"
    new = "Police gazebo 3,GZB-03,gazebo,ready,no,1,Donated by NFU Mutual,Redbourn depot\n"
    changed = "Rural crime prevention leaflets,,leaflets,ready,yes,7500,,Harpenden station\n"
    wrong = "Banner,BNR-01,banner,ready,no,1,,\n"
    kit_file = page.locator("#file-kit")
    kit_file.set_input_files(
        files=[
            {"name": "kit.csv", "mimeType": "text/csv", "buffer": (header + new + wrong).encode()}
        ]
    )
    page.get_by_role("region", name="Import kit").get_by_role(
        "button", name="Check the file"
    ).click()
    assert page.get_by_role("heading", name="Rows with errors").is_visible()
    assert page.get_by_text("“banner” is not one of").is_visible()
    screenshot("import-dry-run-errors")
    page.get_by_role("link", name="Upload a corrected file").click()
    page.locator("#file-kit").set_input_files(
        files=[
            {"name": "kit.csv", "mimeType": "text/csv", "buffer": (header + new + changed).encode()}
        ]
    )
    page.get_by_role("region", name="Import kit").get_by_role(
        "button", name="Check the file"
    ).click()
    assert page.get_by_role("heading", name="To update").is_visible()
    screenshot("import-dry-run")
    page.get_by_role("button", name="Import: create 1, update 1").click()
    assert page.get_by_text("1 created, 1 updated").is_visible()
    screenshot("import-done")
