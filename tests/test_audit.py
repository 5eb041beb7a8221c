"""Every change to events, assignments, bookings, kit and entries is recorded: who, when,
before → after — through the web, the API and the services' bulk writes alike."""

from django.urls import reverse

from events.models import AuditEntry, Event
from events.services.engagement import engagement_log_remove

from .factories import PASSWORD, assign, book, log, make_kit, make_officer

FORM = {
    "title": "Kimpton Village Fete",
    "starts_at_0": "2027-06-12",
    "starts_at_1": "11:00",
    "ends_at_0": "2027-06-12",
    "ends_at_1": "16:00",
}


def test_a_web_change_is_recorded_with_who_and_before_after(client, planner):
    client.force_login(planner)
    client.post(reverse("event_create"), FORM)
    event = Event.objects.get()
    client.post(reverse("event_edit", args=[event.pk]), {**FORM, "title": "Kimpton Fete"})
    created, updated = AuditEntry.objects.filter(model="event").order_by("at", "id")
    assert (created.action, created.actor, created.actor_name) == ("created", planner, "planner")
    assert updated.action == "updated" and updated.event_id == event.pk
    assert updated.changes["title"] == ["Kimpton Village Fete", "Kimpton Fete"]
    assert updated.changes["sequence"] == [0, 1]


def test_cancelling_records_each_released_officer_and_kit_booking(
    client, planner, make_event, team
):
    event = make_event()
    assign(event, make_officer(team=team))
    book(event, make_kit())
    AuditEntry.objects.all().delete()
    client.force_login(planner)
    client.post(reverse("event_status", args=[event.pk]), {"status": "cancelled"})
    entries = {(e.model, tuple(sorted(e.changes))) for e in AuditEntry.objects.all()}
    assert ("assignment", ("released",)) in entries
    assert ("kitbooking", ("status",)) in entries
    assert ("event", ("sequence", "status")) in entries
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {planner.pk}


def test_api_changes_record_the_token_holder(client, planner, make_event):
    event = make_event(title="Old")
    token = client.post(
        reverse("api:token_create"),
        {"username": "planner", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    response = client.patch(
        f"/api/events/{event.pk}",
        {"title": "New"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(model="event", action="updated").get()
    assert entry.actor == planner and entry.changes["title"] == ["Old", "New"]


def test_removing_an_entry_is_recorded_and_the_history_survives_erasing(
    make_event, team, officer_user
):
    event = make_event()
    entry = log(event, officer_user.officer, visitors=3)
    engagement_log_remove(log=entry, user=officer_user)
    removed = AuditEntry.objects.get(model="engagementlog", action="updated")
    assert removed.changes["removed_at"][0] is None and removed.changes["removed_at"][1]
    draft = make_event(title="Mistake")
    draft_id = draft.pk
    draft.delete()
    assert AuditEntry.objects.filter(event_id=draft_id, action="deleted").exists()


def test_planners_see_the_event_history_and_officers_do_not(
    client, planner, officer_user, make_event
):
    event = make_event(title="Redbourn County Show")
    client.force_login(planner)
    client.post(reverse("event_status", args=[event.pk]), {"status": "cancelled"})
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert "History" in page and "confirmed → cancelled" in page
    client.force_login(officer_user)
    assert "History" not in client.get(reverse("event_detail", args=[event.pk])).content.decode()
