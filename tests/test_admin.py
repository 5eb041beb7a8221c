"""The admin site lists everything and refuses the same clashes as the planning screens."""

import pytest
from django.urls import reverse

from events.models import Assignment, KitBooking

from .factories import assign, at, book, make_kit, make_officer

MODELS = [
    "team",
    "qualification",
    "officer",
    "unavailability",
    "partner",
    "eventtype",
    "topiclist",
    "topic",
    "event",
    "assignment",
    "kititem",
    "kitbooking",
    "engagementlog",
    "exportrecord",
    "apitoken",
    "eventphoto",
    "auditentry",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_an_admin_list(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:events_{model}_changelist")).status_code == 200


def test_the_admin_refuses_a_double_booked_officer(client, admin_user, make_event, team):
    client.force_login(admin_user)
    show = make_event(starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17))
    fete = make_event(title="Fete", starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 15))
    pc = make_officer(team=team, name="Siân Llewelyn")
    assign(show, pc)
    response = client.post(
        reverse("admin:events_assignment_add"),
        {
            "event": fete.pk,
            "officer": pc.pk,
            "role": "support",
            "starts_at_0": "2027-07-04",
            "starts_at_1": "12:00",
            "ends_at_0": "2027-07-04",
            "ends_at_1": "15:00",
        },
    )
    assert response.status_code == 200
    assert "Siân Llewelyn is already on" in response.content.decode()
    assert Assignment.objects.filter(event=fete).count() == 0


def test_the_admin_refuses_a_double_booked_tractor(client, admin_user, make_event):
    client.force_login(admin_user)
    show = make_event(starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17))
    fete = make_event(title="Fete", starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 15))
    bobby = make_kit()
    book(show, bobby)
    response = client.post(
        reverse("admin:events_kitbooking_add"),
        {
            "event": fete.pk,
            "item": bobby.pk,
            "quantity": 1,
            "status": "reserved",
            "starts_at_0": "2027-07-04",
            "starts_at_1": "12:00",
            "ends_at_0": "2027-07-04",
            "ends_at_1": "15:00",
            "condition_on_return": "",
            "return_notes": "",
        },
    )
    assert response.status_code == 200
    assert "is already booked for" in response.content.decode()
    assert KitBooking.objects.filter(event=fete).count() == 0


def test_an_admin_restores_a_removed_entry(client, admin_user, make_event, team):
    from events.models import EngagementLog

    from .factories import log

    entry = log(make_event(), make_officer(team=team), visitors=4)
    EngagementLog.objects.filter(pk=entry.pk).update(removed_at=entry.recorded_at)
    client.force_login(admin_user)
    client.post(
        reverse("admin:events_engagementlog_changelist"),
        {"action": "restore_entries", "_selected_action": [entry.pk]},
    )
    entry.refresh_from_db()
    assert entry.removed_at is None
