"""Personal data: anonymising officers who leave, and clearing old free-text notes.

Figures never change: assignments, hours and engagement counts stay, only who and what was
written are removed.
"""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ..audit import audited_update
from ..models import AuditEntry, EngagementLog, Officer

PERSONAL_FIELDS = {"name", "shoulder_number", "email", "phone", "user_id"}


@transaction.atomic
def officer_anonymise(*, officer: Officer) -> Officer:
    """Replace a leaver's name, number, contact details and sign-in; keep their figures."""
    officer = (
        Officer.objects.select_for_update(of=("self",)).select_related("user").get(pk=officer.pk)
    )
    label = f"Former officer {officer.pk}"
    old_names = {officer.name, officer.shoulder_number}
    user = officer.user
    if user is not None:
        old_names |= {user.get_username(), user.get_full_name(), user.email} - {""}
        user.username = f"former-{officer.pk}-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.password = make_password(None)
        user.is_active = False
        user.is_staff = user.is_superuser = False
        user.save()
        user.groups.clear()
    officer.name = label
    officer.shoulder_number = f"ANON-{officer.pk}"
    officer.email = officer.phone = ""
    officer.active = False
    officer.user = None
    officer.save()
    officer.qualifications.clear()
    officer.unavailability.all().delete()
    # Their name also stands in audit summaries and as the actor of changes they made.
    for entry in AuditEntry.objects.filter(actor_name__in=old_names):
        entry.actor_name = label
        entry.save(update_fields=["actor_name"])
    for old in sorted(old_names, key=len, reverse=True):
        for entry in AuditEntry.objects.filter(summary__contains=old):
            entry.summary = entry.summary.replace(old, label)
            entry.save(update_fields=["summary"])
    # The history of their officer record held the old name and contact details as well.
    for entry in AuditEntry.objects.filter(model="officer", object_id=str(officer.pk)):
        entry.summary = str(officer)[:200]
        entry.changes = {
            name: ["(removed)", "(removed)"] if name in PERSONAL_FIELDS else values
            for name, values in entry.changes.items()
        }
        entry.save(update_fields=["summary", "changes"])
    return officer


@transaction.atomic
def notes_clear_older_than(*, days: int, now: dt.datetime | None = None) -> int:
    """Clear the free-text notes of engagement entries recorded more than ``days`` ago."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = EngagementLog.objects.filter(recorded_at__lt=cutoff).exclude(notes="")
    return audited_update(old, notes="")
