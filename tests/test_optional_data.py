"""Nothing crashes on optional data: one of each object with every optional field left empty
(an officer without team, e-mail, phone or sign-in; an event without type, team, lead,
partners, postcode or place; kit without donor, storage place or tag; entries without topics
or notes), built through the services, and every page, export and API read that a planner,
an officer, a manager and an admin can reach answers without a server error."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events import permissions
from events.models import Event, KitItem, Officer, Partner, Team
from events.services.calendar import calendar_feed_get
from events.services.officers import officer_save
from events.services.photos import photo_add

from .api_support import now_event
from .factories import assign, book, log, make_event, make_kit, make_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def bare_officer(user=None, *, number) -> Officer:
    """An officer with nothing optional: no team, e-mail, phone or qualifications."""
    return officer_save(officer=Officer(user=user, name=f"Bare {number}", shoulder_number=number))


def a_photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 90, 40)).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def bare(db):
    """One of each object with its optional fields empty, and the people who look at them."""
    planner = make_user("bare-planner", permissions.PLANNER)
    bare_officer(planner, number="BP1")
    officer_user = make_user("bare-officer", permissions.OFFICER)
    officer = bare_officer(officer_user, number="BO1")
    teamless = bare_officer(number="BT1")  # no sign-in either
    manager = make_user("bare-manager", permissions.MANAGER)
    admin = make_user("bare-admin", permissions.ADMIN, is_staff=True, is_superuser=True)
    Team.objects.create(name="Team with nothing else")
    Partner.objects.create(name="Partner without contact", kind=Partner.Kind.CHARITY)

    # Under way (so entries can be logged and it counts as held), and no type, team, lead,
    # partners, topics, place, postcode, description or expected attendance.
    event = now_event(_bare_event, title="Bare event")
    future = _bare_event(
        title="Bare future event",
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=4),
        status=Event.Status.DRAFT,
    )
    assign(event, officer)
    assign(event, teamless)
    assign(future, teamless)
    unique = make_kit(name="Gazebo", tag="BARE-2", category=KitItem.Category.GAZEBO)
    unique_tagged = make_kit(name="Bare tractor", tag="BARE-1")
    leaflets = make_kit(
        name="Leaflets", consumable=True, quantity=100, category=KitItem.Category.LEAFLETS
    )
    book(event, unique_tagged)
    book(event, leaflets, quantity=10)
    book(future, unique)
    entry = log(event, officer)  # no topics, no notes, nothing counted
    log(event, teamless, visitors=3)
    photo = photo_add(event=event, upload=a_photo())  # no caption, no uploader
    return {
        "planner": planner,
        "officer": officer_user,
        "manager": manager,
        "admin": admin,
        "event": event,
        "future": future,
        "entry": entry,
        "kit": unique_tagged,
        "leaflets": leaflets,
        "teamless": teamless,
        "photo": photo,
    }


def _bare_event(**fields) -> Event:
    fields.setdefault("status", Event.Status.CONFIRMED)
    return make_event(**fields)


def pages(bare) -> list[str]:
    event, future, entry = bare["event"], bare["future"], bare["entry"]
    day = timezone.localdate()
    period = f"date_from={day.replace(day=1).isoformat()}&date_to={day.isoformat()}"
    window = [quote(moment.isoformat()) for moment in (event.starts_at, event.ends_at)]
    urls = [
        reverse("home"),
        f"{reverse('home')}?date_from={(day - dt.timedelta(days=1)).isoformat()}",
        reverse("my_events"),
        reverse("dashboard"),
        f"{reverse('dashboard')}?{period}",
        reverse("report_engagement_xlsx"),
        reverse("report_engagement_pdf"),
        f"{reverse('report_engagement_xlsx')}?{period}",
        f"{reverse('report_engagement_pdf')}?{period}",
        reverse("kit_list"),
        reverse("kit_create"),
        reverse("kit_availability"),
        reverse("officer_list"),
        reverse("calendar_month"),
        reverse("calendar_month", args=[day.year, day.month]),
        reverse("calendar_week"),
        reverse("calendar_week", args=[day.year, day.month, day.day]),
        reverse("calendar_feeds"),
        reverse("import_index"),
        reverse("event_create"),
        "/api/events",
        "/api/kit",
        f"/api/kit/availability?starts_at={window[0]}&ends_at={window[1]}",
        "/api/officers",
        "/api/teams",
        "/api/topics",
        "/api/event-types",
        "/api/partners",
        "/api/stats/summary",
        "/api/reports/engagement.xlsx",
        "/api/reports/engagement.pdf",
        f"/api/logs/{entry.pk}",
        f"/api/officers/{bare['teamless'].pk}",
        f"/api/kit/{bare['kit'].pk}",
        f"/api/kit/{bare['leaflets'].pk}",
        reverse("kit_edit", args=[bare["kit"].pk]),
        reverse("kit_edit", args=[bare["leaflets"].pk]),
        reverse("photo_file", args=[bare["photo"].pk]),
        reverse("photo_thumb", args=[bare["photo"].pk]),
        reverse("entry_edit", args=[event.pk, entry.pk]),
    ]
    for each in (event, future):
        urls += [
            reverse("event_detail", args=[each.pk]),
            reverse("event_staff", args=[each.pk]),
            reverse("event_kit", args=[each.pk]),
            reverse("event_edit", args=[each.pk]),
            reverse("event_copy", args=[each.pk]),
            reverse("event_cancel", args=[each.pk]),
            reverse("event_debrief", args=[each.pk]),
            reverse("capture", args=[each.pk]),
            reverse("capture_totals", args=[each.pk]),
            reverse("entry_list", args=[each.pk]),
            f"/api/events/{each.pk}",
            f"/api/events/{each.pk}/logs",
            f"/api/events/{each.pk}/assignments",
            f"/api/events/{each.pk}/kit-bookings",
            f"/api/events/{each.pk}/stats",
            f"/api/events/{each.pk}/debrief.pdf",
        ]
    return urls


def feeds(bare, user) -> list[str]:
    key = calendar_feed_get(user=user).key
    urls = [
        reverse("calendar_feed_mine", args=[key]),
        reverse("calendar_feed_kit", args=[key, bare["kit"].pk]),
    ]
    urls += [reverse("calendar_feed_team", args=[key, team.pk]) for team in Team.objects.all()]
    return urls


def admin_pages(bare) -> list[str]:
    urls = []
    for model, obj in (
        ("event", bare["event"]),
        ("officer", bare["teamless"]),
        ("kititem", bare["kit"]),
        ("kititem", bare["leaflets"]),
        ("engagementlog", bare["entry"]),
        ("eventphoto", bare["photo"]),
    ):
        urls += [
            reverse(f"admin:events_{model}_changelist"),
            reverse(f"admin:events_{model}_change", args=[obj.pk]),
        ]
    return urls


def read(response) -> None:
    """Read a response whole and close it (its files) the way the test client would, without
    the request_finished signal closing the test's database connection."""
    if response.streaming:
        b"".join(response.streaming_content)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["planner", "officer", "manager", "admin"])
def test_every_page_copes_with_empty_optional_fields(client, bare, role):
    user = bare[role]
    client.force_login(user)
    urls = pages(bare) + feeds(bare, user)
    if role == "admin":
        urls += admin_pages(bare)
    failures, refused = [], []
    for url in urls:
        try:
            response = client.get(url)
        except Exception as error:  # noqa: BLE001 - name every page that crashes, not the first
            failures.append(f"{url}: {type(error).__name__}: {error}")
            continue
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        elif response.status_code != 200:
            refused.append(url)
        read(response)
    assert not failures, "\n".join(failures)
    if role == "planner":
        # The planner may see every one of them: each was really rendered, not refused.
        assert not refused, refused


def test_the_staffing_page_lists_a_teamless_officer(client, bare):
    """The review's case: one active officer without a team made every staffing page 500."""
    client.force_login(bare["planner"])
    page = client.get(reverse("event_staff", args=[bare["event"].pk]))
    assert page.status_code == 200
    assert "Bare BT1" in page.content.decode()
