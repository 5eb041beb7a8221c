"""Leavers are anonymised and old notes cleared, and no figure changes."""

import datetime as dt
import io

from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import AuditEntry, EngagementLog, Officer, Unavailability
from events.reporting import stats
from events.services.staffing import assignment_add

from .api_support import now_event
from .factories import PASSWORD, log


def test_an_anonymised_leaver_leaves_no_name_contact_or_sign_in_but_every_figure(
    client, officer_user, planner, make_event, topic
):
    officer = officer_user.officer
    event = now_event(make_event, title="Redbourn County Show")
    client.force_login(planner)
    assignment_add(event=event, officer=officer)
    log(event, officer, visitors=12, signups=3, topics=[(topic, 4)])
    Unavailability.objects.create(
        officer=officer,
        kind="leave",
        starts_at=event.starts_at,
        ends_at=event.ends_at + dt.timedelta(days=1),
    )
    before = stats.event_summary(event)

    out = io.StringIO()
    call_command("anonymise_officer", officer.shoulder_number, stdout=out)

    officer.refresh_from_db()
    assert officer.name == f"Former officer {officer.pk}" and "Former officer" in out.getvalue()
    assert officer.email == officer.phone == "" and officer.user is None and not officer.active
    assert not officer.unavailability.exists()
    user = User.objects.get(pk=officer_user.pk)
    assert user.username.startswith("former-") and not user.is_active
    assert not user.has_usable_password() and not user.groups.exists()
    client.logout()
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(summary__contains="PC Officer").exists()
    assert stats.event_summary(event) == before
    assert EngagementLog.objects.get().officer == officer


def test_old_notes_are_cleared_after_the_retention_period_and_figures_stay(
    make_event, team, officer_user, settings
):
    officer = officer_user.officer
    event = make_event(
        starts_at=timezone.now() - dt.timedelta(days=800),
        ends_at=timezone.now() - dt.timedelta(days=799),
    )
    old = log(
        event,
        officer,
        visitors=5,
        notes="Mr Smith of Home Farm reported a quad theft",
        recorded_at=event.starts_at,
    )
    recent_event = now_event(make_event, title="Recent")
    recent = log(recent_event, officer, visitors=2, notes="Keep me")
    before = stats.event_summary(event)
    settings.NOTES_RETENTION_DAYS = 730
    out = io.StringIO()
    call_command("clear_old_notes", stdout=out)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.notes == "" and old.visitors == 5 and recent.notes == "Keep me"
    assert "1 entries" in out.getvalue()
    assert stats.event_summary(event) == before


def test_admins_anonymise_from_the_officer_list(client, admin_user, officer_user):
    client.force_login(admin_user)
    officer = Officer.objects.get(user=officer_user)
    client.post(
        reverse("admin:events_officer_changelist"),
        {"action": "anonymise_officers", "_selected_action": [officer.pk]},
    )
    officer.refresh_from_db()
    assert officer.name.startswith("Former officer")


def _whole_database() -> str:
    """Every row of every table, as text (so a search finds a value in any column)."""
    from django.apps import apps
    from django.core import serializers

    return "\n".join(
        serializers.serialize("json", model._base_manager.all(), ensure_ascii=False)
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    )


def test_a_phone_number_in_an_old_note_is_nowhere_in_the_database_after_the_retention(
    make_event, team, officer_user, planner, settings
):
    from events import audit

    phone = "07700 900461"
    officer = officer_user.officer
    event = make_event(
        starts_at=timezone.now() - dt.timedelta(days=800),
        ends_at=timezone.now() - dt.timedelta(days=799),
    )
    token = audit.acting_as(planner)
    try:
        entry = log(event, officer, visitors=5, notes="Ring Mr Smith", recorded_at=event.starts_at)
        entry.notes = f"Ring Mr Smith on {phone} about the quad"
        entry.save()
    finally:
        audit.stop_acting(token)
    assert phone in _whole_database()
    history = AuditEntry.objects.filter(model="engagementlog", object_id=str(entry.pk))
    before = list(history.order_by("id").values_list("id", "at", "actor_id", "action"))

    settings.NOTES_RETENTION_DAYS = 730
    call_command("clear_old_notes", stdout=io.StringIO())

    dump = _whole_database()
    assert phone not in dump and "Mr Smith" not in dump
    kept = list(history.order_by("id").values_list("id", "at", "actor_id", "action"))
    # The history still says the note was written, changed by the planner, then cleared.
    assert kept[: len(before)] == before and len(kept) == len(before) + 1
    assert all("notes" in change for change in history.values_list("changes", flat=True))
    assert history.filter(actor=planner).exists()


def test_an_anonymised_leavers_phone_and_name_are_nowhere_in_the_database(
    client, officer_user, planner, make_event
):
    from events.services.people import officer_anonymise

    officer = officer_user.officer
    officer.phone = "07700 900987"
    officer.email = "pc.officer@example.police.uk"
    officer.save()
    officer.phone = "07700 900988"
    officer.save()
    event = now_event(make_event, title="Redbourn County Show")
    assignment_add(event=event, officer=officer)
    assert "07700 900987" in _whole_database()

    officer_anonymise(officer=officer)

    dump = _whole_database()
    for text in ("07700 900987", "07700 900988", "pc.officer@example.police.uk", "PC Officer"):
        assert text not in dump, text
    assert AuditEntry.objects.filter(model="officer", object_id=str(officer.pk)).count() >= 3
