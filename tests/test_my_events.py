"""An officer's home: today's events first, then upcoming and recent, with who and what."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.services.events import event_cancel

from .factories import assign, book, make_kit, make_officer


def local_today(hour):
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start + dt.timedelta(hours=hour)


def test_an_officers_home_is_their_own_events_today_first(client, officer_user, make_event, team):
    me = officer_user.officer
    today = make_event(
        title="Market today",
        starts_at=local_today(9),
        ends_at=local_today(15),
        location="Harpenden High Street",
    )
    later = make_event(
        title="Show next week", starts_at=local_today(24 * 7 + 9), ends_at=local_today(24 * 7 + 17)
    )
    past = make_event(
        title="Fete last week",
        starts_at=local_today(-24 * 5 + 9),
        ends_at=local_today(-24 * 5 + 12),
    )
    not_mine = make_event(
        title="Someone else's fete", starts_at=local_today(10), ends_at=local_today(12)
    )
    cancelled = make_event(title="Called off", starts_at=local_today(10), ends_at=local_today(11))
    assign(cancelled, me)
    event_cancel(event=cancelled)  # releases me, free for the market the same morning
    for event in [today, later, past]:
        assign(event, me, role="lead" if event is today else "support")
    colleague = make_officer(team=team, name="Siân Llewelyn")
    assign(today, colleague)
    assign(not_mine, make_officer(team=team))
    book(today, make_kit(name="Mini police tractor 'Bobby'"))

    client.force_login(officer_user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    groups = response.context["groups"]
    assert [i["event"].title for i in groups["today"]] == ["Market today"]
    assert [i["event"].title for i in groups["upcoming"]] == ["Show next week"]
    assert [i["event"].title for i in groups["recent"]] == ["Fete last week"]
    assert html.index("Market today") < html.index("Show next week") < html.index("Fete last week")
    assert "Someone else" not in html and "Called off" not in html
    assert "Siân Llewelyn" in html and "Mini police tractor" in html and "Lead" in html
    assert "Harpenden High Street" in html


def test_my_events_query_count_does_not_grow(client, officer_user, make_event, team):
    client.force_login(officer_user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("my_events")).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        event = make_event(
            title=f"E{n}", starts_at=local_today(24 * n + 9), ends_at=local_today(24 * n + 12)
        )
        assign(event, officer_user.officer)
        assign(event, make_officer(team=team))
        book(event, make_kit(tag=f"T{n}"))

    add(1)
    few = count()
    for n in range(2, 12):
        add(n)
    assert count() == few


def test_planners_still_get_the_event_table(client, planner, make_event):
    client.force_login(planner)
    assert "table" in client.get(reverse("home")).context


def test_a_three_day_show_shows_both_dates_on_my_events(client, officer_user, make_event):
    from .factories import soon

    show = make_event(title="Herts County Show", starts_at=soon(), ends_at=soon(32, 18))
    assign(show, officer_user.officer, starts_at=show.starts_at, ends_at=show.ends_at)
    client.force_login(officer_user)
    page = client.get(reverse("my_events")).content.decode()
    first, last = timezone.localtime(show.starts_at), timezone.localtime(show.ends_at)
    assert f"{first:%a %-d %b} 09:00 – {last:%a %-d %b} 18:00" in page


def test_a_planner_on_the_rota_has_my_events_in_the_navigation(client, planner, manager):
    client.force_login(planner)  # the planner fixture has an officer record
    assert 'href="/my-events/">My events</a>' in client.get(reverse("home")).content.decode()
    client.force_login(manager)  # no officer record: no rota
    assert "My events</a>" not in client.get(reverse("dashboard")).content.decode()
