"""Engagement entries: append-only facts logged at the stand, stored once however often sent."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import validators
from ..models import EngagementLog, Event, Officer, Topic, TopicMention
from ..time import local, local_date, local_midnight
from .windows import check_aware

MAX_COUNT = 100_000
MAX_NOTES = 2000
COUNT_FIELDS = ("visitors", "signups", "crime_reports")


def clean_text(value: str, *, field: str, limit: int) -> str:
    """Free text for ``field``: at most ``limit`` characters, under the one text rule."""
    value = value or ""
    if len(value) > limit:
        raise ValidationError({field: f"Keep it under {limit} characters."})
    try:
        return validators.clean_text(value, label=validators.label_of(field), multiline=True)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def recorded_time(event: Event, recorded_at: dt.datetime | None) -> dt.datetime:
    """When an entry may say it was recorded, the same for a new entry and a corrected one:
    not in the future (an hour's grace for a phone's clock), not before the day before the
    event began. ``None`` means now."""
    check_aware(recorded_at=recorded_at)
    now = timezone.now()
    if recorded_at is None:
        return now
    if recorded_at > now + dt.timedelta(hours=1):
        raise ValidationError({"recorded_at": "That time is in the future."})
    if recorded_at < event.starts_at - dt.timedelta(days=1):
        raise ValidationError({"recorded_at": "That time is before the event began."})
    return recorded_at


def logging_window(event: Event, officer: Officer | None = None) -> tuple[dt.datetime, dt.datetime]:
    """When engagement may be logged on an event: from an hour before the officer's first
    shift on it (before the event's start for anyone else) until the end of the day after
    the event, in UK time. The capture page offers its buttons only then; a new entry
    recorded outside it is refused in words."""
    start = event.starts_at
    if officer is not None:
        first = (
            event.assignments.filter(officer=officer, released=False)
            .order_by("starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )
        start = first or start
    closes = local_midnight(local_date(event.ends_at) + dt.timedelta(days=2))
    return start - dt.timedelta(hours=1), closes


def check_logging_window(event: Event, officer: Officer | None, recorded_at: dt.datetime) -> None:
    opens, closes = logging_window(event, officer)
    if recorded_at < opens:
        raise ValidationError(
            f"Logging on this event opens {local(opens):%a %-d %b at %H:%M}, an hour before "
            "the shift."
        )
    if recorded_at >= closes:
        last = local_date(closes - dt.timedelta(days=1))
        raise ValidationError(
            f"Logging on this event closed at the end of {last:%a %-d %b}, the day after "
            "it. Ask a planner to add anything missed."
        )


def logging_state(event, officer) -> dict:
    """Whether taps are taken now, and if not, when they were or will be (the capture page and
    the event page say so instead of offering buttons that would be refused)."""
    opens, closes = logging_window(event, officer)
    now = timezone.now()
    if now < opens:
        return {"open": False, "message": f"Logging opens {local(opens):%a %-d %b at %H:%M}."}
    if now >= closes:
        last = local(closes - dt.timedelta(days=1))
        return {"open": False, "message": f"Logging closed at the end of {last:%a %-d %b}."}
    return {"open": True, "message": ""}


def _check_counts(values: dict) -> None:
    for field in COUNT_FIELDS:
        if field in values:
            value = values[field]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError({field: "Give a whole number."})
            if not 0 <= value <= MAX_COUNT:
                raise ValidationError({field: f"Give a number from 0 to {MAX_COUNT:,}."})


def _resolve_topics(topics) -> list[tuple[Topic, int]]:
    """[(slug or Topic, count)] → [(Topic, total count)], refusing unknown or inactive topics."""
    counted: dict[str, int] = {}
    for topic, count in topics:
        slug = topic.slug if isinstance(topic, Topic) else topic
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            raise ValidationError({"topics": f"Each topic count must be from 1 to {MAX_COUNT:,}."})
        counted[slug] = counted.get(slug, 0) + count
    found = {t.slug: t for t in Topic.objects.filter(slug__in=counted, active=True)}
    missing = sorted(set(counted) - set(found))
    if missing:
        raise ValidationError({"topics": f"Unknown or retired topic: {', '.join(missing)}."})
    return [(found[slug], count) for slug, count in counted.items()]


def _existing(client_ref, officer: Officer, event: Event) -> EngagementLog:
    existing = EngagementLog.objects.get(client_ref=client_ref)
    if existing.officer_id != officer.pk or existing.event_id != event.pk:
        raise ValidationError({"client_ref": "This reference belongs to another entry."})
    return existing


def engagement_log_add(
    *,
    event: Event,
    officer: Officer,
    user=None,
    visitors: int = 0,
    signups: int = 0,
    crime_reports: int = 0,
    notes: str = "",
    topics=(),
    recorded_at: dt.datetime | None = None,
    client_ref: uuid.UUID | None = None,
) -> tuple[EngagementLog, bool]:
    """Store one entry; a repeated ``client_ref`` returns the stored entry, not a second one.

    Returns ``(entry, created)``. Two copies arriving at the same moment store one row:
    the unique reference decides, and the loser gets the winner's entry.
    """
    if event.is_cancelled:
        raise ValidationError("This event is cancelled: nothing can be logged on it.")
    _check_counts({"visitors": visitors, "signups": signups, "crime_reports": crime_reports})
    notes = clean_text(notes, field="notes", limit=MAX_NOTES)
    recorded_at = recorded_time(event, recorded_at)
    resolved = _resolve_topics(topics)
    if client_ref is not None and EngagementLog.objects.filter(client_ref=client_ref).exists():
        return _existing(client_ref, officer, event), False  # a tap sent again: always its entry
    check_logging_window(event, officer, recorded_at)
    try:
        with transaction.atomic():
            entry = EngagementLog.objects.create(
                event=event,
                officer=officer,
                visitors=visitors,
                signups=signups,
                crime_reports=crime_reports,
                notes=notes,
                recorded_at=recorded_at,
                client_ref=client_ref,
                created_by=user if user and user.is_authenticated else None,
            )
            TopicMention.objects.bulk_create(
                [TopicMention(log=entry, topic=t, count=c) for t, c in resolved]
            )
    except IntegrityError:
        if client_ref is None:
            raise
        return _existing(client_ref, officer, event), False
    return entry, True


@transaction.atomic
def engagement_log_update(*, log: EngagementLog, topics=None, **changes) -> EngagementLog:
    """Correct an entry's counts, notes, time or topics, under the rules that hold for a new
    entry (the permission check is the caller's)."""
    allowed = set(COUNT_FIELDS) | {"notes", "recorded_at"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if log.removed_at:
        raise ValidationError("This entry was removed; an admin can restore it.")
    _check_counts(changes)
    if "notes" in changes:
        changes["notes"] = clean_text(changes["notes"], field="notes", limit=MAX_NOTES)
    if "recorded_at" in changes:
        changes["recorded_at"] = recorded_time(log.event, changes["recorded_at"])
    for name, value in changes.items():
        setattr(log, name, value)
    log.save()
    if topics is not None:
        resolved = _resolve_topics(topics)
        log.mentions.all().delete()
        TopicMention.objects.bulk_create(
            [TopicMention(log=log, topic=t, count=c) for t, c in resolved]
        )
    return log


@transaction.atomic
def engagement_log_remove(*, log: EngagementLog, user) -> EngagementLog:
    """Removal is recorded, never erased: the entry stops counting and can be restored."""
    if log.removed_at is None:
        log.removed_at = timezone.now()
        log.removed_by = user if user and user.is_authenticated else None
        log.save(update_fields=["removed_at", "removed_by"])
    return log


@transaction.atomic
def engagement_log_restore(*, log: EngagementLog) -> EngagementLog:
    log.removed_at = None
    log.removed_by = None
    log.save(update_fields=["removed_at", "removed_by"])
    return log
