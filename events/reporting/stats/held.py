"""What *held* means, said once: every figure counts held events only.

An event counts as **held** once it has started and is neither a draft nor cancelled
(confirmed or completed, with its start at or before now). Events, visitors, officers,
officer-hours, sign-ups, crime reports, topics, kit utilisation and every rate count held
events only, so the planned hours of an event still to come never enter a rate, and
extending a period into the future changes nothing until those events start.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ...models import Event

HELD_STATUSES = (Event.Status.CONFIRMED, Event.Status.COMPLETED)


def held_q(prefix: str = "", *, now: dt.datetime | None = None) -> Q:
    """The condition "held", on events reached through ``prefix`` (e.g. ``"event__"``)."""
    return Q(
        **{
            f"{prefix}status__in": HELD_STATUSES,
            f"{prefix}starts_at__lte": now or timezone.now(),
        }
    )


def is_held(event: Event, *, now: dt.datetime | None = None) -> bool:
    return event.status in HELD_STATUSES and event.starts_at <= (now or timezone.now())
