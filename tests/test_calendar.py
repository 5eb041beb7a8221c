"""Month and week calendars: the right events on the right London days, in constant queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event, EventType
from events.time import local_today

from .factories import at

PERSONAS = ["planner", "officer_user", "manager", "admin_user"]


def month_url(year, month, **params):
    return reverse("calendar_month", args=[year, month]), params


def get_month(client, year, month, **params):
    response = client.get(reverse("calendar_month", args=[year, month]), params)
    assert response.status_code == 200
    return response


def get_week(client, day: dt.date, **params):
    response = client.get(reverse("calendar_week", args=[day.year, day.month, day.day]), params)
    assert response.status_code == 200
    return response


def shown(response) -> dict[dt.date, list[str]]:
    """{day: [(time label, title), ...]} for every day on the page that has events."""
    if "weeks" in response.context:
        days = [day for week in response.context["weeks"] for day in week]
    else:
        days = response.context["days"]
    return {day.date: [(e.time_label, e.title) for e in day.entries] for day in days if day.entries}


def titles_on(response, day: dt.date) -> list[str]:
    return [title for _label, title in shown(response).get(day, [])]


@pytest.fixture
def fete_type(db):
    # The migrations load the standard event types.
    return EventType.objects.get(slug="fete")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_sees_the_calendars(client, request, persona, make_event):
    client.force_login(request.getfixturevalue(persona))
    make_event(title="Harpenden fete", starts_at=at(2026, 6, 13, 10))
    assert "Harpenden fete" in get_month(client, 2026, 6).content.decode()
    assert "Harpenden fete" in get_week(client, dt.date(2026, 6, 13)).content.decode()


def test_a_user_without_a_role_is_refused(client, outsider, make_event):
    make_event(title="Secret show", starts_at=at(2026, 6, 13, 10))
    client.force_login(outsider)
    response = client.get(reverse("calendar_month", args=[2026, 6]))
    assert response.status_code == 403
    assert b"Secret show" not in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in [reverse("calendar_month"), reverse("calendar_week"), reverse("calendar_feeds")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_nav_links_to_the_calendar(client, officer_user):
    client.force_login(officer_user)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("calendar_month")}">Calendar<' in html


def test_the_month_shows_each_event_on_its_day_linking_to_its_page(client, planner, make_event):
    client.force_login(planner)
    fete = make_event(
        title="Wheathampstead fete", starts_at=at(2026, 6, 13, 10), ends_at=at(2026, 6, 13, 16)
    )
    make_event(title="Next month", starts_at=at(2026, 7, 20, 10))
    response = get_month(client, 2026, 6)
    assert shown(response) == {dt.date(2026, 6, 13): [("10:00–16:00", "Wheathampstead fete")]}
    html = response.content.decode()
    assert f'href="{reverse("event_detail", args=[fete.pk])}"' in html
    assert "June 2026" in html


def test_a_three_day_show_appears_on_each_day_it_spans(client, planner, make_event):
    client.force_login(planner)
    make_event(
        title="Redbourn County Show",
        starts_at=at(2026, 6, 5, 9),  # Friday
        ends_at=at(2026, 6, 7, 18),  # Sunday
    )
    days = shown(get_month(client, 2026, 6))
    assert days == {
        dt.date(2026, 6, 5): [("from 09:00", "Redbourn County Show")],
        dt.date(2026, 6, 6): [("all day", "Redbourn County Show")],
        dt.date(2026, 6, 7): [("until 18:00", "Redbourn County Show")],
    }
    week = shown(get_week(client, dt.date(2026, 6, 3)))
    assert sorted(week) == [dt.date(2026, 6, 5), dt.date(2026, 6, 6), dt.date(2026, 6, 7)]


def test_an_event_across_the_month_end_is_in_both_months(client, planner, make_event):
    client.force_login(planner)
    make_event(title="Overnight patrol", starts_at=at(2026, 6, 30, 20), ends_at=at(2026, 7, 1, 4))
    assert titles_on(get_month(client, 2026, 6), dt.date(2026, 6, 30)) == ["Overnight patrol"]
    july = get_month(client, 2026, 7)
    # July's grid starts on Monday 29 June, so the event shows on both of its days there.
    assert titles_on(july, dt.date(2026, 6, 30)) == ["Overnight patrol"]
    assert shown(july)[dt.date(2026, 7, 1)] == [("until 04:00", "Overnight patrol")]


def test_an_event_ending_at_midnight_does_not_spill_into_the_next_day(client, planner, make_event):
    client.force_login(planner)
    make_event(title="Evening talk", starts_at=at(2026, 6, 10, 19), ends_at=at(2026, 6, 11, 0))
    assert sorted(shown(get_month(client, 2026, 6))) == [dt.date(2026, 6, 10)]


def test_days_are_london_days_across_the_spring_clock_change(client, planner, make_event):
    client.force_login(planner)
    # 29 March 2026: 01:00 GMT becomes 02:00 BST, so this night lasts two hours.
    make_event(
        title="Lambing night", starts_at=at(2026, 3, 29, 0, 30), ends_at=at(2026, 3, 29, 3, 30)
    )
    # 00:30 BST on the 30th is 23:30 UTC on the 29th: it belongs to the 30th.
    make_event(
        title="Early briefing",
        starts_at=dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 30, 1, 0, tzinfo=dt.UTC),
    )
    days = shown(get_month(client, 2026, 3))
    assert days[dt.date(2026, 3, 29)] == [("00:30–03:30", "Lambing night")]
    assert days[dt.date(2026, 3, 30)] == [("00:30–02:00", "Early briefing")]
    # The week of Monday 23 to Sunday 29 March ends on the short day.
    assert shown(get_week(client, dt.date(2026, 3, 29))) == {
        dt.date(2026, 3, 29): [("00:30–03:30", "Lambing night")]
    }
    assert shown(get_week(client, dt.date(2026, 3, 30))) == {
        dt.date(2026, 3, 30): [("00:30–02:00", "Early briefing")]
    }


def test_days_are_london_days_across_the_autumn_clock_change(client, planner, make_event):
    client.force_login(planner)
    # 25 October 2026: 02:00 BST becomes 01:00 GMT, so this night lasts four hours.
    event = make_event(
        title="Hare coursing patrol",
        starts_at=at(2026, 10, 25, 0, 30),
        ends_at=at(2026, 10, 25, 3, 30),
    )
    assert event.ends_at.astimezone(dt.UTC) - event.starts_at.astimezone(dt.UTC) == dt.timedelta(
        hours=4
    )
    make_event(
        title="Late GMT", starts_at=at(2026, 10, 25, 23, 30), ends_at=at(2026, 10, 25, 23, 45)
    )
    days = shown(get_week(client, dt.date(2026, 10, 25)))
    assert days == {
        dt.date(2026, 10, 25): [
            ("00:30–03:30", "Hare coursing patrol"),
            ("23:30–23:45", "Late GMT"),
        ]
    }


def test_today_is_highlighted(client, planner):
    client.force_login(planner)
    today = local_today()
    for response in (client.get(reverse("calendar_month")), client.get(reverse("calendar_week"))):
        html = response.content.decode()
        current = re.findall(r'data-date="([\d-]+)" aria-current="date"', html)
        assert current == [today.isoformat()]
        assert "cal-today" in html and ">Today</strong>" in html
    other_month = today.replace(day=1) - dt.timedelta(days=40)
    html = get_month(client, other_month.year, other_month.month).content.decode()
    assert 'aria-current="date"' not in html


def test_weeks_run_monday_to_sunday_and_pad_the_month(client, planner):
    client.force_login(planner)
    response = get_month(client, 2026, 2)  # 1 February 2026 is a Sunday
    weeks = response.context["weeks"]
    assert weeks[0][0].date == dt.date(2026, 1, 26)
    assert weeks[-1][-1].date == dt.date(2026, 3, 1)
    assert all(len(week) == 7 for week in weeks)
    assert not weeks[0][0].in_period and weeks[0][-1].in_period
    week = get_week(client, dt.date(2026, 6, 10)).context["days"]
    assert [day.date for day in (week[0], week[-1])] == [dt.date(2026, 6, 8), dt.date(2026, 6, 14)]


def test_filters_by_team_and_type(client, planner, make_event, other_team, fete_type):
    client.force_login(planner)
    day = at(2026, 6, 13, 10)
    make_event(title="ROST fete", starts_at=day, event_type=fete_type)
    make_event(title="ROST market", starts_at=day)
    make_event(title="NPT fete", starts_at=day, team=other_team, event_type=fete_type)
    on = dt.date(2026, 6, 13)
    assert titles_on(get_month(client, 2026, 6, team=other_team.pk), on) == ["NPT fete"]
    assert titles_on(get_month(client, 2026, 6, event_type=fete_type.pk), on) == [
        "ROST fete",
        "NPT fete",
    ]
    both = get_week(client, on, team=other_team.pk, event_type=fete_type.pk)
    assert titles_on(both, on) == ["NPT fete"]


def test_cancelled_events_are_hidden_unless_asked_for_then_struck(client, planner, make_event):
    client.force_login(planner)
    make_event(
        title="Called-off fete", starts_at=at(2026, 6, 13, 10), status=Event.Status.CANCELLED
    )
    make_event(title="Market", starts_at=at(2026, 6, 13, 12))
    hidden = get_month(client, 2026, 6)
    assert "Called-off fete" not in hidden.content.decode()
    shown_ = get_month(client, 2026, 6, cancelled="on")
    html = shown_.content.decode()
    assert titles_on(shown_, dt.date(2026, 6, 13)) == ["Called-off fete", "Market"]
    assert re.search(
        r'class="cal-entry cal-entry-cancelled struck"[^>]*>\s*<a[^>]*>.*Called-off fete', html
    )
    assert "(cancelled)" in html
    assert 'name="cancelled" checked' in html or re.search(r'name="cancelled"[^>]*checked', html)


def test_previous_and_next_keep_the_filters(client, planner, team):
    client.force_login(planner)
    response = get_month(client, 2026, 12, team=team.pk, cancelled="on")
    query = f"?team={team.pk}&cancelled=on"
    assert response.context["next_url"] == reverse("calendar_month", args=[2027, 1]) + query
    assert response.context["previous_url"] == reverse("calendar_month", args=[2026, 11]) + query
    html = response.content.decode()
    assert (
        f'href="{reverse("calendar_month", args=[2027, 1])}?team={team.pk}&amp;cancelled=on"'
        in html
    )
    week = get_week(client, dt.date(2026, 12, 30), team=team.pk)
    assert week.context["heading"] == "Week of 28 December 2026 – 3 January 2027"
    assert (
        week.context["next_url"] == reverse("calendar_week", args=[2027, 1, 4]) + f"?team={team.pk}"
    )
    assert (
        week.context["previous_url"]
        == reverse("calendar_week", args=[2026, 12, 21]) + f"?team={team.pk}"
    )


def test_a_bad_filter_value_is_ignored_with_a_message_not_a_crash(client, planner, make_event):
    client.force_login(planner)
    make_event(title="Market", starts_at=at(2026, 6, 13, 12))
    response = get_month(client, 2026, 6, team="999999", event_type="nonsense")
    assert titles_on(response, dt.date(2026, 6, 13)) == ["Market"]
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("calendar_month", args=[2026, 13]),
        reverse("calendar_month", args=[2026, 0]),
        reverse("calendar_month", args=[9999, 12]),
        reverse("calendar_week", args=[2026, 2, 30]),
    ],
)
def test_an_impossible_date_is_404(client, planner, url):
    client.force_login(planner)
    assert client.get(url).status_code == 404


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_number_of_events(
    client, planner, make_event, other_team, fete_type
):
    client.force_login(planner)
    month = reverse("calendar_month", args=[2026, 6])
    week = reverse("calendar_week", args=[2026, 6, 10])
    params = {"cancelled": "on", "event_type": fete_type.pk}
    make_event(title="One", starts_at=at(2026, 6, 10, 9), event_type=fete_type)
    few = [
        queries_for(client, month),
        queries_for(client, week),
        queries_for(client, month, params),
    ]
    for n in range(40):
        make_event(
            title=f"Event {n}",
            starts_at=at(2026, 6, 1 + n % 28, 9),
            ends_at=at(2026, 6, 1 + n % 28, 9) + dt.timedelta(days=n % 3, hours=4),
            team=other_team if n % 2 else None,
            event_type=fete_type,
            status=Event.Status.CANCELLED if n % 5 == 0 else Event.Status.CONFIRMED,
        )
    many = [
        queries_for(client, month),
        queries_for(client, week),
        queries_for(client, month, params),
    ]
    assert few == many
