"""Officers correct or remove their own entries; planners any; removal is recorded."""

from django.urls import reverse

from events.models import EngagementLog

from .api_support import now_event
from .factories import assign, log


def test_an_officer_corrects_and_removes_their_own_entry(client, officer_user, make_event):
    event = now_event(make_event)
    assign(event, officer_user.officer)
    entry = log(event, officer_user.officer, visitors=3, notes="typo")
    client.force_login(officer_user)
    assert "typo" in client.get(reverse("entry_list", args=[event.pk])).content.decode()
    response = client.post(
        reverse("entry_edit", args=[event.pk, entry.pk]),
        {"visitors": 30, "signups": 2, "crime_reports": 0, "notes": "fixed"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.visitors, entry.signups, entry.notes) == (30, 2, "fixed")
    client.post(reverse("entry_remove", args=[event.pk, entry.pk]))
    entry.refresh_from_db()
    assert entry.removed_at is not None and entry.removed_by == officer_user
    assert EngagementLog.objects.current().count() == 0 and EngagementLog.objects.count() == 1


def test_an_officer_gets_404_for_another_officers_entry(
    client, officer_user, other_officer_user, make_event
):
    event = now_event(make_event)
    theirs = log(event, other_officer_user.officer, visitors=5, notes="private note")
    client.force_login(officer_user)
    assert "private note" not in client.get(reverse("entry_list", args=[event.pk])).content.decode()
    assert client.get(reverse("entry_edit", args=[event.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("entry_remove", args=[event.pk, theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.removed_at is None and theirs.visitors == 5


def test_a_planner_corrects_anyones_entry_and_managers_cannot(
    client, planner, manager, officer_user, make_event
):
    event = now_event(make_event)
    entry = log(event, officer_user.officer, visitors=3)
    client.force_login(manager)
    assert client.get(reverse("entry_edit", args=[event.pk, entry.pk])).status_code == 403
    client.force_login(planner)
    client.post(
        reverse("entry_edit", args=[event.pk, entry.pk]),
        {"visitors": 4, "signups": 0, "crime_reports": 0, "notes": ""},
    )
    entry.refresh_from_db()
    assert entry.visitors == 4


def test_a_bad_correction_is_a_form_error(client, officer_user, make_event):
    event = now_event(make_event)
    entry = log(event, officer_user.officer, visitors=3)
    client.force_login(officer_user)
    response = client.post(
        reverse("entry_edit", args=[event.pk, entry.pk]),
        {"visitors": -1, "signups": "lots", "crime_reports": 0, "notes": ""},
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    entry.refresh_from_db()
    assert entry.visitors == 3


def test_a_correction_follows_the_text_rule_of_every_form(client, officer_user, make_event):
    event = now_event(make_event)
    entry = log(event, officer_user.officer, visitors=3, notes="typo")
    client.force_login(officer_user)
    url = reverse("entry_edit", args=[event.pk, entry.pk])
    counts = {"visitors": 3, "signups": 0, "crime_reports": 0}
    refused = client.post(url, {**counts, "notes": "bell\x07here"})
    assert refused.context["form"].errors["notes"] == [
        "Notes contains a hidden control character (at position 5), usually left by copying "
        "from another program. Delete it, or type that part again."
    ]
    client.post(url, {**counts, "notes": "Farm Watch\x0bsign-ups at the gate"})
    entry.refresh_from_db()
    assert entry.notes == "Farm Watch\nsign-ups at the gate"


def test_a_long_list_of_entries_is_paged_with_thousands_separators(
    client, officer_user, make_event
):
    event = now_event(make_event, title="Redbourn County Show")
    assign(event, officer_user.officer)
    log(event, officer_user.officer, visitors=1234)
    EngagementLog.objects.bulk_create(
        EngagementLog(
            event=event, officer=officer_user.officer, recorded_at=event.starts_at, visitors=1
        )
        for _ in range(60)
    )
    client.force_login(officer_user)
    first = client.get(reverse("entry_list", args=[event.pk])).content.decode()
    assert first.count('<tr><td data-label="When">') == 50 and "Entries 1 to 50 of 61" in first
    assert "1,234" in first and 'rel="next"' in first
    last = client.get(reverse("entry_list", args=[event.pk]), {"page": "99"}).content.decode()
    assert last.count('<tr><td data-label="When">') == 11 and 'rel="prev"' in last
    assert client.get(reverse("entry_list", args=[event.pk]), {"page": "x"}).status_code == 200


def test_on_a_phone_each_entry_is_a_card(client, officer_user, make_event):
    event = now_event(make_event, title="Redbourn County Show")
    assign(event, officer_user.officer)
    log(event, officer_user.officer, visitors=3)
    client.force_login(officer_user)
    html = client.get(reverse("entry_list", args=[event.pk])).content.decode()
    assert 'class="table table-stack"' in html
    for label in ("When", "Officer", "Visitors", "Topics", "Notes"):
        assert f'data-label="{label}"' in html
