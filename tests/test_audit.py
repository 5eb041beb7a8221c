"""Every change to events, assignments, bookings, kit, officers and entries is recorded: who,
when, before → after — through the web, the API, imports and the services' bulk writes alike."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import AuditEntry, Event, Qualification
from events.services.engagement import engagement_log_remove
from events.services.people import officer_anonymise

from .api_support import as_user, now_event
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
    client.post(reverse("event_cancel", args=[event.pk]))
    entries = {(e.model, tuple(sorted(e.changes))) for e in AuditEntry.objects.all()}
    assert ("assignment", ("released", "released_with_event")) in entries
    assert ("kitbooking", ("released_with_event", "status")) in entries
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
    event = now_event(make_event)
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
    client.post(reverse("event_cancel", args=[event.pk]))
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert "History" in page and "Confirmed → Cancelled" in page
    client.force_login(officer_user)
    assert "History" not in client.get(reverse("event_detail", args=[event.pk])).content.decode()


def test_an_officer_changed_over_the_api_is_recorded_with_their_qualifications(
    admin_user, officer_user
):
    officer = officer_user.officer
    towing = Qualification.objects.get_or_create(slug="towing", defaults={"name": "Towing"})[0]
    Qualification.objects.get_or_create(slug="first-aid", defaults={"name": "First aid"})
    officer.qualifications.add(towing)
    AuditEntry.objects.all().delete()
    response = as_user(admin_user).patch(
        f"/api/officers/{officer.pk}", {"phone": "07700 900999", "qualifications": ["first-aid"]}
    )
    assert response.status_code == 200, response.content
    entries = list(AuditEntry.objects.filter(model="officer").order_by("id"))
    assert [(e.action, e.actor, e.object_id) for e in entries] == [
        ("updated", admin_user, str(officer.pk)),
        ("updated", admin_user, str(officer.pk)),
    ]
    assert entries[0].changes == {"phone": ["07700 900000", "07700 900999"]}
    assert entries[1].changes == {"qualifications": [["towing"], ["first-aid"]]}


def test_an_officer_import_is_recorded_row_by_row(client, admin_user, team):
    make_officer(team=team, name="Tom Baines", number="R102")
    AuditEntry.objects.all().delete()
    client.force_login(admin_user)
    content = (
        "shoulder_number,name,rank,qualifications\n"
        "R101,Siân Llewelyn,Sergeant,towing\n"
        "R102,Tom Baines,PCSO,\n"
    ).encode()
    dry_run = client.post(
        reverse("import_upload", args=["officers"]),
        {"file": SimpleUploadedFile("officers.csv", content)},
    )
    client.post(reverse("import_confirm", args=["officers"]), {"token": dry_run.context["token"]})
    entries = {
        (e.summary, e.action): e.changes
        for e in AuditEntry.objects.filter(model="officer", actor=admin_user)
    }
    assert set(entries) == {
        ("Sergeant Siân Llewelyn (R101)", "created"),
        ("Sergeant Siân Llewelyn (R101)", "updated"),
        ("PCSO Tom Baines (R102)", "updated"),
    }
    assert entries["Sergeant Siân Llewelyn (R101)", "created"]["name"] == [None, "Siân Llewelyn"]
    assert entries["Sergeant Siân Llewelyn (R101)", "updated"] == {
        "qualifications": [[], ["towing"]]
    }
    assert entries["PCSO Tom Baines (R102)", "updated"] == {"rank": ["pc", "pcso"]}


def test_qualifications_changed_outside_the_services_are_recorded_too(officer_user):
    officer = officer_user.officer
    towing = Qualification.objects.get_or_create(slug="towing", defaults={"name": "Towing"})[0]
    AuditEntry.objects.all().delete()
    towing.officers.add(officer)  # as the admin's qualification page or a shell would
    officer.qualifications.clear()
    assert [e.changes for e in AuditEntry.objects.order_by("id")] == [
        {"qualifications": [[], ["towing"]]},
        {"qualifications": [["towing"], []]},
    ]


def test_anonymising_an_officer_leaves_no_name_or_contact_in_their_records_history(
    admin_user, officer_user
):
    officer = officer_user.officer
    as_user(admin_user).patch(f"/api/officers/{officer.pk}", {"phone": "07700 900999"})
    officer_anonymise(officer=officer)
    history = [(e.summary, e.changes) for e in AuditEntry.objects.filter(model="officer")]
    assert len(history) == 3  # created, changed, anonymised
    officer.refresh_from_db()
    assert {summary for summary, _changes in history} == {str(officer)}
    assert "PC Officer" not in repr(history) and "07700 900" not in repr(history)


def test_an_officer_changed_in_the_admin_is_recorded_once_with_their_qualifications(
    client, admin_user, officer_user
):
    officer = officer_user.officer
    towing = Qualification.objects.get_or_create(slug="towing", defaults={"name": "Towing"})[0]
    AuditEntry.objects.all().delete()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:events_officer_change", args=[officer.pk]),
        {
            "name": "PC Officer",
            "shoulder_number": officer.shoulder_number,
            "rank": "sergeant",
            "team": officer.team_id,
            "qualifications": [towing.pk],
            "active": "on",
            "email": officer.email,
            "phone": officer.phone,
            "user": officer_user.pk,
        },
    )
    assert response.status_code == 302, response.content
    entries = [(e.actor, e.changes) for e in AuditEntry.objects.filter(model="officer")]
    assert sorted(entries, key=repr) == sorted(
        [
            (admin_user, {"rank": ["pc", "sergeant"]}),
            (admin_user, {"qualifications": [[], ["towing"]]}),
        ],
        key=repr,
    )


def test_the_history_reads_as_people_write(client, planner, make_event, team, officer_user):
    """Labels, names and UK times; no ids, uids or ISO text (issue 14, item 4)."""
    from tests.factories import assign

    event = make_event(title="Redbourn County Show")
    assign(event, officer_user.officer)
    client.force_login(planner)
    client.post(reverse("event_cancel", args=[event.pk]))
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    history = page[page.index('id="history-h"') :]
    assert "<strong>Status</strong>: Confirmed → Cancelled" in history
    assert re.search(r"<strong>Officer</strong>: — → [^<]*PC Officer", history)  # not the id
    assert "<strong>Team</strong>: — → Rural Operational Support Team" in history
    assert "Event added" in history and "Assignment added" in history
    start = timezone.localtime(event.starts_at)
    assert f"{start:%a %-d %b %Y, %H:%M}" in history
    for raw in ("uid", "sequence", "created_by_id", "stand_code", "officer_id", "+00:00"):
        assert raw not in history, raw
    assert "<strong>Description</strong>: — → —" not in history  # nothing to nothing
