"""A visitor scans the stand code: the public page, in a real browser, passes axe's checks
(with the CSP every page carries) and its links are big enough to tap."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from events.models import Event, StandHit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("over", [False, True], ids=["on", "over"])
def test_the_stand_page_passes_axe_and_has_big_links(live_server, page, make_event, over):
    now = timezone.now()
    event = make_event(
        title="Redbourn County Show",
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=6),
        status=Event.Status.CANCELLED if over else Event.Status.CONFIRMED,
    )
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/s/{event.stand_code}")
    assert page.get_by_role("heading", name="Redbourn County Show").is_visible()
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    for name in ("Get community messages", "Report rural crime"):
        box = page.get_by_role("link", name=name).bounding_box()
        assert box["height"] >= 48 and box["width"] >= 280, (name, box)
    assert StandHit.objects.filter(event=event, kind="scan").count() == 1


def test_the_unknown_code_page_passes_axe(live_server, page):
    page.goto(f"{live_server.url}/s/ZZZZZZZZZZ")
    assert page.get_by_role("heading", name="Code not found").is_visible()
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["help"]) for v in violations]
