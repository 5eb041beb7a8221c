"""The home page lists upcoming events with filters, sorting and paging, in constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import assign, book, log, make_kit, make_officer, soon


def build_events(make_event, team, count, start=0):
    for n in range(start, start + count):
        event = make_event(title=f"Fete {n:03d}", starts_at=soon(days=5 + n))
        officer = make_officer(team=team)
        assign(event, officer)
        book(event, make_kit(name=f"Gazebo {n}", tag=f"GZB-{n:03d}", category="gazebo"))


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_rows_or_page(client, planner, make_event, team):
    client.force_login(planner)
    build_events(make_event, team, 3)
    few = queries_for(client, reverse("home"))
    build_events(make_event, team, 57, start=3)
    many = queries_for(client, reverse("home"))
    page_two = queries_for(client, reverse("home") + "?page=2")
    assert few == many == page_two


def test_it_shows_upcoming_events_with_counts(client, planner, make_event, team):
    client.force_login(planner)
    event = make_event(title="Redbourn County Show")
    make_event(title="Last year's fete", starts_at=soon(days=-400))
    for _n in range(2):
        assign(event, make_officer(team=team))
    book(event, make_kit())
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "Redbourn County Show" in html
    assert "Last year&#x27;s fete" not in html
    row = next(r for r in response.context["table"].rows if r.record.pk == event.pk)
    assert row.get_cell_value("officer_count") == 2
    assert row.get_cell_value("kit_count") == 1


def test_filters_combine(client, planner, make_event, team, other_team):
    client.force_login(planner)
    make_event(title="ROST draft", status="draft")
    make_event(title="ROST confirmed", status="confirmed")
    make_event(title="NPT draft", status="draft", team=other_team)
    response = client.get(reverse("home"), {"team": team.pk, "status": "draft"})
    titles = [row.record.title for row in response.context["table"].rows]
    assert titles == ["ROST draft"]


def test_the_period_filter_uses_local_dates(client, planner, make_event):
    client.force_login(planner)
    day = soon(days=40)
    make_event(title="In range", starts_at=day)
    make_event(title="Out of range", starts_at=day + dt.timedelta(days=3))
    response = client.get(
        reverse("home"), {"date_from": day.date().isoformat(), "date_to": day.date().isoformat()}
    )
    assert [row.record.title for row in response.context["table"].rows] == ["In range"]


def test_a_bad_date_gets_a_form_error_not_a_crash(client, planner):
    client.force_login(planner)
    response = client.get(reverse("home"), {"date_from": "31/02/2026"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


@pytest.mark.parametrize("sort", ["title", "-starts_at", "team", "event_type", "-officer_count"])
def test_it_sorts_by_any_column(client, planner, make_event, sort):
    client.force_login(planner)
    make_event(title="B")
    make_event(title="A", starts_at=soon(days=60))
    response = client.get(reverse("home"), {"sort": sort})
    assert response.status_code == 200


def test_the_event_page_shows_who_what_and_engagement_so_far(
    client, planner, make_event, team, topic
):
    client.force_login(planner)
    event = make_event(  # held: it started yesterday
        title="Redbourn County Show", location="Redbourn Showground", starts_at=soon(days=-1)
    )
    officer = make_officer(team=team, name="Siân Llewelyn")
    assign(event, officer, role="lead")
    book(event, make_kit())
    leaflets = make_kit(name="Leaflets", category="leaflets", consumable=True, quantity=500)
    book(event, leaflets, quantity=120)
    log(event, officer, visitors=7, signups=2, topics=[(topic, 3)])
    log(event, officer, visitors=5, crime_reports=1)
    log(event, officer, visitors=100, removed_at=event.starts_at)  # removed: does not count
    html = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert "<title>Redbourn County Show – Outreach</title>" in html
    assert html.count('id="photos-h"') == 1
    assert "Siân Llewelyn" in html and "Mini police tractor" in html and "120" in html
    assert 'data-figure="visitors">12<' in html
    assert 'data-figure="signups">2<' in html
    assert 'data-figure="crime_reports">1<' in html
    assert "Poaching and hare coursing: 3" in html


def test_a_missing_event_is_404(client, planner):
    client.force_login(planner)
    assert client.get(reverse("event_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("value", ["9999-01-01", "0001-01-01", "1999-12-31", "2100-01-01"])
def test_a_from_or_to_date_outside_2000_to_2099_is_refused_with_a_message(client, planner, value):
    client.force_login(planner)
    for name, label in (("date_from", "From"), ("date_to", "To")):
        response = client.get(reverse("home"), {name: value})
        assert response.status_code == 200
        page = response.content.decode()
        year = int(value[:4])
        assert f"{label} must be in the years 2000 to 2099 (not {year})." in page


def test_on_a_phone_each_row_is_a_card_whose_cells_name_their_column(client, planner, make_event):
    make_event(title="Redbourn County Show")
    client.force_login(planner)
    html = client.get(reverse("home")).content.decode()
    assert 'class="table table-stack"' in html
    for label in ("When", "Type", "Lead team", "Status", "Officers", "Officer-hours"):
        assert f'data-label="{label}"' in html, label
    for page in ("kit_list", "officer_list"):
        assert "table-stack" in client.get(reverse(page)).content.decode()
