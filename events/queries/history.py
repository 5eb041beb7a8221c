"""An event's history as people read it: field labels instead of column names, names instead
of ids, UK times instead of ISO text, and internal fields (identifiers, counters) left out."""

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.utils import timezone

from ..models import AuditEntry, Event
from ..time import LONDON

# Bookkeeping nobody acts on: identities, counters and timestamps the system keeps.
HIDDEN = {"id", "uid", "sequence", "stand_code", "created_at", "updated_at", "client_ref"}
ACTIONS = {"created": "added", "updated": "changed", "deleted": "removed"}
EMPTY = "—"


def _model(name: str):
    try:
        return apps.get_model("events", name)
    except LookupError:
        return None


def _fields(model) -> dict:
    return {field.attname: field for field in model._meta.concrete_fields} if model else {}


def _moment(text: str) -> str:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_naive(value):
        return f"{value:%a %-d %b %Y}" if len(text) == 10 else text
    return f"{value.astimezone(LONDON):%a %-d %b %Y, %H:%M}"


def _names(entries) -> dict:
    """{(model, pk): name} for every object a change points at, read once per model."""
    wanted = defaultdict(set)
    for entry in entries:
        fields = _fields(_model(entry.model))
        for attname, pair in entry.changes.items():
            field = fields.get(attname)
            if field is not None and field.is_relation:
                wanted[field.related_model].update(v for v in pair if v not in (None, ""))
    return {
        (model, pk): str(obj)
        for model, ids in wanted.items()
        for pk, obj in model._default_manager.in_bulk(list(ids)).items()
    }


def _value(field, value, names) -> str:
    if value in (None, "") or field is None:
        return EMPTY if value in (None, "") else str(value)
    if field.is_relation:
        return names.get((field.related_model, value), f"(removed, was {value})")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and field.get_internal_type() in ("DateTimeField", "DateField"):
        return _moment(value)
    return str(value)


def event_history(*, event: Event, limit: int = 100) -> list[dict]:
    """The audit trail of an event and everything on it, newest first, readable."""
    entries = list(AuditEntry.objects.filter(event_id=event.pk).order_by("-at", "-id")[:limit])
    names = _names(entries)
    rows = []
    for entry in entries:
        model = _model(entry.model)
        fields = _fields(model)
        changes = []
        for attname, (before, after) in entry.changes.items():
            if attname in HIDDEN:
                continue
            field = fields.get(attname)
            label = str(field.verbose_name).capitalize() if field else attname
            shown = (_value(field, before, names), _value(field, after, names))
            if shown[0] != shown[1]:  # None and "" both read as nothing
                changes.append((label, *shown))
        what = str(model._meta.verbose_name).capitalize() if model else entry.model
        rows.append(
            {
                "at": entry.at,
                "who": entry.actor_name or "system",
                "what": f"{what} {ACTIONS.get(entry.action, entry.action)}",
                "summary": entry.summary,
                "changes": changes,
            }
        )
    return rows
