"""One number everywhere: an officer on two shifts of a two-day show is one officer, and a
confirmed event still to come adds nothing (its planned hours never enter a rate). The event
list, the event page, the API, the dashboard, the workbook, the PDF report and the debrief
all say the same. Runs on SQLite and PostgreSQL."""

import datetime as dt
import io
import re
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from events.services.stand import stand_hit_record

from .api_support import as_user
from .factories import assign, at, log, make_officer

VISITORS = 40 + 25 + 35
HOURS = 2 * 8.0  # two days, 09:00 to 17:00, planned (nothing recorded)
RATE = round(VISITORS / HOURS, 2)
SCANS, SIGNUP_CLICKS, REPORT_CLICKS = 2, 1, 0


def day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def on(offset: int, hour: int) -> dt.datetime:
    when = day(offset)
    return at(when.year, when.month, when.day, hour)


@pytest.fixture
def show(make_event, team, topic):
    """Last week's two-day show: Rhys on a shift each day, logging; next week's fete is
    confirmed with Siân planned for eight hours."""
    show = make_event(title="Redbourn County Show", starts_at=on(-8, 9), ends_at=on(-7, 17))
    rhys = make_officer(team=team, name="Rhys Morgan")
    assign(show, rhys, starts_at=on(-8, 9), ends_at=on(-8, 17))
    assign(show, rhys, starts_at=on(-7, 9), ends_at=on(-7, 17))
    log(show, rhys, visitors=40, signups=3, recorded_at=on(-8, 11), topics=[(topic, 4)])
    log(show, rhys, visitors=25, recorded_at=on(-8, 15))
    log(show, rhys, visitors=35, signups=2, recorded_at=on(-7, 12))
    fete = make_event(title="Kimpton Fete", starts_at=on(7, 10), ends_at=on(7, 18))
    assign(fete, make_officer(team=team, name="Siân Evans"))
    # Two scans of the show's stand code and one follow-through; the fete's scan (it is not
    # held yet) adds nothing.
    for code, kind in (
        (show.stand_code, "scan"),
        (show.stand_code, "scan"),
        (show.stand_code, "signup"),
        (fete.stand_code, "scan"),
    ):
        stand_hit_record(code=code, kind=kind)
    return show, fete


PERIOD = {"from": day(-30).isoformat(), "to": day(30).isoformat()}


def test_the_summary_counts_the_show_and_not_the_fete(planner, show):
    body = as_user(planner).get("/api/stats/summary", **PERIOD).json()
    assert (body["events"], body["officers"], body["visitors"]) == (1, 1, VISITORS)
    assert (body["officer_hours"], body["officer_hours_planned"]) == (HOURS, HOURS)
    assert body["visitors_per_officer_hour"] == RATE
    assert sum(month["events"] for month in body["by_month"]) == 1
    assert (body["scans"], body["signup_clicks"], body["report_clicks"]) == (
        SCANS,
        SIGNUP_CLICKS,
        REPORT_CLICKS,
    )


def test_one_events_figures_are_its_share_of_the_summary(planner, show):
    shown, coming = show
    api = as_user(planner)
    body = api.get(f"/api/events/{shown.pk}/stats").json()
    assert (body["events"], body["officers"], body["visitors"], body["officer_hours"]) == (
        1,
        1,
        VISITORS,
        HOURS,
    )
    assert (body["scans"], body["signup_clicks"]) == (SCANS, SIGNUP_CLICKS)
    body = api.get(f"/api/events/{coming.pk}/stats").json()
    assert (body["events"], body["officers"], body["officer_hours_planned"]) == (0, 0, 0)
    assert body["scans"] == 0
    assert body["visitors_per_officer_hour"] is None


def test_the_event_list_shows_one_officer_and_the_shows_figures(client, planner, show):
    client.force_login(planner)
    html = client.get(reverse("home"), {"date_from": day(-30).isoformat()}).content.decode()
    rows = {  # the event's title: its number cells
        re.search(r">([^<]+)</a>", row).group(1): re.findall(r'class="num"[^>]*>([^<]*)<', row)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
        if "</a>" in row
    }
    # Officers, kit, visitors, officer-hours.
    assert rows["Redbourn County Show"] == ["1", "0", f"{VISITORS}", f"{HOURS:.0f}"]
    assert rows["Kimpton Fete"] == ["1", "0", "–", "–"]  # staffed, not held


def test_the_event_page_shows_the_same_figures(client, planner, show):
    client.force_login(planner)
    html = client.get(reverse("event_detail", args=[show[0].pk])).content.decode()
    assert f'data-figure="visitors">{VISITORS}<' in html
    assert 'data-figure="officers">1<' in html
    assert f'data-figure="officer_hours">{HOURS:.0f}<' in html  # 16, not 16.00
    assert f'data-figure="scans">{SCANS}<' in html
    assert f'data-figure="signup_clicks">{SIGNUP_CLICKS}<' in html
    html = client.get(reverse("event_detail", args=[show[1].pk])).content.decode()
    assert 'data-figure="officer_hours">0<' in html
    assert 'data-testid="not-held"' in html


def test_the_dashboard_shows_the_same_figures(client, manager, show):
    client.force_login(manager)
    html = client.get(reverse("dashboard"), PERIOD).content.decode()
    shown = dict(re.findall(r'data-figure="(\w+)" data-value="([^"]*)"', html))
    assert {key: float(shown[key]) for key in ("events", "officers", "visitors")} == {
        "events": 1,
        "officers": 1,
        "visitors": VISITORS,
    }
    assert float(shown["officer_hours"]) == HOURS
    assert float(shown["visitors_per_officer_hour"]) == RATE
    assert (int(shown["scans"]), int(shown["signup_clicks"])) == (SCANS, SIGNUP_CLICKS)


def test_the_workbook_shows_the_same_figures(planner, show):
    response = as_user(planner).get("/api/reports/engagement.xlsx", **PERIOD)
    workbook = openpyxl.load_workbook(io.BytesIO(response.body), read_only=True)
    sheet = workbook["Summary"].iter_rows(values_only=True)
    summary = {row[0]: row[1] for row in sheet if len(row) > 1}
    assert summary["Events held"] == 1
    assert summary["Officers (distinct people)"] == 1
    assert summary["Visitors engaged"] == VISITORS
    assert summary["Officer-hours (recorded, else planned)"] == HOURS
    assert summary["Visitors per officer-hour"] == RATE
    assert summary["Stand-code scans"] == SCANS
    assert summary["Community messages links followed"] == SIGNUP_CLICKS

    def rows(name):
        header, *data = workbook[name].iter_rows(values_only=True)
        return [dict(zip(header, row, strict=True)) for row in data]

    [event] = rows("Events")  # the fete has not been held
    assert (event["Event"], event["Officers"], event["Visitors"]) == (
        "Redbourn County Show",
        1,
        VISITORS,
    )
    assert event["Officer-hours"] == HOURS
    [officer] = rows("Officers")
    assert (officer["Officer"], officer["Events"], officer["Officer-hours"]) == (
        "Rhys Morgan",
        1,
        HOURS,
    )
    assert sum(row["Visitors"] for row in rows("Logs")) == VISITORS


def pdf_text(body: bytes, *, layout: bool = False) -> str:
    """The PDF's text as pdftotext reads it: with ``layout``, columns stay side by side."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    text = subprocess.run(command, input=body, capture_output=True, check=True).stdout.decode()
    return text if layout else " ".join(text.split())


def test_the_pdf_report_shows_the_same_figures(planner, show):
    text = pdf_text(as_user(planner).get("/api/reports/engagement.pdf", **PERIOD).body)
    for line in (
        "Events held 1",
        "Officers (distinct people) 1",
        f"Visitors engaged {VISITORS}",
        f"Officer-hours (recorded, else planned) {HOURS:.2f}",
        f"Officer-hours planned {HOURS:.2f}",
        f"Visitors per officer-hour {RATE:.2f}",
        f"Stand-code scans {SCANS}",
        f"Community messages links followed {SIGNUP_CLICKS}",
    ):
        assert line in text, line
    assert "Kimpton Fete" not in text


def test_the_debrief_counts_one_officer_on_two_shifts(planner, show):
    body = as_user(planner).get(f"/api/events/{show[0].pk}/debrief.pdf").body
    assert "Who (1 officer, 2 shifts)" in pdf_text(body)
    text = pdf_text(body, layout=True)  # the key figures sit beside "When and where"
    for pattern in (
        r"Officers \(distinct people\) +1\n",
        rf"Visitors engaged +{VISITORS}\n",
        rf"Officer-hours \(recorded, else planned\) +{HOURS:.2f}\n",
        rf"Visitors per officer-hour +{RATE:.2f}\n",
        rf"Stand-code scans +{SCANS}\n",
    ):
        assert re.search(pattern, text), pattern
