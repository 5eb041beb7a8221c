"""Calendar-feed keys: the secret in every feed URL a user subscribes to."""

import secrets

from django.db import IntegrityError, transaction

from ..models import CalendarFeed


def _new_key() -> str:
    return secrets.token_urlsafe(32)  # 43 URL-safe characters, 256 bits


def calendar_feed_get(*, user) -> CalendarFeed:
    """The user's feed key, created on first use (safe to call twice at once)."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user, key=_new_key())
    except IntegrityError:
        # Another request created it a moment ago.
        return CalendarFeed.objects.get(user=user)


@transaction.atomic
def calendar_feed_reset(*, user) -> CalendarFeed:
    """Give the user a new key: every feed URL they had stops working (404) at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"key": _new_key()}
    )
    if not created:
        feed.key = _new_key()
        feed.save(update_fields=["key", "created_at"])
    return feed
