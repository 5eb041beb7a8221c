"""The audit trail: every change to events, assignments, kit bookings, kit items, officers and
engagement entries is recorded with who, when and each field's before → after.

One mechanism: model signals record every ``save()`` and ``delete()``; the services' bulk
writes go through ``audited_update`` so they are recorded too. An officer's qualifications
(a many-to-many set) are recorded as a ``qualifications`` change on the officer, whoever
changes them; ``qualifications_change`` makes a whole replacement one entry. Who is acting
comes from a context variable that the web middleware and the API's authentication set.
"""

import contextlib
import contextvars
import datetime as dt
import decimal
import uuid

from django.db.models.expressions import Combinable
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from .models import Assignment, AuditEntry, EngagementLog, Event, KitBooking, KitItem, Officer

AUDITED = (Event, Assignment, KitBooking, KitItem, EngagementLog, Officer)
SKIP_FIELDS = {"updated_at", "created_at"}
_acting = contextvars.ContextVar("outreach_acting", default=None)
_grouped = contextvars.ContextVar("outreach_grouped_qualifications", default=frozenset())


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


# ---- qualifications ---------------------------------------------------------------------


def _qualifications(officer_ids) -> dict[int, list[str]]:
    held = {pk: [] for pk in officer_ids}
    rows = Officer.qualifications.through.objects.filter(officer_id__in=held)
    for officer_id, slug in rows.values_list("officer_id", "qualification__slug"):
        held[officer_id].append(slug)
    return {pk: sorted(slugs) for pk, slugs in held.items()}


def _record_qualifications(officer: Officer, before: list[str], after: list[str]) -> None:
    record(officer, "updated", {"qualifications": before}, {"qualifications": after})


@contextlib.contextmanager
def qualifications_change(officer: Officer):
    """Record the qualifications ``officer`` holds after the block as one change, however
    many adds and removes the block makes (``set()`` is a remove and an add)."""
    before = _qualifications([officer.pk])[officer.pk]
    token = _grouped.set(_grouped.get() | {officer.pk})
    try:
        yield
    finally:
        _grouped.reset(token)
    after = _qualifications([officer.pk])[officer.pk]
    if before != after:
        _record_qualifications(officer, before, after)


def _officers_touched(instance, reverse: bool, pk_set) -> list[int]:
    if not reverse:
        return [instance.pk]
    if pk_set is None:  # clearing a qualification from everyone who holds it
        return list(instance.officers.values_list("pk", flat=True))
    return sorted(pk_set)


def _qualifications_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Changes made outside ``qualifications_change`` (the admin's form, a shell)."""
    if action.startswith("pre_"):
        ids = [
            pk for pk in _officers_touched(instance, reverse, pk_set) if pk not in _grouped.get()
        ]
        instance._audit_qualifications = _qualifications(ids)
        return
    before = getattr(instance, "_audit_qualifications", None)
    if not before:
        return
    instance._audit_qualifications = None
    after = _qualifications(before)
    for officer in Officer.objects.filter(pk__in=[pk for pk in before if before[pk] != after[pk]]):
        _record_qualifications(officer, before[officer.pk], after[officer.pk])


def connect() -> None:
    for model in AUDITED:
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"audit-pre-{model.__name__}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"audit-post-{model.__name__}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"audit-del-{model.__name__}")
    m2m_changed.connect(
        _qualifications_changed,
        sender=Officer.qualifications.through,
        dispatch_uid="audit-officer-qualifications",
    )
