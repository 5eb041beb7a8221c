"""A planner repeats the farmers' market fortnightly in a real browser: the preview lists the
date a PC cannot come, saving opens the series page; both pass axe's checks (with the CSP
every page carries)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from events.models import Series
from events.services.series import series_repeat
from tests.factories import PASSWORD, assign, at, make_officer, make_user

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page):
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["help"]) for v in violations]


@pytest.mark.parametrize("width", [360, 1366])
def test_the_planner_previews_and_saves_a_fortnightly_series(
    live_server, page, screenshot, make_event, team, width
):
    page.set_viewport_size({"width": width, "height": 900})
    make_user("planner", "Planner")
    market = make_event(
        title="Harpenden farmers' market", starts_at=at(2027, 3, 6, 9), ends_at=at(2027, 3, 6, 13)
    )
    pc = make_officer(team=team, name="Siân Llewelyn", number="R1021")
    assign(market, pc)
    fete = make_event(
        title="Kimpton Village Fete", starts_at=at(2027, 4, 17, 10), ends_at=at(2027, 4, 17, 12)
    )
    assign(fete, pc)

    sign_in(page, live_server.url, "planner", PASSWORD)
    page.goto(f"{live_server.url}/events/{market.pk}/")
    page.get_by_role("link", name="Repeat…").click()
    page.get_by_label("Repeat").select_option("2 weeks")
    page.get_by_label("Or this many times").fill("10")
    page.get_by_role("button", name="Preview").click()

    preview = page.get_by_test_id("repeat-preview")
    assert "9 repeats, every 2 weeks on Saturday" in preview.inner_text()
    assert "Siân Llewelyn is already on “Kimpton Village Fete”" in preview.inner_text()
    _no_violations(page)
    screenshot(f"planner-repeat-preview-{width}")
    assert not Series.objects.exists()

    page.get_by_role("button", name="Save the series: 9 new events").click()
    assert page.get_by_text("9 events made. 1 unfilled.").is_visible()
    assert page.get_by_test_id("series-events").locator("tbody tr").count() == 10
    _no_violations(page)
    screenshot(f"planner-series-page-{width}")


def test_cancel_this_and_later_and_new_times_pages_pass_axe(live_server, page, make_event, team):
    planner = make_user("planner", "Planner")
    market = make_event(
        title="Harpenden farmers' market", starts_at=at(2027, 3, 6, 9), ends_at=at(2027, 3, 6, 13)
    )
    assign(market, make_officer(team=team, name="Siân Llewelyn", number="R1021"))
    series = series_repeat(event=market, every="week", count=3, user=planner).series
    later = series.events.order_by("starts_at")[1]

    sign_in(page, live_server.url, "planner", PASSWORD)
    page.goto(f"{live_server.url}/events/{later.pk}/")
    page.get_by_role("link", name="Cancel this and later…").click()
    assert "This cancels 2 events" in page.content()
    _no_violations(page)

    page.goto(f"{live_server.url}/events/{later.pk}/series/times/")
    page.get_by_label("New end time").fill("08:00")
    page.get_by_role("button", name="Move 2 events").click()
    assert page.get_by_test_id("error-summary").is_visible()
    _no_violations(page)
