"""A planner moves the county show a week later and sees what moves with it before saving;
then cancels it (after reading what that releases) and reinstates it, in a real browser."""

import pytest

from events.models import Assignment, Event
from events.services.kit import kit_book
from events.services.staffing import assignment_add_each_day
from tests.factories import PASSWORD, at, make_kit, make_officer, make_user

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1366])
def test_the_planner_moves_cancels_and_reinstates_the_show(
    live_server, page, screenshot, make_event, team, width
):
    page.set_viewport_size({"width": width, "height": 900})
    make_user("planner", "Planner")
    show = make_event(
        title="Redbourn County Show", starts_at=at(2027, 7, 3, 8, 30), ends_at=at(2027, 7, 4, 18)
    )
    officer = make_officer(team=team, name="Siân Llewelyn", number="R1021")
    assignment_add_each_day(event=show, officer=officer)
    kit_book(event=show, item=make_kit())

    sign_in(page, live_server.url, "planner", PASSWORD)
    page.goto(f"{live_server.url}/events/{show.pk}/edit/")
    page.locator("#id_starts_at_0").fill("2027-07-10")
    page.locator("#id_ends_at_0").fill("2027-07-11")
    page.get_by_role("button", name="Save changes").click()

    summary = page.locator("#move-summary")
    assert "1 officer (2 shifts) and 1 kit booking move to Sat 10 – Sun 11 Jul 2027" in (
        summary.inner_text()
    )
    screenshot(f"planner-move-summary-{width}")
    page.get_by_role("button", name="Save and move").click()
    assert page.get_by_text("Event updated.").is_visible()
    shifts = Assignment.objects.filter(event=show).order_by("starts_at")
    assert [s.starts_at for s in shifts] == [at(2027, 7, 10, 8, 30), at(2027, 7, 11, 8, 30)]

    page.get_by_role("link", name="Cancel event…").click()
    assert "Cancelling releases 1 officer and 1 kit booking" in page.content()
    screenshot(f"planner-cancel-confirm-{width}")
    page.get_by_role("button", name="Yes, cancel the event").click()
    assert Event.objects.get(pk=show.pk).status == Event.Status.CANCELLED

    page.get_by_role("button", name="Reinstate as draft").click()
    assert page.get_by_text("Reinstated as a draft with all its officers and kit.").is_visible()
    assert Event.objects.get(pk=show.pk).status == Event.Status.DRAFT
    assert Assignment.objects.live().filter(event=show).count() == 2
