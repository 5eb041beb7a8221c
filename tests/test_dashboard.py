"""The dashboard and the report downloads: who may see them, what they show, one number."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events.models import EventType, ExportRecord, Team
from events.reporting import stats
from events.reporting.params import last_twelve_months
from events.reporting.stats import StatsFilter

from .factories import assign, at, book, log, make_kit, make_officer
from .test_stats import build_events, count_queries

DASHBOARD = reverse("dashboard")
XLSX = reverse("report_engagement_xlsx")
PDF = reverse("report_engagement_pdf")
# The files themselves, as scripts fetch them (the web's old links now offer an export job).
XLSX_FILE = "/api/reports/engagement.xlsx"
PDF_FILE = "/api/reports/engagement.pdf"
JULY = {"from": "2024-07-01", "to": "2024-07-31"}


def fetch(client, address, params=None):
    """The response with any file read to the end (the test client then closes it)."""
    response = client.get(address, params or {})
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)" data-value="([^"]*)"', html))


@pytest.fixture
def july(make_event, team, other_team, topic):
    fete = EventType.objects.get(slug="fete")
    sian = make_officer(team=team, name="Siân")
    owain = make_officer(team=other_team, name="Owain")
    first = make_event(
        title="Kimpton Fete",
        starts_at=at(2024, 7, 6, 10),
        ends_at=at(2024, 7, 6, 14),
        event_type=fete,
        postcode="SG4 8AA",
    )
    assign(first, sian, actual_minutes=300)  # 4 h planned, 5 h recorded
    log(first, sian, visitors=40, signups=8, crime_reports=1, topics=[(topic, 6)])
    book(first, make_kit())
    second = make_event(
        title="Harpenden Market",
        starts_at=at(2024, 7, 20, 9),
        ends_at=at(2024, 7, 20, 12),
        team=other_team,
        postcode="AL5 2TF",
    )
    assign(second, owain)  # 3 h planned
    log(second, owain, visitors=26, signups=2)
    return first, second


@pytest.mark.parametrize("persona", ["planner", "manager", "admin_user"])
def test_stats_readers_see_the_dashboard(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert b"Engagement dashboard" in response.content


@pytest.mark.parametrize("address", [DASHBOARD, XLSX, PDF])
def test_officers_and_users_without_a_role_are_refused(client, officer_user, outsider, address):
    for user in (officer_user, outsider):
        client.force_login(user)
        assert client.get(address).status_code == 403
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("address", [DASHBOARD, XLSX, PDF])
def test_signing_in_is_required(client, address):
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_nav_offers_the_dashboard_to_stats_readers_only(client, manager, officer_user):
    client.force_login(manager)
    assert f'href="{DASHBOARD}"' in client.get(reverse("home")).content.decode()
    client.force_login(officer_user)
    assert f'href="{DASHBOARD}"' not in client.get(reverse("home")).content.decode()


def test_the_dashboard_shows_the_headline_figures(client, manager, july):
    client.force_login(manager)
    html = client.get(DASHBOARD, JULY).content.decode()
    assert figures(html) == {
        "events": "2",
        "visitors": str(40 + 26),
        "officers": "2",
        "officer_hours": str(5.0 + 3.0),
        "visitors_per_officer_hour": str(round(66 / 8, 2)),
        "signups": str(8 + 2),
        "crime_reports": "1",
        "scans": "0",
        "signup_clicks": "0",
        "report_clicks": "0",
    }
    assert "Events from 1 Jul 2024 to 31 Jul 2024" in html


def test_it_defaults_to_the_last_twelve_months(client, manager):
    client.force_login(manager)
    response = client.get(DASHBOARD)
    filters = response.context["filters"]
    assert filters == last_twelve_months(timezone.localdate())
    assert filters.date_from.day == 1
    assert filters.date_to - filters.date_from > dt.timedelta(days=330)
    assert len(response.context["data"]["by_month"]) == 12


def test_charts_are_svg_drawn_here_with_their_numbers_as_tables(client, manager, july):
    client.force_login(manager)
    html = client.get(DASHBOARD, JULY).content.decode()
    assert html.count('<svg class="chart"') == 6
    assert html.count('role="img"') == 6
    for key in ("months", "topics", "teams", "types", "kit", "top"):
        assert f'data-testid="table-{key}"' in html
    # No script draws anything: the only one folds the filters on a phone (static, not inline).
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/filters.js" defer>']
    assert "cdn" not in html.lower()
    assert "Kimpton Fete, 6 Jul 2024: 40<" in html  # a bar's own title, dated


def test_filters_combine_on_the_dashboard(client, manager, july, other_team):
    client.force_login(manager)
    html = client.get(DASHBOARD, {**JULY, "team": other_team.pk, "area": "al5"}).content
    assert figures(html.decode())["visitors"] == "26"
    html = client.get(DASHBOARD, {**JULY, "topic": "poaching-hare-coursing"}).content
    assert figures(html.decode())["visitors"] == "40"
    html = client.get(DASHBOARD, {**JULY, "event_type": "fete", "team": other_team.pk}).content
    assert figures(html.decode())["events"] == "0"


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2024-07-31", "to": "2024-07-01"},
        {"from": "31/02/2024"},
        {"team": "999999"},
        {"topic": "no-such-topic"},
        {"area": "=1+1"},
    ],
)
def test_bad_filters_get_messages_not_figures(client, manager, params):
    client.force_login(manager)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert "data" not in response.context
    assert fetch(client, XLSX, params).status_code == 400
    assert not ExportRecord.objects.exists()


def test_names_are_escaped_in_the_charts(client, manager, make_event):
    team = Team.objects.create(name='<img src="http://example.com/x.png">')
    event = make_event(title="<b>x</b>", team=team, starts_at=at(2024, 7, 9, 10))
    log(event, make_officer(team=team), visitors=4)
    client.force_login(manager)
    html = client.get(DASHBOARD, JULY).content.decode()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert '<img src="http://example.com' not in html


def test_the_dashboard_query_count_does_not_grow_with_rows(
    client, manager, make_event, team, topic
):
    def page():
        assert client.get(DASHBOARD, JULY).status_code == 200

    client.force_login(manager)
    build_events(make_event, team, topic, 2)
    few = count_queries(page)
    build_events(make_event, team, topic, 40, start_day=2)
    assert count_queries(page) == few


def test_the_downloads_are_logged_with_who_when_and_what_filter(client, manager, july, team):
    client.force_login(manager)
    params = {**JULY, "team": team.pk}
    response = fetch(client, XLSX_FILE, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="engagement-2024-07-01-2024-07-31.xlsx"' in response["Content-Disposition"]
    response = fetch(client, PDF_FILE, params)
    assert response["Content-Type"] == "application/pdf"
    records = list(ExportRecord.objects.order_by("id"))
    assert [(r.kind, r.user) for r in records] == [
        ("engagement.xlsx", manager),
        ("engagement.pdf", manager),
    ]
    assert records[0].filters == {"from": "2024-07-01", "to": "2024-07-31", "team": team.pk}
    assert records[0].rows > 0 and records[0].created_at is not None


def test_the_dashboards_downloads_start_export_jobs_for_the_same_filter(
    client, manager, july, team
):
    client.force_login(manager)
    response = client.get(DASHBOARD, {**JULY, "team": team.pk})
    html = response.content.decode()
    form = html[
        html.index('action="/exports/new/"') : html.index("</form>", html.index("/exports/new/"))
    ]
    for name, value in (("from", "2024-07-01"), ("to", "2024-07-31"), ("team", team.pk)):
        assert f'name="{name}" value="{value}"' in form
    assert 'value="engagement.xlsx"' in form and 'value="engagement.pdf"' in form
    assert XLSX not in html and PDF not in html  # never written inside the page's request


def test_admins_see_the_export_log(client, admin_user, manager, july):
    client.force_login(manager)
    fetch(client, XLSX_FILE, JULY)
    client.force_login(admin_user)
    html = client.get(reverse("admin:events_exportrecord_changelist")).content.decode()
    assert "engagement.xlsx" in html


def test_the_four_outputs_agree(client, manager, july, topic):
    """The dashboard, the summary the API serves, the workbook and the PDF: one number."""
    client.force_login(manager)
    filters = StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 7, 31))
    summary = stats.summary(filters)
    expected = {
        "events": 2,
        "visitors": 66,
        "officers": 2,
        "officer_hours": 8.0,
        "signups": 10,
        "crime_reports": 1,
        "visitors_per_officer_hour": 8.25,
    }
    assert {key: summary[key] for key in expected} == expected

    shown = figures(client.get(DASHBOARD, JULY).content.decode())
    stand = {"scans": 0.0, "signup_clicks": 0.0, "report_clicks": 0.0}
    assert {key: float(value) for key, value in shown.items()} == expected | stand

    workbook = openpyxl.load_workbook(io.BytesIO(fetch(client, XLSX_FILE, JULY).body))
    sheet = workbook["Summary"]
    cells = {row[0]: row[1] for row in sheet.iter_rows(min_row=7, max_row=19, values_only=True)}
    assert {
        "events": cells["Events held"],
        "visitors": cells["Visitors engaged"],
        "officers": cells["Officers (distinct people)"],
        "officer_hours": cells["Officer-hours (recorded, else planned)"],
        "signups": cells["Messaging sign-ups"],
        "crime_reports": cells["Crime reports taken"],
        "visitors_per_officer_hour": cells["Visitors per officer-hour"],
    } == expected
    topics = {row[0]: row[1] for row in workbook["Topics"].iter_rows(min_row=2, values_only=True)}
    assert topics == {topic.name: 6}

    reader = PdfReader(io.BytesIO(fetch(client, PDF_FILE, JULY).body))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for line in (
        "Events held 2",
        "Visitors engaged 66",
        "Officers (distinct people) 2",
        "Officer-hours (recorded, else planned) 8.00",
        "Visitors per officer-hour 8.25",
        "Messaging sign-ups 10",
        "Crime reports taken 1",
        f"{topic.name} 6 100.0%",
    ):
        assert line in text, line


def test_figures_read_plainly(client, manager, july):
    """Officer-hours without needless decimals; kit utilisation says what it counts."""
    client.force_login(manager)
    html = client.get(DASHBOARD, JULY).content.decode()
    assert "Kit utilisation: events attended" in html
    hours = re.search(r'data-figure="officer_hours" data-value="([^"]*)">([^<]*)<', html)
    assert float(hours.group(1)) == 8.0 and hours.group(2) == "8"


def test_bar_labels_are_whole_names_and_events_carry_their_dates():
    """Labels sit above their bars, so names are not cut at 27 characters; an event's bar
    names its date, so two markets of the same name are told apart (issue 14, item 5)."""
    from events.reporting.exports import svg
    from events.web.views.reports import bar_label

    long_name = "Harpenden Neighbourhood Policing Team"
    drawn = str(svg.bars([long_name], [12], title="By team", chart_id="chart-teams"))
    assert f">{long_name}</text>" in drawn
    event = {"title": "Shenley Farmers' Market", "starts_at": at(2024, 7, 6, 9)}
    assert bar_label(event, "title") == "Shenley Farmers' Market, 6 Jul 2024"
    assert bar_label({"name": "Fly-tipping"}, "name") == "Fly-tipping"


def test_an_old_report_link_offers_an_export_job_instead_of_building_it(client, manager, july):
    """Nothing long is built inside a web request: the old download address offers to start
    the export job for the same filter."""
    client.force_login(manager)
    response = client.get(XLSX, JULY)
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert 'action="/exports/new/"' in html and 'value="engagement.xlsx"' in html
    assert 'name="from" value="2024-07-01"' in html
    assert not ExportRecord.objects.exists()
