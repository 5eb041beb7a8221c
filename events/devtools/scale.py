"""A force-wide data set for benchmarks: ``seed_demo --scale N``.

Each unit of scale adds 100 officers and, over the last five years, 5,000 events with
20,000 assignments and 50,000 engagement entries (with topic mentions). Rows are made
with bulk inserts; no two assignments of one officer overlap.
"""

import datetime as dt
import random
import uuid

from django.db import transaction

from ..models import (
    Assignment,
    EngagementLog,
    Event,
    EventType,
    Officer,
    Team,
    Topic,
    TopicMention,
)
from ..time import LONDON
from .demo import VILLAGES

EVENTS_PER_UNIT = 5000
OFFICERS_PER_UNIT = 100
OFFICERS_PER_EVENT = 4
LOGS_PER_EVENT = 10
BATCH = 5000


@transaction.atomic
def build_scale(units: int, *, today: dt.date, seed: int = 5) -> dict[str, int]:
    rng = random.Random(seed)
    teams = list(Team.objects.all()) or [Team.objects.create(name="Force-wide team")]
    types = list(EventType.objects.all())
    topics = list(Topic.objects.filter(active=True))
    start_number = Officer.objects.count()
    officers = Officer.objects.bulk_create(
        [
            Officer(
                name=f"Officer {start_number + i:05d}",
                shoulder_number=f"S{start_number + i:05d}",
                team=teams[i % len(teams)],
            )
            for i in range(units * OFFICERS_PER_UNIT)
        ],
        batch_size=BATCH,
    )
    total_events = units * EVENTS_PER_UNIT
    first_day = today - dt.timedelta(days=5 * 365)
    per_day = total_events / (5 * 365)
    events = []
    for i in range(total_events):
        day = first_day + dt.timedelta(days=int(i / per_day))
        hour = 9 + (i % 8)
        village, postcode = VILLAGES[i % len(VILLAGES)]
        start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
        events.append(
            Event(
                title=f"{village} outreach #{i}",
                event_type=types[i % len(types)],
                team=teams[i % len(teams)],
                status=Event.Status.COMPLETED if day < today else Event.Status.CONFIRMED,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=rng.choice([2, 3, 4])),
                location=village,
                postcode=f"{postcode}ZZ",
            )
        )
    Event.objects.bulk_create(events, batch_size=BATCH)

    # Officers rotate through the pool by the event's position in its day, so no officer
    # is on two events of the same day (and so never on two overlapping windows).
    assignments, index_in_day, last_day = [], 0, None
    for event in events:
        day = event.starts_at.date()
        index_in_day = index_in_day + 1 if day == last_day else 0
        last_day = day
        base = (index_in_day * OFFICERS_PER_EVENT + day.toordinal()) % len(officers)
        for n in range(OFFICERS_PER_EVENT):
            assignments.append(
                Assignment(
                    event=event,
                    officer=officers[(base + n) % len(officers)],
                    role=Assignment.Role.LEAD if n == 0 else Assignment.Role.SUPPORT,
                    starts_at=event.starts_at,
                    ends_at=event.ends_at,
                    actual_minutes=int((event.ends_at - event.starts_at).total_seconds() // 60),
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)

    logs, picks = [], []
    for n, event in enumerate(events):
        span = (event.ends_at - event.starts_at) / LOGS_PER_EVENT
        for k in range(LOGS_PER_EVENT):
            assignment = assignments[n * OFFICERS_PER_EVENT + k % OFFICERS_PER_EVENT]
            visitors = rng.randint(0, 12)
            logs.append(
                EngagementLog(
                    event=event,
                    officer=assignment.officer,
                    recorded_at=event.starts_at + span * k,
                    visitors=visitors,
                    signups=visitors // 4,
                    crime_reports=1 if k == 0 and n % 40 == 0 else 0,
                    client_ref=uuid.UUID(int=rng.getrandbits(128)),
                )
            )
            picks.append(topics[rng.randrange(len(topics))])
    EngagementLog.objects.bulk_create(logs, batch_size=BATCH)
    TopicMention.objects.bulk_create(
        [
            TopicMention(log=log, topic=topic, count=1 + (i % 3 == 0))
            for i, (log, topic) in enumerate(zip(logs, picks, strict=True))
        ],
        batch_size=BATCH,
    )
    return {
        "officers": len(officers),
        "events": len(events),
        "assignments": len(assignments),
        "logs": len(logs),
    }
