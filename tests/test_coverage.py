"""Coverage ("where haven't we been?"): figures per postcode district worked out by hand,
the same as the dashboard's area filter, on the page, in the API, the workbook and the PDF,
and the list of districts loaded from a CSV file."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from events.devtools.demo import DISTRICTS
from events.models import Area, Event
from events.postcodes import outward_code, outward_code_of
from events.reporting import stats
from events.reporting.exports import pdf, xlsx
from events.reporting.stats import StatsFilter
from events.services.events import event_cancel

from .api_support import as_user
from .factories import at, log, make_officer
from .test_import import csv_bytes, upload

PERIOD = StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 8, 31))
TODAY = dt.date(2024, 9, 30)


@pytest.fixture
def areas(db):
    for code, name in [
        ("AL3", "Redbourn, Markyate"),
        ("AL5", "Harpenden"),
        ("SG12", "Ware"),
        ("WD4", "Kings Langley"),
    ]:
        Area.objects.create(code=code, name=name)


@pytest.fixture
def world(areas, make_event, team):
    """In July and August 2024: two events in AL3 (one postcode typed without a space, in
    lower case), one in AL5, one with no postcode and one in Luton (not in the list).
    Before: one in SG12 (May 2023). Not held: a cancelled one in SG12, a draft in WD4."""
    rhys = make_officer(team=team, name="Rhys")

    def held(title, postcode, day, *visits, status=Event.Status.CONFIRMED):
        event = make_event(
            title=title, postcode=postcode, starts_at=at(*day, 10), ends_at=at(*day, 16)
        )
        for visitors, signups in visits:
            log(event, rhys, visitors=visitors, signups=signups)
        return event

    held("Redbourn Show", "AL3 7PT", (2024, 7, 6), (10, 2), (5, 1))
    held("Markyate fete", "al37ab", (2024, 7, 20), (4, 0))
    held("Harpenden market", "AL5 2TF", (2024, 8, 3), (10, 4))
    held("Pop-up stand", "", (2024, 8, 10), (7, 0))
    held("Luton show", "LU1 1AA", (2024, 8, 11), (3, 1))
    held("Ware fete", "SG12 9AA", (2023, 5, 1), (20, 5))
    event_cancel(event=held("Ware market", "SG12 0AB", (2024, 7, 13), (9, 9)))
    make_event(title="Kings Langley", postcode="WD4 8AA", status=Event.Status.DRAFT)


def rows_of(data: dict) -> dict:
    return {row["area"]: row for row in data["items"]}


# --- The rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("AL3 7PT", "AL3"),
        ("al3 7pt", "AL3"),
        ("AL37PT", "AL3"),
        ("SG127AB", "SG12"),
        (" SG12 7AB ", "SG12"),
        ("A11AA", "A1"),
        ("AL3", "AL3"),  # a district on its own
        ("AL35", "AL35"),
        ("", ""),
    ],
)
def test_the_outward_code_is_the_same_in_python_and_in_the_database(make_event, postcode, district):
    event = make_event(postcode=postcode)
    in_sql = Event.objects.annotate(code=outward_code_of("postcode")).get(pk=event.pk).code
    assert outward_code(postcode) == district == (in_sql or "")


def test_the_dashboards_district_and_sector_filters_follow_the_rule(make_event):
    for title, postcode in [
        ("spaced", "AL3 7PT"),
        ("unspaced", "al37pt"),
        ("district only", "AL3"),
        ("other sector", "AL3 8AA"),
        ("longer district", "AL35 7AA"),
    ]:
        make_event(title=title, postcode=postcode, starts_at=at(2024, 7, 6, 10))

    def titles(area):
        return {row["title"] for row in stats.event_rows(StatsFilter(area=area))}

    assert titles("AL3") == {"spaced", "unspaced", "district only", "other sector"}
    assert titles("AL3 7") == {"spaced", "unspaced"}
    assert titles("AL35 7") == {"longer district"}


# --- The figures ---------------------------------------------------------------------------


def test_coverage_is_worked_out_by_hand(world):
    data = stats.coverage(PERIOD, today=TODAY)
    rows = rows_of(data)
    # AL3: 10 + 5 + 4 visitors, 2 + 1 sign-ups, last on 20 July (72 days before 30 Sept).
    assert rows["AL3"] | {"name": None} == {
        "area": "AL3",
        "name": None,
        "events": 2,
        "visitors": 19,
        "signups": 3,
        "last_event": dt.date(2024, 7, 20),
        "days_since": 72,
        "stale": False,
    }
    assert (rows["AL5"]["events"], rows["AL5"]["visitors"], rows["AL5"]["signups"]) == (1, 10, 4)
    assert (rows["AL5"]["last_event"], rows["AL5"]["days_since"]) == (dt.date(2024, 8, 3), 58)
    # SG12: nothing held in the period (the market was cancelled); last held in May 2023.
    assert rows["SG12"] | {"name": None} == {
        "area": "SG12",
        "name": None,
        "events": 0,
        "visitors": 0,
        "signups": 0,
        "last_event": dt.date(2023, 5, 1),
        "days_since": 366 + 152,
        "stale": True,
    }
    # WD4: only a draft, so never visited.
    assert rows["WD4"] | {"name": None} == {
        "area": "WD4",
        "name": None,
        "events": 0,
        "visitors": 0,
        "signups": 0,
        "last_event": None,
        "days_since": None,
        "stale": True,
    }
    # The event with no postcode and the one in Luton: counted, outside the list.
    assert data["outside"] == 2
    assert (
        sum(row["events"] for row in data["items"]) + data["outside"]
        == (stats.summary(PERIOD)["events"])
    )


def test_the_longest_gap_comes_first_and_never_visited_before_all(world):
    data = stats.coverage(PERIOD, today=TODAY)
    assert [row["area"] for row in data["items"]] == ["WD4", "SG12", "AL3", "AL5"]


def test_areas_with_the_same_gap_read_in_postcode_order(areas):
    Area.objects.create(code="AL10", name="Hatfield")
    Area.objects.create(code="AL2", name="London Colney")
    codes = [row["area"] for row in stats.coverage(PERIOD)["items"]]
    assert codes == ["AL2", "AL3", "AL5", "AL10", "SG12", "WD4"]


def test_each_area_agrees_with_the_dashboards_area_filter(world):
    for row in stats.coverage(PERIOD, today=TODAY)["items"]:
        summary = stats.summary(
            StatsFilter(date_from=PERIOD.date_from, date_to=PERIOD.date_to, area=row["area"])
        )
        assert (row["events"], row["visitors"], row["signups"]) == (
            summary["events"],
            summary["visitors"],
            summary["signups"],
        ), row["area"]


def test_an_area_is_marked_after_the_months_asked_for(world):
    # AL3's last event was 72 days ago and AL5's 58: two months mark AL3 but not AL5.
    rows = rows_of(stats.coverage(PERIOD, months=2, today=TODAY))
    assert (rows["AL3"]["stale"], rows["AL5"]["stale"]) == (True, False)


def test_the_team_filter_narrows_the_figures_and_the_last_event(world, other_team):
    data = stats.coverage(StatsFilter(team=other_team.pk), today=TODAY)
    assert all(row["events"] == 0 and row["last_event"] is None for row in data["items"])
    assert data["outside"] == 0


def test_with_no_areas_listed_every_event_is_outside(make_event):
    make_event(postcode="AL3 7PT", starts_at=at(2024, 7, 6, 10))
    assert stats.coverage(PERIOD) == {
        "items": [],
        "outside": 1,
        "months": 6,
        "since": stats.coverage(PERIOD)["since"],
    }


# --- The page ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["planner", "manager", "admin_user"])
def test_planners_managers_and_admins_see_the_page(client, world, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("coverage"), {"from": "2024-07-01", "to": "2024-08-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="row">AL3</th>' in html
    assert 'data-testid="outside" data-value="2"' in html
    assert "Not visited" in html
    assert reverse("coverage") in html  # the navigation links to it


def test_an_officer_may_not_see_the_page_nor_its_link(client, world, officer_user):
    client.force_login(officer_user)
    assert client.get(reverse("coverage")).status_code == 403
    assert reverse("coverage") not in client.get(reverse("my_events")).content.decode()


def test_the_page_shows_thousands_separators(client, areas, make_event, team, planner):
    event = make_event(postcode="AL5 1AA", starts_at=at(2024, 7, 6, 10))
    log(event, make_officer(team=team), visitors=12345)
    client.force_login(planner)
    html = client.get(reverse("coverage"), {"from": "2024-07-01"}).content.decode()
    assert "12,345" in html


def test_a_bad_filter_is_shown_not_a_500(client, planner):
    client.force_login(planner)
    response = client.get(reverse("coverage"), {"months": "0", "from": "20240"})
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in response.content.decode()


def test_the_pages_queries_do_not_grow_with_the_areas(client, world, planner):
    client.force_login(planner)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("coverage"))
    for number in range(30):
        Area.objects.create(code=f"HP{number + 1}", name=f"Place {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("coverage"))
    assert len(many) == len(few)


# --- The API -------------------------------------------------------------------------------


def test_the_api_answers_the_statistics_modules_figures(world, manager):
    response = as_user(manager).get(
        "/api/stats/coverage", **{"from": "2024-07-01", "to": "2024-08-31"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"items", "outside"}
    assert body["outside"] == 2
    al3 = next(row for row in body["items"] if row["area"] == "AL3")
    assert {key: al3[key] for key in ("area", "name", "events", "visitors", "signups")} == {
        "area": "AL3",
        "name": "Redbourn, Markyate",
        "events": 2,
        "visitors": 19,
        "signups": 3,
    }
    assert al3["last_event"] == "2024-07-20"
    assert set(al3) >= {"area", "name", "events", "visitors", "signups", "last_event", "days_since"}
    assert [row["area"] for row in body["items"]][:2] == ["WD4", "SG12"]


def test_an_officer_gets_403_from_the_api(world, officer_user):
    assert as_user(officer_user).get("/api/stats/coverage").status_code == 403
    assert as_user().get("/api/stats/coverage").status_code == 401


@pytest.mark.parametrize("params", [{"team": 999999}, {"months": 0}, {"from": "2024-13-01"}])
def test_bad_api_filters_answer_422(world, planner, params):
    assert as_user(planner).get("/api/stats/coverage", **params).status_code == 422


# --- The reports ---------------------------------------------------------------------------


def test_the_workbook_has_a_coverage_sheet(world):
    stream = io.BytesIO()
    xlsx.write_engagement(stream, PERIOD)
    stream.seek(0)
    sheet = openpyxl.load_workbook(stream)["Coverage"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "District",
        "Places",
        "Events held",
        "Visitors",
        "Sign-ups",
        "Last event",
        "Days since",
    )
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["AL3"][1:5] == ("Redbourn, Markyate", 2, 19, 3)
    assert by_code["AL3"][5].date() == dt.date(2024, 7, 20)
    assert by_code["WD4"][5:8] == (None, None, "yes")
    assert by_code["Outside"][2] == 2
    assert sum(row[2] for row in rows[1:]) == stats.summary(PERIOD)["events"]


def test_the_pdf_report_has_a_coverage_page(world):
    stream = io.BytesIO()
    pdf.write_engagement(stream, PERIOD)
    stream.seek(0)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(stream).pages).split())
    assert "Coverage: where haven't we been?" in text
    assert "Redbourn, Markyate 2 19 3 20 Jul 2024" in text
    assert "Kings Langley 0 0 0 – – yes" in text


# --- The list of areas, by CSV ---------------------------------------------------------------


def test_areas_import_from_csv_with_a_dry_run_first(client, admin_user):
    Area.objects.create(code="AL3", name="Redbourn")
    client.force_login(admin_user)
    rows = [["code", "name"], ["al3", "Redbourn, Markyate"], ["SG12", "Ware"], ["AL5", "Harpenden"]]
    dry_run = upload(client, "areas", csv_bytes(rows))
    assert dry_run.status_code == 200
    plan = dry_run.context["plan"]
    assert [row.key for row in plan.creates] == ["SG12", "AL5"]
    assert [row.key for row in plan.updates] == ["AL3"]
    assert list(Area.objects.values_list("code", "name")) == [("AL3", "Redbourn")]
    done = client.post(
        reverse("import_confirm", args=["areas"]), {"token": dry_run.context["token"]}, follow=True
    )
    assert "2 created, 1 updated" in done.content.decode()
    assert list(Area.objects.values_list("code", "name")) == [
        ("AL3", "Redbourn, Markyate"),
        ("AL5", "Harpenden"),
        ("SG12", "Ware"),
    ]
    again = upload(client, "areas", csv_bytes(rows))
    assert [row.key for row in again.context["plan"].unchanged] == ["AL3", "SG12", "AL5"]


def test_a_bad_area_row_is_refused_with_its_reason(client, admin_user):
    client.force_login(admin_user)
    rows = [["code", "name"], ["Harpenden", "AL5"], ["AL3", ""], ["AL3", "Again"], ["SG1", "x\x07"]]
    plan = upload(client, "areas", csv_bytes(rows)).context["plan"]
    errors = {row.line: " ".join(row.errors) for row in plan.errors}
    assert "not a postcode district" in errors[2]
    assert "name" in errors[3]
    assert "also on row 3" in errors[4]
    assert "control character" in errors[5]
    assert not Area.objects.exists()


def test_only_admins_may_import_areas(client, planner):
    client.force_login(planner)
    response = upload(client, "areas", csv_bytes([["code", "name"], ["AL3", "Redbourn"]]))
    assert response.status_code == 403
    assert not Area.objects.exists()


def test_the_admin_saves_an_area_through_the_service(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:events_area_add")
    response = client.post(url, {"code": "al 3", "name": "Redbourn"})
    assert response.status_code == 302, response.content
    assert Area.objects.get().code == "AL3"
    refused = client.post(url, {"code": "HARP", "name": "Harpenden"})
    assert refused.status_code == 200
    assert "not a postcode district" in refused.content.decode()
    assert Area.objects.count() == 1


def test_the_demo_lists_the_hertfordshire_districts_and_every_event_is_in_one(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert Area.objects.count() == len(DISTRICTS) > 40
    assert Area.objects.get(code="AL3").name.startswith("St Albans (north), Redbourn")
    data = stats.coverage(StatsFilter())
    assert data["outside"] == 0
    rows = rows_of(data)
    assert rows["AL3"]["events"] > 0 and rows["AL3"]["stale"] is False
    assert rows["CM23"]["last_event"] is None  # nothing held there: first in the list
    assert data["items"][0]["days_since"] is None
