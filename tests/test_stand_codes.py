"""Stand codes: the public page a poster's QR code opens, its two counted links, the poster,
and scans and follow-throughs as figures like any other."""

import datetime as dt
import io
import re
import subprocess
import time

import pytest
from django.core import signing
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, StandHit
from events.services.events import event_cancel
from events.services.stand import stand_hit_record
from events.web.views.stand import COOKIE_SALT, COUNTED_FOR, cookie_name

SIGNUP = "https://alerts.example.org/join"
REPORT = "https://report.example.org/rural"


@pytest.fixture(autouse=True)
def _links(settings):
    settings.COMMUNITY_SIGNUP_URL = SIGNUP
    settings.CRIME_REPORT_URL = REPORT
    settings.PUBLIC_BASE_URL = ""


@pytest.fixture
def show(make_event):
    now = timezone.now()
    return make_event(
        title="Redbourn County Show",
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=6),
    )


def hits(event, kind=StandHit.Kind.SCAN) -> int:
    return StandHit.objects.filter(event=event, kind=kind).count()


def old_cookie(kind: str, code: str, seconds_ago: int) -> str:
    """The signed cookie as a phone would hold it, signed ``seconds_ago``."""
    name = cookie_name(kind)
    # Signed as HttpResponse.set_signed_cookie signs, with an earlier clock.
    signer = signing.get_cookie_signer(salt=signing._cookie_signer_salt(name, COOKIE_SALT))
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - seconds_ago)
    return signer.sign(code)


# ---- the public page ------------------------------------------------------------------------


def test_the_stand_page_needs_no_sign_in_and_shows_the_event_and_two_links(client, show):
    response = client.get(f"/s/{show.stand_code}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Redbourn County Show" in page
    assert "Get community messages" in page and "Report rural crime" in page
    assert f'href="/s/{show.stand_code}/signup"' in page
    assert f'href="/s/{show.stand_code}/report"' in page
    assert 'lang="en-GB"' in page
    assert "Sign out" not in page and "event is over" not in page


def test_a_scan_records_the_event_and_time_only(client, show):
    before = timezone.now()
    response = client.get(f"/s/{show.stand_code}")
    assert set(response.cookies) == {cookie_name("scan")}  # no session, no CSRF cookie
    (hit,) = StandHit.objects.all()
    assert (hit.event_id, hit.kind) == (show.pk, "scan")
    assert before - dt.timedelta(seconds=1) <= hit.at <= timezone.now()
    assert {f.name for f in StandHit._meta.concrete_fields} == {"id", "event", "kind", "at"}


def test_one_phone_counts_once_in_ten_minutes_and_a_new_phone_counts_again(client, show):
    url = f"/s/{show.stand_code}"
    first = client.get(url)
    cookie = first.cookies[cookie_name("scan")]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == COUNTED_FOR == 600
    assert cookie["path"] == "/s/"
    client.get(url)
    client.get(url)
    assert hits(show) == 1
    client.cookies.clear()  # another phone
    client.get(url)
    assert hits(show) == 2


def test_the_same_phone_counts_again_after_ten_minutes(client, show):
    code = show.stand_code
    client.cookies[cookie_name("scan")] = old_cookie("scan", code, seconds_ago=9 * 60)
    client.get(f"/s/{code}")
    assert hits(show) == 0
    client.cookies[cookie_name("scan")] = old_cookie("scan", code, seconds_ago=COUNTED_FOR + 1)
    client.get(f"/s/{code}")
    assert hits(show) == 1


def test_a_forged_cookie_does_not_stop_the_count(client, show):
    client.cookies[cookie_name("scan")] = show.stand_code
    client.get(f"/s/{show.stand_code}")
    assert hits(show) == 1


@pytest.mark.parametrize(("kind", "target"), [("signup", SIGNUP), ("report", REPORT)])
def test_each_link_is_counted_once_per_phone_then_redirected(client, show, kind, target):
    url = f"/s/{show.stand_code}/{kind}"
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == target
    assert hits(show, kind) == 1
    assert hits(show, "scan") == 0
    client.cookies.clear()
    client.get(url)
    assert hits(show, kind) == 2


def test_an_unknown_code_is_404_with_the_same_database_work_as_a_known_one(client, show):
    with CaptureQueriesContext(connection) as known:
        assert client.get(f"/s/{show.stand_code}").status_code == 200
    client.cookies.clear()
    with CaptureQueriesContext(connection) as unknown:
        response = client.get("/s/ZZZZZZZZZZ")
    assert response.status_code == 404
    assert "Code not found" in response.content.decode()
    assert len(known) == len(unknown) == 2
    assert StandHit.objects.count() == 1
    assert client.get("/s/ZZZZZZZZZZ/signup").status_code == 404


def test_a_cancelled_event_says_it_is_over_and_still_counts_the_scan(client, show):
    event_cancel(event=show)
    response = client.get(f"/s/{show.stand_code}")
    assert response.status_code == 200
    assert "This event is over" in response.content.decode()
    assert hits(show) == 1


def test_an_event_that_ended_more_than_a_day_ago_says_it_is_over(client, make_event):
    now = timezone.now()
    past = make_event(
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=1, minutes=1),
        status=Event.Status.COMPLETED,
    )
    yesterday = make_event(
        title="Farm Watch",
        starts_at=now - dt.timedelta(hours=30),
        ends_at=now - dt.timedelta(hours=20),
    )
    assert "This event is over" in client.get(f"/s/{past.stand_code}").content.decode()
    assert "This event is over" not in client.get(f"/s/{yesterday.stand_code}").content.decode()


def test_the_page_carries_the_csp_and_security_headers_and_no_inline_script(client, show):
    response = client.get(f"/s/{show.stand_code}")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Referrer-Policy" in response
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.content.decode())
    assert " style=" not in response.content.decode()


def test_the_page_is_rate_limited_per_address(client, show, settings):
    settings.STAND_RATE = "3/m"
    caches["throttle"].clear()
    try:
        url = f"/s/{show.stand_code}"
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get(url)
        assert refused.status_code == 429
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert "Too many requests" in refused.content.decode()
        # Another address is not held back by this one.
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200
    finally:
        caches["throttle"].clear()


def test_only_safe_methods(client, show):
    assert client.post(f"/s/{show.stand_code}").status_code == 405


def test_recording_an_unknown_code_stores_nothing(show):
    assert stand_hit_record(code=show.stand_code, kind="report") is True
    assert stand_hit_record(code="2222222222", kind="report") is False
    assert StandHit.objects.count() == 1


# ---- the figures --------------------------------------------------------------------------


@pytest.fixture
def scanned(client, show, make_event):
    """Three phones scanned the show's code, two followed "Get community messages", one
    "Report rural crime"; a draft's code was scanned too (it is not held: it adds nothing)."""
    for phone in range(3):
        client.cookies.clear()
        client.get(f"/s/{show.stand_code}")
        if phone < 2:
            client.get(f"/s/{show.stand_code}/signup")
        if phone == 0:
            client.get(f"/s/{show.stand_code}/report")
    draft = make_event(title="Draft fete", status=Event.Status.DRAFT)
    client.cookies.clear()
    client.get(f"/s/{draft.stand_code}")
    client.cookies.clear()
    return show


FIGURES = {"scans": 3, "signup_clicks": 2, "report_clicks": 1}
PERIOD = {"from": (timezone.localdate() - dt.timedelta(days=30)).isoformat()}


def test_the_api_summary_and_event_stats_carry_the_stand_figures(scanned, planner):
    from .api_support import as_user

    api = as_user(planner)
    body = api.get("/api/stats/summary", **PERIOD).json()
    assert {key: body[key] for key in FIGURES} == FIGURES
    body = api.get(f"/api/events/{scanned.pk}/stats").json()
    assert {key: body[key] for key in FIGURES} == FIGURES


def test_the_event_page_and_dashboard_show_them(client, scanned, planner):
    client.force_login(planner)
    html = client.get(reverse("event_detail", args=[scanned.pk])).content.decode()
    for key, value in FIGURES.items():
        assert f'data-figure="{key}">{value}<' in html
    html = client.get(reverse("dashboard"), {"date_from": PERIOD["from"]}).content.decode()
    for key, value in FIGURES.items():
        assert f'data-figure="{key}" data-value="{value}"' in html


def test_the_workbook_the_pdf_report_and_the_debrief_show_them(scanned, planner):
    import openpyxl

    from .api_support import as_user
    from .test_one_number import pdf_text

    api = as_user(planner)
    workbook = openpyxl.load_workbook(
        io.BytesIO(api.get("/api/reports/engagement.xlsx", **PERIOD).body), read_only=True
    )
    summary = {
        row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if len(row) > 1
    }
    assert summary["Stand-code scans"] == 3
    assert summary["Community messages links followed"] == 2
    assert summary["Report rural crime links followed"] == 1
    header, *events = workbook["Events"].iter_rows(values_only=True)
    [show] = [dict(zip(header, row, strict=True)) for row in events]  # the draft is not held
    assert (
        show["Stand-code scans"],
        show["Community messages links followed"],
        show["Report rural crime links followed"],
    ) == (3, 2, 1)
    for text in (
        pdf_text(api.get("/api/reports/engagement.pdf", **PERIOD).body),
        pdf_text(api.get(f"/api/events/{scanned.pk}/debrief.pdf").body),
    ):
        assert "Stand-code scans 3" in text
        assert "Community messages links followed 2" in text
        assert "Report rural crime links followed 1" in text


# ---- the poster ---------------------------------------------------------------------------


def decoded_qr(pdf_bytes: bytes, tmp_path) -> list[str]:
    """Render the poster's one page as poppler prints it, and read its QR codes back."""
    import zxingcpp
    from PIL import Image
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf_bytes)).pages) == 1
    source = tmp_path / "poster.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", source, tmp_path / "poster"],
        check=True,
    )
    with Image.open(tmp_path / "poster.png") as image:
        return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_posters_qr_code_opens_the_events_stand_page(client, show, planner, tmp_path):
    client.force_login(planner)
    response = client.get(reverse("event_poster", args=[show.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert decoded_qr(body, tmp_path) == [f"http://testserver/s/{show.stand_code}"]
    from .test_one_number import pdf_text

    text = pdf_text(body)
    assert "Redbourn County Show" in text
    assert "Get community messages" in text and "Report rural crime" in text


def test_the_poster_uses_the_public_base_url_when_set(show, planner, settings, tmp_path):
    from .api_support import as_user

    settings.PUBLIC_BASE_URL = "https://outreach.example.police.uk/"
    response = as_user(planner).get(f"/api/events/{show.pk}/poster.pdf")
    assert response.status_code == 200
    url = f"https://outreach.example.police.uk/s/{show.stand_code}"
    assert decoded_qr(response.body, tmp_path) == [url]


def test_only_planners_and_admins_print_the_poster(
    client, show, admin_user, officer_user, manager, outsider
):
    from .api_support import as_user

    url = reverse("event_poster", args=[show.pk])
    for user, status in ((admin_user, 200), (officer_user, 403), (manager, 403), (outsider, 403)):
        client.force_login(user)
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end: the file closes itself
        assert response.status_code == status, user
        assert as_user(user).get(f"/api/events/{show.pk}/poster.pdf").status_code == status
    client.force_login(admin_user)
    assert client.get(reverse("event_poster", args=[999999])).status_code == 404
    assert as_user(admin_user).get("/api/events/999999/poster.pdf").status_code == 404


def test_the_event_page_offers_the_poster_to_planners_only(client, show, planner, officer_user):
    client.force_login(planner)
    assert 'data-testid="poster-link"' in client.get(f"/events/{show.pk}/").content.decode()
    client.force_login(officer_user)
    assert 'data-testid="poster-link"' not in client.get(f"/events/{show.pk}/").content.decode()
