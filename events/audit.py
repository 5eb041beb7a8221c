"""The audit trail: every change to events, assignments, kit bookings, kit items and engagement
entries is recorded with who, when and each field's before → after.

One mechanism: model signals record every ``save()`` and ``delete()``; the services' bulk
writes go through ``audited_update`` so they are recorded too. Who is acting comes from a
context variable that the web middleware and the API's authentication set.
"""

import contextvars
import datetime as dt
import decimal
import uuid

from django.db.models.expressions import Combinable
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from .models import Assignment, AuditEntry, EngagementLog, Event, KitBooking, KitItem

AUDITED = (Event, Assignment, KitBooking, KitItem, EngagementLog)
SKIP_FIELDS = {"updated_at", "created_at"}
_acting = contextvars.ContextVar("outreach_acting", default=None)


def acting_as(source):
    """Record changes from here on as made by ``source``: a user, or a request whose user
    (session) or ``auth`` (API token) is read when a change is recorded. Returns a token
    for ``stop_acting``."""
    return _acting.set(source)


def stop_acting(token) -> None:
    _acting.reset(token)


def current_actor():
    source = _acting.get()
    if source is None:
        return None
    for candidate in (getattr(source, "auth", None), getattr(source, "user", None), source):
        if getattr(candidate, "is_authenticated", False) and hasattr(candidate, "get_username"):
            return candidate
    return None


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def snapshot(instance) -> dict:
    return {
        f.attname: _plain(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.attname not in SKIP_FIELDS
    }


def _event_id(instance):
    if isinstance(instance, Event):
        return instance.pk
    return getattr(instance, "event_id", None)


def record(instance, action: str, before: dict | None, after: dict | None) -> AuditEntry | None:
    before, after = before or {}, after or {}
    changes = {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }
    if action == "updated" and not changes:
        return None
    actor = current_actor()
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action=action,
        model=instance._meta.model_name,
        object_id=str(instance.pk),
        event_id=_event_id(instance),
        summary=str(instance)[:200],
        changes=changes,
    )


def audited_update(queryset, **fields) -> int:
    """``queryset.update(**fields)``, with an audit entry for every row it changes."""
    rows = list(queryset)
    for row in rows:
        before = snapshot(row)
        for name, value in fields.items():
            setattr(row, name, value)
        record(row, "updated", before, snapshot(row))
    return queryset.model.objects.filter(pk__in=[r.pk for r in rows]).update(**fields)


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    old = sender.objects.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old else None


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    if any(isinstance(getattr(instance, f.attname), Combinable) for f in sender._meta.fields):
        instance.refresh_from_db()  # e.g. sequence = F("sequence") + 1: record the result
    record(instance, "created" if created else "updated", before, snapshot(instance))


def _after_delete(sender, instance, **kwargs):
    record(instance, "deleted", snapshot(instance), None)


def connect() -> None:
    for model in AUDITED:
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"audit-pre-{model.__name__}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"audit-post-{model.__name__}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"audit-del-{model.__name__}")
