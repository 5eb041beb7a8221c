"""The one-page event debrief: its content, one page always, and who may have it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from events.models import Event, ExportRecord, Partner
from events.reporting import exports as reports
from events.reporting.exports import debrief
from events.services.events import event_cancel

from .factories import assign, at, book, log, make_kit, make_officer


def read(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def render(event) -> tuple[PdfReader, str]:
    stream = io.BytesIO()
    debrief.write_debrief(stream, event, generated_at=at(2024, 7, 8, 9))
    return read(stream.getvalue())


@pytest.fixture
def show(make_event, team, topic):
    last_year = make_event(
        title="Redbourn County Show",
        starts_at=at(2023, 7, 6, 9),
        ends_at=at(2023, 7, 6, 17),
        status=Event.Status.COMPLETED,
    )
    gwyn = make_officer(team=team, name="Gwyn ap Ŵyn")
    assign(last_year, gwyn)
    log(last_year, gwyn, visitors=50, signups=5)
    event = make_event(
        title="Redbourn County Show",
        starts_at=at(2024, 7, 5, 9),
        ends_at=at(2024, 7, 6, 17),
        location="Redbourn Showground",
        postcode="AL3 7PT",
        status=Event.Status.COMPLETED,
    )
    event.partners.add(Partner.objects.create(name="Redbourn Agricultural Society", kind="charity"))
    chloe = make_officer(team=team, name="Chloé Martin")
    assign(event, gwyn, role="lead", starts_at=at(2024, 7, 5, 9), ends_at=at(2024, 7, 5, 17))
    assign(
        event, chloe, starts_at=at(2024, 7, 6, 9), ends_at=at(2024, 7, 6, 17), actual_minutes=450
    )
    book(event, make_kit())
    log(event, gwyn, visitors=30, signups=6, topics=[(topic, 4)], recorded_at=at(2024, 7, 5, 10))
    log(event, gwyn, visitors=20, recorded_at=at(2024, 7, 5, 14, 30), notes="Tractor drew a crowd")
    log(event, chloe, visitors=25, crime_reports=2, recorded_at=at(2024, 7, 6, 11))
    return event


def test_the_debrief_tells_the_story_of_the_event(show, topic):
    reader, text = render(show)
    assert len(reader.pages) == 1
    for expected in (
        "OFFICIAL",
        "Page 1 of 1",
        "Redbourn County Show",
        "Fri 5 Jul 2024 09:00 – Sat 6 Jul 2024 17:00",
        "Redbourn Showground AL3 7PT",
        "Redbourn Agricultural Society",
        "Visitors engaged 75",  # 30 + 20 + 25
        "Messaging sign-ups 6",
        "Crime reports taken 2",
        "Officer-hours planned 16.00",  # two 8-hour shifts
        "Officer-hours recorded 7.50",  # Chloé's 450 minutes
        "Officer-hours (recorded, else planned) 15.50",  # 8 planned + 7.5 recorded
        f"{topic.name} 4 100.0%",
        "Gwyn ap Ŵyn Lead 8.00 –",
        "Chloé Martin Support 8.00 7.50",
        "Mini police tractor 'Bobby' MPT-01 1",
        "Tractor drew a crowd",
        "Fri 5 Jul",  # visitors by day
        "10:00",  # visitors by hour
    ):
        assert expected in text, expected


def test_it_compares_with_the_same_event_last_time(show):
    _, text = render(show)
    assert "Compared with last time" in text
    # 75 visitors against 50 last July: +50 %; sign-ups 6 against 5: +20 %.
    assert "Visitors 75 50 +50%" in text
    assert "Sign-ups 6 5 +20%" in text
    assert "Jul 2023" in text


def test_an_event_with_no_logs_still_gets_its_page(make_event, team):
    event = make_event(title="Quiet fete", starts_at=at(2024, 7, 5, 9))
    reader, text = render(event)
    assert len(reader.pages) == 1
    assert "Visitors engaged 0" in text
    assert "No entries logged." in text
    assert "No topics recorded." in text
    assert "No notes were recorded." in text
    assert "No earlier occurrence of this event." in text
    assert "Nobody was assigned." in text and "No kit was booked." in text


def test_a_crowded_event_still_fits_one_page(make_event, team):
    event = make_event(title="Big show", starts_at=at(2024, 7, 5, 8), ends_at=at(2024, 7, 7, 20))
    for n in range(30):
        officer = make_officer(team=team, name=f"Officer {n}")
        assign(event, officer)
        log(
            event,
            officer,
            visitors=n,
            notes="A long note. " * 60,
            recorded_at=at(2024, 7, 5, 8 + n % 12),
        )
    for n in range(15):
        book(event, make_kit(name=f"Gazebo {n}", tag=f"G-{n}", category="gazebo"))
    reader, text = render(event)
    assert len(reader.pages) == 1
    assert "and 18 more" in text  # 30 officers, 12 listed
    assert "and 5 more" in text  # 15 items, 10 listed


@pytest.mark.parametrize(
    "text", ["0.1 <A <0.9", "J&C", "<b>x</b>", '<img src="http://example.com/x.png">']
)
def test_hostile_text_is_printed_as_typed(make_event, team, text):
    event = make_event(title=text, location=text, starts_at=at(2024, 7, 5, 9))
    officer = make_officer(team=team, name=text)
    assign(event, officer)
    log(event, officer, visitors=1, notes=text)
    _, content = render(event)
    assert content.count(text) >= 4  # title, where, who, notes


# -- Who may have it ------------------------------------------------------------------------
@pytest.fixture
def own_event(show, officer_user):
    assign(show, officer_user.officer, starts_at=at(2024, 7, 6, 12), ends_at=at(2024, 7, 6, 13))
    return show


def url(event):
    return reverse("event_debrief", args=[event.pk])


def fetch(client, address):
    """The response with its file read to the end (the test client then closes it)."""
    response = client.get(address)
    response.body = b"".join(response.streaming_content) if response.streaming else b""
    return response


@pytest.mark.parametrize("persona", ["planner", "manager", "admin_user", "officer_user"])
def test_stats_readers_and_the_officers_on_it_get_the_debrief(client, own_event, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = fetch(client, url(own_event))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "debrief-redbourn-county-show-2024-07-05.pdf" in response["Content-Disposition"]
    reader, text = read(response.body)
    assert len(reader.pages) == 1 and "Visitors engaged 75" in text


def test_an_officer_gets_404_for_an_event_they_are_not_on(client, show, other_officer_user):
    client.force_login(other_officer_user)
    assert client.get(url(show)).status_code == 404
    assert not ExportRecord.objects.exists()


def test_an_officer_gets_404_once_the_event_is_cancelled(client, own_event, officer_user):
    event_cancel(event=own_event)
    client.force_login(officer_user)
    assert client.get(url(own_event)).status_code == 404


def test_a_missing_event_is_404(client, manager):
    client.force_login(manager)
    assert client.get(reverse("event_debrief", args=[999999])).status_code == 404


def test_signing_in_is_required(client, show):
    response = client.get(url(show))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(client, show, outsider):
    client.force_login(outsider)
    assert client.get(url(show)).status_code == 403


def test_each_debrief_is_in_the_export_log(client, show, manager):
    client.force_login(manager)
    fetch(client, url(show))
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.filters, record.rows) == (
        manager,
        "debrief.pdf",
        {"event": show.pk},
        3,
    )


def test_the_service_refuses_those_who_may_not_see_it(show, other_officer_user):
    with pytest.raises(reports.PermissionDenied):
        reports.export_debrief(user=other_officer_user, event=show, stream=io.BytesIO())


def test_the_event_page_links_to_the_debrief_for_those_who_may_have_it(
    client, own_event, officer_user, other_officer_user, manager
):
    page = reverse("event_detail", args=[own_event.pk])
    for user, shown in ((officer_user, True), (manager, True), (other_officer_user, False)):
        client.force_login(user)
        html = client.get(page).content.decode()
        assert (url(own_event) in html) is shown, user


def test_a_long_officer_name_wraps_in_its_column(make_event, team):
    """Whole, on two lines, and never over the role beside it (issue 14, item 6)."""
    event = make_event(title="Show", starts_at=at(2024, 7, 5, 8), ends_at=at(2024, 7, 5, 18))
    name = "Detective Chief Inspector Bartholomew Featherstonehaugh-Cholmondeley-Wykeham"
    assign(event, make_officer(team=team, name=name))
    reader, text = render(event)
    assert len(reader.pages) == 1
    who = text[text.index("Who (") : text.index("Kit ")]
    assert "Detective Chief Inspector Bartholomew" in who and "Cholmondeley-Wykeham" in who
    assert "…" not in who  # whole, not cut
