"""Personal data: anonymising officers who leave, and clearing old free-text notes.

Figures never change: assignments, hours and engagement counts stay, only who and what was
written are removed.
"""

import datetime as dt
import json

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ..audit import audited_update
from ..models import AuditEntry, EngagementLog, Officer

PERSONAL_FIELDS = {"name", "shoulder_number", "email", "phone", "user_id"}
REMOVED = "(removed)"


def _replace_in(value, olds: list[str], new: str):
    """``value`` (a JSON value from ``AuditEntry.changes``) with every ``olds`` text replaced."""
    if isinstance(value, str):
        for old in olds:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace_in(item, olds, new) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in(item, olds, new) for key, item in value.items()}
    return value


def _audit_scrub(olds, new: str) -> None:
    """Replace the texts ``olds`` wherever they stand in the audit trail's summaries and
    recorded changes; the entries themselves (what changed, by whom, when) stay."""
    olds = sorted({old for old in olds if old}, key=len, reverse=True)
    if not olds:
        return
    text = Cast("changes", TextField())
    found = Q()
    for old in olds:
        # The stored JSON may spell non-ASCII text as \u escapes (SQLite) or as itself.
        for spelled in {old, json.dumps(old)[1:-1]}:
            found |= Q(changes_text__contains=spelled)
        found |= Q(summary__contains=old)
    for entry in AuditEntry.objects.annotate(changes_text=text).filter(found):
        entry.summary = _replace_in(entry.summary, olds, new)
        entry.changes = _replace_in(entry.changes, olds, new)
        entry.save(update_fields=["summary", "changes"])


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
    _audit_scrub(old_names, label)
    # The history of their officer record held the old name and contact details as well.
    for entry in AuditEntry.objects.filter(model="officer", object_id=str(officer.pk)):
        entry.summary = str(officer)[:200]
        entry.changes = {
            name: [REMOVED, REMOVED] if name in PERSONAL_FIELDS else values
            for name, values in entry.changes.items()
        }
        entry.save(update_fields=["summary", "changes"])
    return officer


@transaction.atomic
def notes_clear_older_than(*, days: int, now: dt.datetime | None = None) -> int:
    """Clear the free-text notes of engagement entries recorded more than ``days`` ago, in
    the entries and in their audit trail (which keeps that the note changed, by whom, when)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = EngagementLog.objects.filter(recorded_at__lt=cutoff).exclude(notes="")
    ids = [str(pk) for pk in old.values_list("pk", flat=True)]
    cleared = audited_update(old, notes="")
    history = AuditEntry.objects.filter(model=EngagementLog._meta.model_name, object_id__in=ids)
    for entry in list(history):
        if entry.changes.get("notes"):
            entry.changes["notes"] = [REMOVED if text else text for text in entry.changes["notes"]]
            entry.save(update_fields=["changes"])
    return cleared
