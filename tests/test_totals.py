"""The running totals per event (kept by database triggers) always equal what their rows add
up to, whatever writes the rows: services, plain ORM calls, bulk writes, concurrent posts.

Every step is checked two ways: against the arithmetic written in the test, and against a
fresh count of the rows (``drifted_events()`` is empty). Runs on SQLite and PostgreSQL.
"""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import F

from events.models import (
    Assignment,
    EngagementLog,
    Event,
    EventTopicTotals,
    EventTotals,
    Topic,
    TopicMention,
)
from events.reporting import stats
from events.services.engagement import (
    engagement_log_add,
    engagement_log_remove,
    engagement_log_restore,
    engagement_log_update,
)
from events.services.events import event_cancel
from events.services.staffing import assignment_add, assignment_record_hours, assignment_remove
from events.totals import drifted_events, recount

from .factories import at, log, make_officer


def totals(event: Event) -> dict:
    row = EventTotals.objects.filter(event=event).values().first() or {}
    return {key: value for key, value in row.items() if key != "event_id"}


def mentions(event: Event) -> dict[str, int]:
    rows = EventTopicTotals.objects.filter(event=event, mentions__gt=0)
    return {row.topic.slug: row.mentions for row in rows.select_related("topic")}


@pytest.fixture
def fly_tipping(db):
    return Topic.objects.get(slug="fly-tipping")


@pytest.fixture
def fete(make_event):
    # 10:00 to 14:00 on a summer Saturday (British Summer Time).
    return make_event(
        title="Wheathampstead Fete", starts_at=at(2024, 7, 6, 10), ends_at=at(2024, 7, 6, 14)
    )


def test_totals_follow_the_services_step_by_step(fete, team, topic, fly_tipping, officer_user):
    rhys = officer_user.officer
    sian = make_officer(team=team, name="Siân")
    first, _ = engagement_log_add(
        event=fete,
        officer=rhys,
        visitors=7,
        signups=2,
        topics=[(topic, 3)],
        recorded_at=fete.starts_at,
    )
    second, _ = engagement_log_add(
        event=fete,
        officer=sian,
        visitors=5,
        crime_reports=1,
        topics=[(topic, 1), (fly_tipping, 2)],
        recorded_at=fete.starts_at,
    )
    assert totals(fete) | {} == {
        "visitors": 7 + 5,
        "signups": 2,
        "crime_reports": 1,
        "entries": 2,
        "officers": 0,
        "planned_seconds": 0.0,
        "actual_seconds": 0.0,
        "worked_seconds": 0.0,
    }
    assert mentions(fete) == {topic.slug: 3 + 1, "fly-tipping": 2}
    assert drifted_events() == set()

    # A correction replaces the counts and the topics.
    engagement_log_update(log=second, visitors=6, topics=[(fly_tipping, 4)])
    assert totals(fete)["visitors"] == 7 + 6
    assert mentions(fete) == {topic.slug: 3, "fly-tipping": 4}

    # Removal stops an entry counting, topics and all; restoring brings it back.
    engagement_log_remove(log=first, user=officer_user)
    assert (totals(fete)["visitors"], totals(fete)["entries"]) == (6, 1)
    assert mentions(fete) == {"fly-tipping": 4}
    assert drifted_events() == set()
    engagement_log_restore(log=first)
    assert (totals(fete)["visitors"], totals(fete)["entries"]) == (13, 2)
    assert mentions(fete) == {topic.slug: 3, "fly-tipping": 4}

    # Hours: two officers planned for the whole event, one records 4 h 30.
    on_duty = assignment_add(event=fete, officer=rhys)
    assignment_add(event=fete, officer=sian, ends_at=at(2024, 7, 6, 12))
    assert totals(fete)["officers"] == 2
    assert totals(fete)["planned_seconds"] == pytest.approx((4 + 2) * 3600)
    assert totals(fete)["worked_seconds"] == pytest.approx((4 + 2) * 3600)
    assignment_record_hours(
        assignment=on_duty,
        actual_starts_at=at(2024, 7, 6, 9, 30),
        actual_ends_at=at(2024, 7, 6, 14),
    )
    assert totals(fete)["actual_seconds"] == pytest.approx(4.5 * 3600)
    assert totals(fete)["worked_seconds"] == pytest.approx((4.5 + 2) * 3600)
    assert drifted_events() == set()

    # Taken off: Rhys logged entries, so his assignment is released (kept as history).
    assignment_remove(assignment=on_duty)
    assert Assignment.objects.filter(pk=on_duty.pk, released=True).exists()
    assert totals(fete)["officers"] == 1
    assert totals(fete)["planned_seconds"] == pytest.approx(2 * 3600)
    assert totals(fete)["actual_seconds"] == 0

    # Cancelling releases everyone.
    event_cancel(event=fete)
    assert totals(fete)["officers"] == 0
    assert totals(fete)["worked_seconds"] == pytest.approx(0)
    assert drifted_events() == set()


def test_hours_over_the_night_the_clocks_go_back_count_the_extra_hour(make_event, team):
    # 27 October 2024: 00:00 to 04:00 on the clock is five hours (01:00-02:00 twice).
    night = make_event(
        title="Night patrol briefing",
        starts_at=dt.datetime(2024, 10, 27, 0, tzinfo=dt.UTC) - dt.timedelta(hours=1),
        ends_at=dt.datetime(2024, 10, 27, 4, tzinfo=dt.UTC),
    )
    assignment_add(event=night, officer=make_officer(team=team, name="Owain"))
    assert totals(night)["planned_seconds"] == pytest.approx(5 * 3600)


def test_totals_follow_writes_that_go_around_the_services(
    fete, make_event, team, topic, fly_tipping
):
    """Admin edits, bulk imports and plain updates are counted too: the database keeps them."""
    owain = make_officer(team=team, name="Owain")
    show = make_event(title="County show", starts_at=at(2024, 7, 13, 9))
    entries = EngagementLog.objects.bulk_create(
        EngagementLog(event=fete, officer=owain, visitors=n, recorded_at=fete.starts_at)
        for n in (1, 2, 3, 4)
    )
    TopicMention.objects.bulk_create(
        TopicMention(log=entry, topic=topic, count=entry.visitors) for entry in entries
    )
    assert totals(fete)["visitors"] == 1 + 2 + 3 + 4
    assert mentions(fete) == {topic.slug: 10}

    EngagementLog.objects.filter(event=fete).update(visitors=F("visitors") * 10)
    assert totals(fete)["visitors"] == 100
    TopicMention.objects.filter(log=entries[0]).update(topic=fly_tipping, count=6)
    assert mentions(fete) == {topic.slug: 2 + 3 + 4, "fly-tipping": 6}

    # An entry moved to another event takes its counts and topics with it.
    EngagementLog.objects.filter(pk=entries[3].pk).update(event=show)
    assert (totals(fete)["visitors"], totals(fete)["entries"]) == (60, 3)
    assert (totals(show)["visitors"], totals(show)["entries"]) == (40, 1)
    assert mentions(show) == {topic.slug: 4}
    assert mentions(fete) == {topic.slug: 2 + 3, "fly-tipping": 6}

    # Removed and deleted in bulk.
    EngagementLog.objects.filter(pk=entries[2].pk).update(removed_at=at(2024, 7, 6, 15))
    TopicMention.objects.filter(log=entries[1]).delete()
    assert (totals(fete)["visitors"], totals(fete)["entries"]) == (10 + 20, 2)
    assert mentions(fete) == {"fly-tipping": 6}
    Assignment.objects.bulk_create(
        Assignment(event=show, officer=owain, starts_at=show.starts_at, ends_at=show.ends_at)
        for _ in range(1)
    )
    Assignment.objects.filter(event=show).update(actual_minutes=90)
    assert totals(show)["worked_seconds"] == pytest.approx(90 * 60)
    Assignment.objects.filter(event=show).delete()
    assert totals(show)["officers"] == 0
    assert drifted_events() == set()

    # Deleting an event takes its totals with it.
    EngagementLog.objects.filter(event=show).delete()
    show.delete()
    assert not EventTotals.objects.filter(event_id=show.pk).exists()
    assert drifted_events() == set()


def test_the_statistics_read_the_totals(fete, team, topic):
    """What the triggers keep is what the dashboard shows (a removed entry never counts)."""
    owain = make_officer(team=team, name="Owain")
    log(fete, owain, visitors=9, topics=[(topic, 2)])
    log(fete, owain, visitors=4, removed_at=at(2024, 7, 6, 12), topics=[(topic, 7)])
    july = stats.StatsFilter(date_from=dt.date(2024, 7, 1), date_to=dt.date(2024, 7, 31))
    data = stats.dashboard(july)
    assert data["visitors"] == 9
    assert data["topics"] == [
        {"topic": topic.slug, "name": topic.name, "mentions": 2, "share": 100.0}
    ]
    assert data["top_events"][0]["visitors"] == 9
    assert stats.summary(stats.StatsFilter(topic=topic.slug))["events"] == 1


def test_recount_finds_and_repairs_drifted_totals(fete, team, topic):
    owain = make_officer(team=team, name="Owain")
    log(fete, owain, visitors=9, topics=[(topic, 2)])
    call_command("recount_totals")  # all well: no error
    EventTotals.objects.filter(event=fete).update(visitors=999)
    EventTopicTotals.objects.filter(event=fete).update(mentions=0)
    with pytest.raises(CommandError, match="1 events' totals differ"):
        call_command("recount_totals")
    assert recount() == {fete.pk}
    assert totals(fete)["visitors"] == 9
    assert mentions(fete) == {topic.slug: 2}
    assert drifted_events() == set()


@pytest.mark.django_db(transaction=True)
def test_concurrent_tallies_on_one_event_are_all_counted(make_event, team, topic):
    fete = make_event(title="Busy fete", starts_at=at(2024, 7, 6, 10))
    officers = [make_officer(team=team, name=f"PC {n}", number=f"{n}") for n in range(4)]
    barrier = threading.Barrier(len(officers))
    errors = []

    def tally(officer):
        try:
            barrier.wait()
            for visitors in range(1, 6):
                engagement_log_add(
                    event=fete,
                    officer=officer,
                    visitors=visitors,
                    topics=[(topic, 1)],
                    recorded_at=fete.starts_at,
                )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=tally, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert totals(fete)["visitors"] == 4 * (1 + 2 + 3 + 4 + 5)
    assert totals(fete)["entries"] == 4 * 5
    assert mentions(fete) == {topic.slug: 20}
    assert drifted_events() == set()


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_what_was_there_before(make_event, team, topic):
    """Data written before the totals existed is summed when they come (after ``migrate``)."""
    fete = make_event(title="Old fete", starts_at=at(2023, 7, 1, 10), ends_at=at(2023, 7, 1, 13))
    owain = make_officer(team=team, name="Owain")
    call_command("migrate", "events", "0006_audit_entries", verbosity=0)
    try:
        old = MigrationLoader(connection).project_state(("events", "0006_audit_entries")).apps
        Log = old.get_model("events", "EngagementLog")
        entry = Log.objects.create(event_id=fete.pk, officer_id=owain.pk, visitors=11, signups=1)
        Log.objects.create(
            event_id=fete.pk, officer_id=owain.pk, visitors=50, removed_at=at(2023, 7, 1, 12)
        )
        old.get_model("events", "TopicMention").objects.create(
            log_id=entry.pk, topic_id=topic.pk, count=3
        )
        for starts_at, ends_at in ((10, 11), (11, 13)):  # two shifts: one officer
            old.get_model("events", "Assignment").objects.create(
                event_id=fete.pk,
                officer_id=owain.pk,
                starts_at=at(2023, 7, 1, starts_at),
                ends_at=at(2023, 7, 1, ends_at),
                actual_minutes=100,
            )
    finally:
        call_command("migrate", verbosity=0)
    assert totals(fete) == {
        "visitors": 11,
        "signups": 1,
        "crime_reports": 0,
        "entries": 1,
        "officers": 1,
        "planned_seconds": 3 * 3600,
        "actual_seconds": 2 * 100 * 60,
        "worked_seconds": 2 * 100 * 60,
    }
    assert mentions(fete) == {topic.slug: 3}
    assert drifted_events() == set()
