"""On the day: officers log taps at the stand; nothing is lost or counted twice."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events.models import EngagementLog, TopicMention
from events.services.engagement import engagement_log_add

from .factories import assign, at, log, make_officer


@pytest.fixture
def today_event(make_event):
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(hours=8)
    return make_event(
        title="Harpenden Farmers' Market",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=15, minutes=59),
    )


@pytest.fixture
def on_duty(officer_user, today_event):
    assign(today_event, officer_user.officer)
    return officer_user


def tap(client, event, action, ref=None, **extra):
    return client.post(
        reverse("capture", args=[event.pk]),
        {"action": action, "client_ref": str(ref or uuid.uuid4()), **extra},
    )


def test_an_assigned_officer_taps_visitors_topics_signups_and_notes(
    client, on_duty, today_event, topic
):
    client.force_login(on_duty)
    page = client.get(reverse("capture", args=[today_event.pk]))
    assert page.status_code == 200 and "+1 visitor" in page.content.decode()
    for action in ["visitor", "visitor", f"topic:{topic.slug}", "signup", "crime_report"]:
        assert tap(client, today_event, action).status_code == 302
    tap(client, today_event, "notes", notes="Asked about quad bike marking")
    entries = EngagementLog.objects.filter(event=today_event, officer=on_duty.officer)
    assert entries.count() == 6
    assert sum(e.visitors for e in entries) == 2
    assert sum(e.signups for e in entries) == 1 and sum(e.crime_reports for e in entries) == 1
    assert TopicMention.objects.get(log__event=today_event).topic == topic
    assert entries.filter(notes="Asked about quad bike marking").exists()


def test_the_same_form_sent_twice_counts_once(client, on_duty, today_event):
    client.force_login(on_duty)
    ref = uuid.uuid4()
    tap(client, today_event, "visitor", ref=ref)
    tap(client, today_event, "visitor", ref=ref)
    assert EngagementLog.objects.filter(client_ref=ref).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_copies_of_one_reference_store_one_entry(make_event, team):
    event = make_event(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=3),
    )
    officer = make_officer(team=team)
    ref = uuid.uuid4()
    barrier = threading.Barrier(4)
    results = []

    def send():
        try:
            barrier.wait()
            entry, created = engagement_log_add(
                event=event, officer=officer, visitors=1, client_ref=ref
            )
            results.append((entry.pk, created))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert EngagementLog.objects.filter(client_ref=ref).count() == 1
    assert len(results) == 4 and len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1


@pytest.mark.parametrize(
    ("action", "extra", "message"),
    [
        ("topic:no-such-topic", {}, "Unknown or retired topic"),
        ("notes", {"notes": "x" * 2001}, "under 2000 characters"),
        ("notes", {"notes": "bad\x00byte"}, "hidden control character"),
        ("dance", {}, "Unknown tap"),
    ],
)
def test_bad_taps_get_a_message_and_store_nothing(
    client, on_duty, today_event, action, extra, message
):
    client.force_login(on_duty)
    response = tap(client, today_event, action, **extra)
    page = client.get(response["Location"])
    assert message in page.content.decode()
    assert not EngagementLog.objects.exists()


def test_a_tap_without_a_valid_reference_is_refused(client, on_duty, today_event):
    client.force_login(on_duty)
    client.post(reverse("capture", args=[today_event.pk]), {"action": "visitor", "client_ref": "x"})
    assert not EngagementLog.objects.exists()


def test_an_officer_not_on_the_event_gets_404(client, other_officer_user, today_event, manager):
    client.force_login(other_officer_user)
    assert client.get(reverse("capture", args=[today_event.pk])).status_code == 404
    assert tap(client, today_event, "visitor").status_code == 404
    client.force_login(manager)
    assert client.get(reverse("capture", args=[today_event.pk])).status_code == 404
    assert not EngagementLog.objects.exists()


def test_running_totals_are_for_today_across_all_officers(
    client, on_duty, other_officer_user, today_event, topic
):
    assign(today_event, other_officer_user.officer)
    log(
        today_event,
        on_duty.officer,
        visitors=3,
        signups=1,
        topics=[(topic, 2)],
        recorded_at=timezone.now(),
    )
    log(today_event, other_officer_user.officer, visitors=4, recorded_at=timezone.now())
    EngagementLog.objects.create(
        event=today_event,
        officer=other_officer_user.officer,
        visitors=50,
        recorded_at=today_event.starts_at - dt.timedelta(hours=20),
    )  # another day (yesterday): stored before logging opened an hour before the shift
    log(
        today_event,
        other_officer_user.officer,
        visitors=9,
        recorded_at=timezone.now(),
        removed_at=timezone.now(),
    )  # removed
    client.force_login(on_duty)
    totals = client.get(reverse("capture_totals", args=[today_event.pk])).json()
    assert totals["visitors"] == 3 + 4
    assert totals["signups"] == 1
    assert totals["topics"] == [{"topic": topic.slug, "name": topic.name, "mentions": 2}]
    assert totals["mine"] == {"visitors": 3, "entries": 1}


def test_undo_removes_my_last_tap_only(client, on_duty, other_officer_user, today_event):
    assign(today_event, other_officer_user.officer)
    client.force_login(on_duty)
    tap(client, today_event, "visitor")
    tap(client, today_event, "signup")
    theirs = log(today_event, other_officer_user.officer, visitors=5)
    client.post(reverse("capture_undo", args=[today_event.pk]))
    mine = EngagementLog.objects.filter(officer=on_duty.officer)
    assert [e.signups for e in mine.current()] == [0]
    removed = mine.get(removed_at__isnull=False)
    assert removed.signups == 1 and removed.removed_by == on_duty  # recorded, not erased
    theirs.refresh_from_db()
    assert theirs.removed_at is None


def test_planned_and_actual_hours_are_both_kept(client, on_duty, today_event):
    client.force_login(on_duty)
    assignment = today_event.assignments.get()
    day = timezone.localtime(today_event.starts_at).date().isoformat()
    response = client.post(
        reverse("capture_hours", args=[today_event.pk]),
        {
            "actual_starts_at_0": day,
            "actual_starts_at_1": "08:15",
            "actual_ends_at_0": day,
            "actual_ends_at_1": "17:45",
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.actual_minutes == 9 * 60 + 30
    assert assignment.planned_minutes == 15 * 60 + 59
    refused = client.post(
        reverse("capture_hours", args=[today_event.pk]),
        {
            "actual_starts_at_0": day,
            "actual_starts_at_1": "17:00",
            "actual_ends_at_0": day,
            "actual_ends_at_1": "09:00",
        },
        follow=True,
    )
    assert "The finish must be after the start." in refused.content.decode()
    assignment.refresh_from_db()
    assert assignment.actual_minutes == 9 * 60 + 30


def test_actual_hours_over_the_october_clock_change_count_real_time(on_duty, make_event):
    from events.services.staffing import assignment_record_hours

    night = make_event(starts_at=at(2026, 10, 24, 22), ends_at=at(2026, 10, 25, 6))
    assignment = assign(night, on_duty.officer)
    assignment_record_hours(
        assignment=assignment,
        actual_starts_at=at(2026, 10, 25, 0, 30),
        actual_ends_at=at(2026, 10, 25, 3, 30),
    )
    assert assignment.actual_minutes == 240


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert b"outreach-capture" in response.content


def test_the_tally_says_today_only_today_and_otherwise_names_the_day(
    client, officer_user, make_event
):
    """An event that ended twelve days ago is not "Today at this event" (issue 14, item 3):
    the page shows its last day's figures under that day's date."""
    now = timezone.localtime()
    start = (now - dt.timedelta(days=14)).replace(hour=9, minute=0, second=0, microsecond=0)
    show = make_event(
        title="Redbourn County Show", starts_at=start, ends_at=start + dt.timedelta(days=2, hours=9)
    )
    assign(show, officer_user.officer)
    last_day = timezone.localtime(show.ends_at)
    log(show, officer_user.officer, visitors=6, recorded_at=show.ends_at - dt.timedelta(hours=1))
    client.force_login(officer_user)
    page = client.get(reverse("capture", args=[show.pk])).content.decode()
    assert "Today at this event" not in page
    assert f"On {last_day:%a %-d %b %Y} at this event, all officers" in page
    totals = client.get(reverse("capture_totals", args=[show.pk])).json()
    assert totals["today"] is False and totals["day"] == last_day.date().isoformat()
    assert totals["visitors"] == 6
    # A three-day show is shown with both dates, not as a one-day shift.
    first = timezone.localtime(show.starts_at)
    assert f"{first:%a %-d %b} 09:00 – {last_day:%a %-d %b} 18:00" in page


def test_today_at_this_event_while_it_runs(client, on_duty, today_event):
    client.force_login(on_duty)
    page = client.get(reverse("capture", args=[today_event.pk])).content.decode()
    assert "Today at this event, all officers" in page


def test_logging_is_offered_from_an_hour_before_the_shift_to_the_end_of_the_next_day(
    client, officer_user, make_event
):
    """Ten days before the show the buttons say when logging opens, and a tap is refused in
    words; once it has opened they work (issue 14, item 3)."""
    from .factories import soon

    show = make_event(title="Redbourn County Show", starts_at=soon(10, 9))
    assign(show, officer_user.officer)
    client.force_login(officer_user)
    opens = timezone.localtime(show.starts_at) - dt.timedelta(hours=1)
    page = client.get(reverse("capture", args=[show.pk])).content.decode()
    assert f"Logging opens {opens:%a %-d %b at %H:%M}." in page
    assert '<fieldset class="taps" disabled>' in page
    detail = client.get(reverse("event_detail", args=[show.pk])).content.decode()
    assert "Log engagement</a>" not in detail and "Logging opens" in detail
    refused = client.post(
        reverse("capture", args=[show.pk]),
        {"action": "visitor", "client_ref": str(uuid.uuid4())},
        follow=True,
    ).content.decode()
    assert "Logging on this event opens" in refused and "recorded_at" not in refused
    assert not EngagementLog.objects.filter(event=show).exists()


def test_logging_closes_at_the_end_of_the_day_after_the_event(client, officer_user, make_event):
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    past = make_event(
        title="Kimpton Fete",
        starts_at=start - dt.timedelta(days=3),
        ends_at=start - dt.timedelta(days=3, hours=-6),
    )
    assign(past, officer_user.officer)
    client.force_login(officer_user)
    page = client.get(reverse("capture", args=[past.pk])).content.decode()
    last = timezone.localtime(past.ends_at) + dt.timedelta(days=1)
    assert f"Logging closed at the end of {last:%a %-d %b}." in page
    # A tap made during the event and sent only now (offline) is still taken.
    from events.services.engagement import engagement_log_add

    entry, created = engagement_log_add(
        event=past,
        officer=officer_user.officer,
        visitors=2,
        recorded_at=past.starts_at + dt.timedelta(hours=1),
    )
    assert created and entry.visitors == 2
