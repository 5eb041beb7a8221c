"""The capture page tells the truth (issue 14, item 3), in a real browser on a phone: every
tap is acknowledged by the button, totals say when they were read and count my taps still
waiting, a request that hangs is given up and sent again, a tap after the session changed is
retried with the new token rather than refused, a full phone is told so, and signing out
removes the pages kept for offline use."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EngagementLog
from tests.factories import PASSWORD, assign, make_officer, make_user

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}}


@pytest.fixture
def at_the_stand(live_server, page, make_event, team):
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
    page.goto(f"{live_server.url}/events/{event.pk}/capture/")
    return event, officer


def test_each_tap_is_acknowledged_by_the_buttons_and_totals_say_when(page, context, at_the_stand):
    event, officer = at_the_stand
    expect(page.locator("[data-as-of]")).to_contain_text("As of")
    page.get_by_role("button", name="+1 visitor").click()
    expect(page.locator("[data-ack]")).to_have_text(
        "+1 visitor · mine today 1 · 0 waiting", timeout=5000
    )
    context.set_offline(True)
    # The page must see it is offline before a tap, or a tap may race out (a page a
    # service worker controls can still reach the network in Chromium's emulation).
    page.wait_for_function("() => !navigator.onLine")
    page.get_by_role("button", name="+1 visitor").click()
    ack = page.locator("[data-ack]")
    expect(ack).to_have_text("+1 visitor · mine today 2 · 1 waiting")
    # The visitors total counts my tap still waiting, and says so.
    expect(page.locator("[data-total=visitors]")).to_have_text("2")
    expect(page.locator("[data-as-of]")).to_contain_text("with 1 of my visitors still waiting")
    context.set_offline(False)
    expect(page.locator("[data-waiting]")).to_have_text("0", timeout=10000)
    assert EngagementLog.objects.filter(officer=officer).count() == 2


def test_a_hung_request_is_given_up_and_the_tap_sent_again(page, at_the_stand):
    event, officer = at_the_stand
    hung = []

    def hang_once(route):
        if not hung:
            hung.append(route)  # never answered: the page's time limit must give up on it
            return
        route.continue_()

    page.route("**/api/events/*/logs", hang_once)
    page.get_by_role("button", name="+1 visitor").click()
    expect(page.locator("[data-waiting]")).to_have_text("1")
    expect(page.locator("[data-waiting]")).to_have_text("0", timeout=25000)
    assert EngagementLog.objects.filter(officer=officer).count() == 1


def test_a_tap_after_the_session_changed_is_retried_with_the_new_token(
    page, context, live_server, at_the_stand
):
    event, officer = at_the_stand
    # A new CSRF secret in the cookie (as after signing in again elsewhere on the phone):
    # the token the page read when it opened is now stale and the server answers 403.
    context.add_cookies([{"name": "csrftoken", "value": "B" * 32, "url": live_server.url}])
    page.get_by_role("button", name="+1 visitor").click()
    expect(page.locator("[data-waiting]")).to_have_text("0", timeout=10000)
    expect(page.locator("[data-refused] li")).to_have_count(0)
    assert EngagementLog.objects.filter(officer=officer).count() == 1


def test_a_full_phone_is_told_and_the_tap_is_sent_straight_away(page, at_the_stand):
    event, officer = at_the_stand
    # Fill this origin's storage to the brim: big pieces, then ever smaller ones.
    page.evaluate(
        """() => { let n = 0;
                   for (let size = 1 << 20; size >= 1; size = size >> 2) {
                     const chunk = "x".repeat(size);
                     try { while (true) localStorage.setItem("fill" + n++, chunk); }
                     catch (e) {} } }"""
    )
    page.get_by_role("button", name="+1 visitor").click()
    expect(page.locator("[data-storage-full]")).to_be_visible()
    expect(page.locator("[data-ack]")).to_contain_text("sent", timeout=10000)
    assert EngagementLog.objects.filter(officer=officer).count() == 1
    page.evaluate("() => localStorage.clear()")


def test_signing_out_removes_the_pages_kept_for_offline_use(page, live_server, at_the_stand):
    page.wait_for_function("async () => !!(await caches.match(location.href, {ignoreVary: true}))")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_function("() => document.documentElement.dataset.captureCache === 'cleared'")
    assert page.evaluate("async () => (await caches.keys()).length") == 0


def test_reopened_offline_the_totals_say_how_old_they_are_and_count_taps_waiting(
    page, context, at_the_stand
):
    page.get_by_role("button", name="+1 visitor").click()
    expect(page.locator("[data-waiting]")).to_have_text("0", timeout=10000)
    page.reload()  # the phone's copy now holds the page with that tap counted
    page.wait_for_function("async () => !!(await caches.match(location.href, {ignoreVary: true}))")
    context.set_offline(True)
    # The page must see it is offline before a tap, or a tap may race out (a page a
    # service worker controls can still reach the network in Chromium's emulation).
    page.wait_for_function("() => !navigator.onLine")
    page.get_by_role("button", name="+1 visitor").click()
    page.reload()
    as_of = page.locator("[data-as-of]")
    expect(as_of).to_contain_text("with 1 of my visitors still waiting")
    assert "NaN" not in as_of.text_content()
    expect(page.locator("[data-total=visitors]")).to_have_text("2")
    context.set_offline(False)


def test_before_logging_opens_the_buttons_say_when_and_take_nothing(
    live_server, page, make_event, team
):
    user = make_user("officer", "Officer")
    officer = make_officer(user, team=team, name="Dafydd ap Rhys")
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=10
    )
    show = make_event(
        title="Redbourn County Show", starts_at=start, ends_at=start + dt.timedelta(hours=8)
    )
    assign(show, officer)
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/events/{show.pk}/")
    expect(page.get_by_test_id("logging-closed")).to_contain_text("Logging opens")
    expect(page.get_by_role("link", name="Log engagement")).to_have_count(0)
    page.goto(f"{live_server.url}/events/{show.pk}/capture/")
    expect(page.get_by_test_id("logging-closed")).to_contain_text(
        f"Logging opens {start - dt.timedelta(hours=1):%a %-d %b at %H:%M}"
    )
    expect(page.get_by_role("button", name="+1 visitor")).to_be_disabled()
    assert EngagementLog.objects.filter(event=show).count() == 0


def test_an_event_days_past_is_not_today(live_server, page, make_event, team):
    user = make_user("officer", "Officer")
    officer = make_officer(user, team=team, name="Dafydd ap Rhys")
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(
        days=12
    )
    fete = make_event(title="Kimpton Fete", starts_at=start, ends_at=start + dt.timedelta(hours=6))
    assign(fete, officer)
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/events/{fete.pk}/capture/")
    heading = page.locator("#today-h")
    expect(heading).to_contain_text(f"On {start:%a %-d %b %Y} at this event")
    expect(heading).not_to_contain_text("Today")
