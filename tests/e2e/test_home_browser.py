"""A planner signs in with a real browser and finds the county show on the home page."""

import io

import pytest
from django.core.management import call_command

from events.devtools.demo import DEMO_PASSWORD

from ..factories import PASSWORD
from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_planner_signs_in_and_sees_the_county_show(live_server, page, settings, screenshot):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    sign_in(page, live_server.url, "planner", DEMO_PASSWORD)
    assert page.get_by_role("heading", name="Events").is_visible()
    show = page.get_by_role("link", name="Redbourn County Show")
    assert show.first.is_visible()
    screenshot("home-planner")
    show.first.click()
    assert page.get_by_role("heading", name="Redbourn County Show").is_visible()
    kit = page.get_by_role("region", name="Kit booked")
    assert kit.get_by_text("MPT-01").is_visible() and kit.get_by_text("MPT-02").is_visible()
    screenshot("county-show-planner")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot("county-show-360")


def test_on_a_phone_the_filters_fold_behind_their_summary(live_server, page, planner):
    sign_in(page, live_server.url, "planner", PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/kit/?category=tractor")
    box = page.locator("details.filter-box")
    assert box.get_attribute("open") is None  # folded
    assert page.get_by_text("(1 active)").is_visible()
    page.get_by_text("Filter", exact=False).first.click()
    assert page.get_by_label("Category").is_visible()
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/kit/")
    assert page.locator("details.filter-box").get_attribute("open") is not None
