"""Builders for tests: officers, kit, events' staffing and kit, engagement entries."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.models import (
    Assignment,
    EngagementLog,
    Event,
    KitBooking,
    KitItem,
    Officer,
    TopicMention,
)

LONDON = ZoneInfo("Europe/London")

PASSWORD = "correct-horse-battery"


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    """An aware Europe/London datetime, as users enter them."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def soon(days=30, hour=9) -> dt.datetime:
    """09:00 local, a month from now: upcoming whenever the suite runs."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return at(day.year, day.month, day.day, hour)


def make_user(username: str, role: str | None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


def make_officer(user=None, *, team=None, name=None, number=None) -> Officer:
    count = Officer.objects.count()
    return Officer.objects.create(
        user=user,
        name=name or (user.username.title() if user else f"Officer {count}"),
        shoulder_number=number or f"X{1000 + count}",
        team=team,
        email=f"officer{count}@example.police.uk",
        phone="07700 900000",
    )


def assign(event: Event, officer: Officer, **fields) -> Assignment:
    fields.setdefault("starts_at", event.starts_at)
    fields.setdefault("ends_at", event.ends_at)
    return Assignment.objects.create(event=event, officer=officer, **fields)


def make_kit(name="Mini police tractor 'Bobby'", tag="MPT-01", **fields) -> KitItem:
    fields.setdefault("category", KitItem.Category.MINI_TRACTOR)
    return KitItem.objects.create(name=name, asset_tag=tag, **fields)


def book(event: Event, item: KitItem, **fields) -> KitBooking:
    fields.setdefault("starts_at", event.starts_at)
    fields.setdefault("ends_at", event.ends_at)
    fields.setdefault("exclusive", not item.consumable)
    return KitBooking.objects.create(event=event, item=item, **fields)


def log(event: Event, officer: Officer, *, topics=(), **fields) -> EngagementLog:
    fields.setdefault("recorded_at", event.starts_at + dt.timedelta(hours=1))
    entry = EngagementLog.objects.create(event=event, officer=officer, **fields)
    for topic, count in topics:
        TopicMention.objects.create(log=entry, topic=topic, count=count)
    return entry
