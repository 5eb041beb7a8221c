"""Engagement entries over the API: logged as yourself, stored once however often sent,
corrected or removed by their owner (or a planner), invisible to other officers."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from events.models import EngagementLog, Topic
from events.services.events import event_cancel

from .api_support import as_user, now_event
from .factories import assign, log


@pytest.fixture
def event(make_event, officer_user):
    event = now_event(make_event, title="Redbourn County Show")
    assign(event, officer_user.officer)
    return event


@pytest.fixture
def api(officer_user):
    return as_user(officer_user)


def test_an_officer_logs_a_tally_as_themselves(api, event, officer_user, topic):
    body = {
        "visitors": 12,
        "topics": [{"topic": topic.slug, "count": 3}],
        "signups": 2,
        "crime_reports": 1,
        "notes": "Lots of questions about hare coursing.\nAsk for more leaflets.",
    }
    response = api.post(f"/api/events/{event.pk}/logs", body)
    assert response.status_code == 201, response.content
    out = response.json()
    for field, value in body.items():
        assert out[field] == value, field
    assert out["officer_id"] == officer_user.officer.pk
    entry = EngagementLog.objects.get()
    assert (entry.officer, entry.created_by, entry.visitors) == (
        officer_user.officer,
        officer_user,
        12,
    )
    assert abs(entry.recorded_at - timezone.now()) < dt.timedelta(seconds=5)


def test_an_officer_may_log_at_the_end_of_the_day(api, make_event, officer_user):
    start = timezone.now() - dt.timedelta(hours=10)
    finished = make_event(starts_at=start, ends_at=start + dt.timedelta(hours=8))
    assign(finished, officer_user.officer)
    response = api.post(
        f"/api/events/{finished.pk}/logs",
        {"visitors": 80, "recorded_at": (start + dt.timedelta(hours=4)).isoformat()},
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "body,field",
    [
        ({"officer_id": 1}, "officer_id"),
        ({"id": 1}, "id"),
        ({"event_id": 1}, "event_id"),
        ({"created_by": 1}, "created_by"),
        ({"removed_at": None}, "removed_at"),
    ],
)
def test_mass_assignment_is_refused(api, event, other_officer_user, body, field):
    body = {"visitors": 1, **body}
    if "officer_id" in body:
        body["officer_id"] = other_officer_user.officer.pk
    response = api.post(f"/api/events/{event.pk}/logs", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": field, "message": "Unknown field: it is not accepted here."}
    ]
    assert not EngagementLog.objects.exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"visitors": -1}, "visitors"),
        ({"visitors": 100_001}, "visitors"),
        ({"visitors": 10**30}, "visitors"),
        ({"visitors": "12"}, "visitors"),
        ({"visitors": 1.5}, "visitors"),
        ({"visitors": True}, "visitors"),
        ({"signups": -3}, "signups"),
        ({"crime_reports": 100_001}, "crime_reports"),
        ({"topics": [{"topic": "no-such-topic", "count": 1}]}, "topics"),
        ({"topics": [{"topic": "{topic}", "count": 0}]}, "topics.0.count"),
        ({"topics": [{"topic": "{topic}", "count": 1, "officer": 2}]}, "topics.0.officer"),
        ({"topics": "fly-tipping"}, "topics"),
        ({"notes": "x" * 2001}, "notes"),
        ({"notes": "bad\x00byte"}, "notes"),
        ({"notes": "bell\x07"}, "notes"),
        ({"notes": "\ud800"}, "notes"),
        ({"recorded_at": "2026-07-04T10:00:00"}, "recorded_at"),
        ({"recorded_at": "yesterday"}, "recorded_at"),
        ({"client_ref": "not-a-uuid"}, "client_ref"),
    ],
)
def test_bad_entries_are_refused_naming_the_field(api, event, topic, body, field):
    if "topics" in body and isinstance(body["topics"], list):
        body["topics"] = [
            {**m, "topic": topic.slug if m["topic"] == "{topic}" else m["topic"]}
            for m in body["topics"]
        ]
    response = api.post(f"/api/events/{event.pk}/logs", body)
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not EngagementLog.objects.exists()


def test_a_time_in_the_future_is_refused(api, event):
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = api.post(f"/api/events/{event.pk}/logs", {"visitors": 1, "recorded_at": future})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "recorded_at"


def test_a_retired_topic_is_refused(api, event, topic):
    Topic.objects.filter(pk=topic.pk).update(active=False)
    response = api.post(
        f"/api/events/{event.pk}/logs", {"topics": [{"topic": topic.slug, "count": 1}]}
    )
    assert response.status_code == 422


def test_a_repeated_client_ref_answers_200_with_the_stored_entry(api, event):
    ref = str(uuid.uuid4())
    first = api.post(f"/api/events/{event.pk}/logs", {"visitors": 5, "client_ref": ref})
    again = api.post(f"/api/events/{event.pk}/logs", {"visitors": 99, "client_ref": ref})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again.json()["client_ref"] == ref
    assert EngagementLog.objects.get().visitors == 5


def test_the_idempotency_key_header_works_like_client_ref(api, event):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post(f"/api/events/{event.pk}/logs", {"visitors": 5}, headers=key)
    again = api.post(f"/api/events/{event.pk}/logs", {"visitors": 5}, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert EngagementLog.objects.count() == 1
    assert first.json()["client_ref"] == key["Idempotency-Key"]


def test_a_header_and_body_that_disagree_are_refused(api, event):
    response = api.post(
        f"/api/events/{event.pk}/logs",
        {"visitors": 5, "client_ref": str(uuid.uuid4())},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 422
    assert not EngagementLog.objects.exists()


def test_a_malformed_idempotency_key_is_refused(api, event):
    response = api.post(
        f"/api/events/{event.pk}/logs", {"visitors": 5}, headers={"Idempotency-Key": "tally-1"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_another_officers_reference_is_not_theirs_to_reuse(event, officer_user, other_officer_user):
    assign(event, other_officer_user.officer)
    ref = str(uuid.uuid4())
    assert (
        as_user(officer_user).post(f"/api/events/{event.pk}/logs", {"client_ref": ref}).status_code
        == 201
    )
    response = as_user(other_officer_user).post(f"/api/events/{event.pk}/logs", {"client_ref": ref})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "client_ref"
    assert EngagementLog.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_copies_sent_at_once_store_one_entry(make_event, officer_user):
    event = now_event(make_event)
    assign(event, officer_user.officer)
    api = as_user(officer_user)
    api.get("/api/teams")  # record the token's first use before the race
    body = {"visitors": 7, "client_ref": str(uuid.uuid4())}
    start = threading.Barrier(2)
    statuses = []

    def send():
        try:
            start.wait()
            statuses.append(api.post(f"/api/events/{event.pk}/logs", body).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201]
    assert EngagementLog.objects.count() == 1


def test_nothing_can_be_logged_on_a_cancelled_event(planner, event):
    event_cancel(event=event)
    response = as_user(planner).post(f"/api/events/{event.pk}/logs", {"visitors": 1})
    assert response.status_code == 422
    assert "cancelled" in response.json()["detail"]


def test_a_removed_entry_disappears_from_lists_and_reads(api, event, officer_user):
    entry = log(event, officer_user.officer, visitors=5)
    assert api.delete(f"/api/logs/{entry.pk}").status_code == 204
    entry.refresh_from_db()
    assert entry.removed_at is not None and entry.removed_by == officer_user
    assert api.get(f"/api/events/{event.pk}/logs").json()["count"] == 0
    assert api.get(f"/api/logs/{entry.pk}").status_code == 404
    assert api.delete(f"/api/logs/{entry.pk}").status_code == 204  # already gone: still fine
    assert api.patch(f"/api/logs/{entry.pk}", {"visitors": 3}).status_code == 422


def test_an_officer_corrects_their_own_entry(api, event, officer_user, topic):
    entry = log(event, officer_user.officer, visitors=5)
    response = api.patch(
        f"/api/logs/{entry.pk}", {"visitors": 6, "topics": [{"topic": topic.slug, "count": 2}]}
    )
    assert response.status_code == 200
    assert response.json()["visitors"] == 6
    assert response.json()["topics"] == [{"topic": topic.slug, "count": 2}]
    entry.refresh_from_db()
    assert entry.visitors == 6


@pytest.mark.parametrize(
    "body",
    [
        {"officer_id": 2},
        {"event_id": 3},
        {"visitors": None},
        {"visitors": -1},
        {"client_ref": str(uuid.uuid4())},
    ],
)
def test_a_correction_is_as_strict_as_an_entry(api, event, officer_user, body):
    entry = log(event, officer_user.officer, visitors=5)
    assert api.patch(f"/api/logs/{entry.pk}", body).status_code == 422
    entry.refresh_from_db()
    assert entry.visitors == 5


def test_a_planner_corrects_anyones_entry_and_a_manager_nobodys(
    planner, manager, event, officer_user
):
    entry = log(event, officer_user.officer, visitors=5)
    assert as_user(planner).patch(f"/api/logs/{entry.pk}", {"visitors": 4}).status_code == 200
    assert as_user(manager).patch(f"/api/logs/{entry.pk}", {"visitors": 3}).status_code == 403
    entry.refresh_from_db()
    assert entry.visitors == 4
