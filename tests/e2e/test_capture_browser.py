"""An officer logs at the stand on a phone, loses signal, reloads, and nothing is lost."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EngagementLog, TopicMention
from tests.factories import PASSWORD, assign, make_officer, make_user

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}}


def test_taps_survive_going_offline_and_a_reload(
    live_server, page, context, screenshot, make_event, team
):
    user = make_user("officer", "Officer")
    officer = make_officer(user, team=team, name="Dafydd ap Rhys")
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    event = make_event(
        title="Harpenden Farmers' Market",
        starts_at=start + dt.timedelta(hours=1),
        ends_at=start + dt.timedelta(hours=23, minutes=59),
    )
    assign(event, officer)

    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/events/{event.pk}/")
    page.get_by_role("link", name="Log engagement").click()
    waiting = page.locator("[data-waiting]")
    visitor = page.get_by_role("button", name="+1 visitor")
    for _ in range(5):
        visitor.click()
    page.get_by_role("button", name="Poaching and hare coursing").click()
    page.get_by_role("button", name="Fly-tipping").click()
    expect(waiting).to_have_text("0")
    # The page and its assets are kept on the phone before the signal goes.
    page.wait_for_function("async () => !!(await caches.match(location.href, {ignoreVary: true}))")

    context.set_offline(True)
    # The page must see it is offline before a tap, or a tap may race out (a page a
    # service worker controls can still reach the network in Chromium's emulation).
    page.wait_for_function("() => !navigator.onLine")
    for _ in range(3):
        visitor.click()
    expect(page.get_by_role("status")).to_contain_text("3 waiting to send")
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("3 waiting to send")
    screenshot("capture-offline-360")
    assert EngagementLog.objects.filter(officer=officer).count() == 7

    context.set_offline(False)
    expect(waiting).to_have_text("0", timeout=15000)
    expect(page.locator("[data-total=visitors]")).to_have_text("8", timeout=20000)
    screenshot("capture-online-360")
    logs = EngagementLog.objects.filter(officer=officer, event=event)
    assert sum(entry.visitors for entry in logs) == 8
    assert sum(TopicMention.objects.filter(log__in=logs).values_list("count", flat=True)) == 2


def test_a_tap_the_server_refuses_is_shown_with_its_reason(
    live_server, page, context, make_event, team
):
    user = make_user("officer", "Officer")
    officer = make_officer(user, team=team, name="Dafydd ap Rhys")
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    event = make_event(
        title="Kimpton street briefing",
        starts_at=start + dt.timedelta(hours=1),
        ends_at=start + dt.timedelta(hours=23),
    )
    assignment = assign(event, officer)
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/events/{event.pk}/capture/")
    context.set_offline(True)
    # The page must see it is offline before a tap, or a tap may race out (a page a
    # service worker controls can still reach the network in Chromium's emulation).
    page.wait_for_function("() => !navigator.onLine")
    page.get_by_role("button", name="+1 visitor").click()
    expect(page.get_by_role("status")).to_contain_text("1 waiting to send")
    # Meanwhile the planner takes the officer off the event.
    assignment.released = True
    assignment.save()
    context.set_offline(False)
    refused = page.locator("[data-refused] li")
    expect(refused).to_contain_text("Refused: +1 visitor", timeout=15000)
    expect(refused).to_contain_text("No such event")
    expect(page.locator("[data-waiting]")).to_have_text("0")
    assert not EngagementLog.objects.exists()
