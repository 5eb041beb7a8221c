"""Figures and reports over the API: the same numbers as events/stats, files that open,
every export recorded."""

import datetime as dt
import io

import openpyxl
import pypdf
import pytest

from events.models import ExportRecord
from events.reporting import stats

from .api_support import as_user
from .factories import assign, at, log, make_officer


@pytest.fixture
def show(make_event, team, officer_user, topic):
    event = make_event(
        title="Redbourn County Show",
        starts_at=at(2026, 7, 4, 9),
        ends_at=at(2026, 7, 4, 17),
        postcode="AL3 7BX",
    )
    assign(event, officer_user.officer)
    assign(event, make_officer(team=team))
    log(event, officer_user.officer, visitors=120, signups=8, crime_reports=1, topics=[(topic, 5)])
    return event


def test_the_summary_is_the_statistics_modules_own(planner, show, topic, team):
    response = as_user(planner).get(
        "/api/stats/summary", **{"from": "2026-07-01", "to": "2026-07-31"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    expected = stats.summary(
        stats.StatsFilter(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31))
    )
    for field in [
        "events",
        "visitors",
        "officer_hours",
        "signups",
        "crime_reports",
        "visitors_per_officer_hour",
    ]:
        assert body[field] == expected[field], field
    assert (body["events"], body["visitors"], body["officer_hours"]) == (1, 120, 16.0)
    assert body["visitors_per_officer_hour"] == 7.5
    assert body["topics"][0] | {"share": 0} == {
        "topic": topic.slug,
        "name": topic.name,
        "mentions": 5,
        "share": 0,
    }
    assert body["by_month"] == [{"month": "2026-07", "events": 1, "visitors": 120}]


def test_summary_filters_narrow_the_figures(planner, show, other_team):
    api = as_user(planner)
    assert api.get("/api/stats/summary", team=other_team.pk).json()["events"] == 0
    assert api.get("/api/stats/summary", area="AL3").json()["events"] == 1
    assert api.get("/api/stats/summary", area="AL4").json()["events"] == 0
    assert api.get("/api/stats/summary", topic="fly-tipping").json()["events"] == 0
    assert api.get("/api/stats/summary", event_type="school-visit").json()["events"] == 0


@pytest.mark.parametrize(
    "params,field",
    [
        ({"team": 999}, "team"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"from": "2026-08-01", "to": "2026-07-01"}, "to"),
        ({"from": "1 July"}, "from"),
        ({"area": "not a postcode"}, "area"),
        ({"area": "AL\x00"}, "area"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(planner, params, field):
    response = as_user(planner).get("/api/stats/summary", **params)
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


def test_officers_do_not_see_force_wide_figures(officer_user):
    assert as_user(officer_user).get("/api/stats/summary").status_code == 403


def test_one_events_figures(planner, officer_user, other_officer_user, show):
    expected = stats.event_summary(show)
    body = as_user(planner).get(f"/api/events/{show.pk}/stats").json()
    assert (
        (body["visitors"], body["signups"])
        == (expected["visitors"], expected["signups"])
        == (120, 8)
    )
    assert as_user(officer_user).get(f"/api/events/{show.pk}/stats").status_code == 200
    assert as_user(other_officer_user).get(f"/api/events/{show.pk}/stats").status_code == 404


def test_the_excel_report_opens_and_is_recorded(manager, show):
    response = as_user(manager).get(
        "/api/reports/engagement.xlsx", **{"from": "2026-07-01", "to": "2026-07-31"}
    )
    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "engagement-2026-07-01-2026-07-31.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.body))
    assert workbook.sheetnames
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.filters) == (
        manager,
        "engagement.xlsx",
        {"from": "2026-07-01", "to": "2026-07-31"},
    )


def test_the_pdf_report_opens_and_is_recorded(planner, show):
    response = as_user(planner).get("/api/reports/engagement.pdf", team=show.team_id)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = pypdf.PdfReader(io.BytesIO(response.body))
    text = "".join(page.extract_text() for page in document.pages)
    assert "Community engagement report" in text
    assert "Redbourn County Show" in text  # among the top events
    assert ExportRecord.objects.get().kind == "engagement.pdf"


def test_officers_may_not_export_the_report(officer_user, show):
    for fmt in ["xlsx", "pdf"]:
        assert as_user(officer_user).get(f"/api/reports/engagement.{fmt}").status_code == 403
    assert not ExportRecord.objects.exists()


def test_the_debrief_for_an_officer_on_the_event_and_nobody_else(
    officer_user, other_officer_user, show
):
    response = as_user(officer_user).get(f"/api/events/{show.pk}/debrief.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.body)).pages[0].extract_text()
    assert "Redbourn County Show" in text
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.filters) == (
        officer_user,
        "debrief.pdf",
        {"event": show.pk},
    )
    assert as_user(other_officer_user).get(f"/api/events/{show.pk}/debrief.pdf").status_code == 404
