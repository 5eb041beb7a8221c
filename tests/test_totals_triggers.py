"""The triggers that keep the running totals cannot silently go missing: a system check fails
without them, ``migrate`` puts them back and recounts, ``recount_totals --fix`` too. Officers
are distinct people and seconds whole seconds. Runs on SQLite and PostgreSQL."""

import datetime as dt
import io
import threading

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from events import totals
from events.models import Assignment, EventTotals

from .factories import at, log, make_officer


def trigger_problems() -> list[str]:
    return [
        message.msg
        for message in checks.run_checks(databases=["default"])
        if message.id == "events.E001"
    ]


def drop_trigger(table: str, operation: str = "insert") -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {table}_{operation}_totals")
        else:
            cursor.execute(f"DROP TRIGGER {table}_totals ON {table}")


def stored(event) -> dict:
    return EventTotals.objects.filter(event=event).values(*totals.COLUMNS).first() or {}


@pytest.fixture
def fete(make_event):
    return make_event(title="Fete", starts_at=at(2024, 7, 6, 10), ends_at=at(2024, 7, 6, 14))


@pytest.mark.django_db(transaction=True)
def test_the_check_fails_when_a_trigger_is_dropped_and_migrate_puts_it_back(fete, team):
    assert trigger_problems() == []
    drop_trigger("events_assignment")
    [problem] = trigger_problems()
    assert "events_assignment" in problem and "missing" in problem

    # Meanwhile an officer is put on the event: nothing counts it...
    Assignment.objects.create(
        event=fete, officer=make_officer(team=team), starts_at=fete.starts_at, ends_at=fete.ends_at
    )
    assert stored(fete).get("officers", 0) == 0
    assert totals.drifted_events() == {fete.pk}

    # ... until migrate installs the trigger again and recounts.
    call_command("migrate", verbosity=0)
    assert trigger_problems() == []
    assert stored(fete)["officers"] == 1
    assert stored(fete)["planned_seconds"] == 4 * 3600
    assert totals.drifted_events() == set()


@pytest.mark.django_db(transaction=True)
def test_the_check_fails_when_a_trigger_differs_from_its_definition(fete, team):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER events_engagementlog_insert_totals")
            cursor.execute(
                "CREATE TRIGGER events_engagementlog_insert_totals AFTER INSERT ON"
                " events_engagementlog FOR EACH ROW BEGIN SELECT 1; END"
            )
        else:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION events_engagementlog_totals() RETURNS trigger"
                " LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"
            )
    [problem] = trigger_problems()
    assert "events_engagementlog" in problem and "differs" in problem
    call_command("migrate", verbosity=0)
    assert trigger_problems() == []
    log(fete, make_officer(team=team), visitors=9)
    assert stored(fete)["visitors"] == 9


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_disabled_trigger_fails_the_check_on_postgresql(fete):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE events_topicmention DISABLE TRIGGER events_topicmention_totals")
    [problem] = trigger_problems()
    assert "disabled" in problem
    call_command("migrate", verbosity=0)
    assert trigger_problems() == []


def test_installing_again_with_everything_in_place_does_nothing(fete, team):
    Assignment.objects.create(
        event=fete, officer=make_officer(team=team), starts_at=fete.starts_at, ends_at=fete.ends_at
    )
    assert totals.install(connection) is None
    assert stored(fete)["officers"] == 1


@pytest.mark.django_db(transaction=True)
def test_recount_totals_reports_a_missing_trigger_and_fix_reinstalls_it(fete, team):
    drop_trigger("events_topicmention", "delete")
    with pytest.raises(CommandError, match="trigger events_topicmention_.*missing"):
        call_command("recount_totals")
    out = io.StringIO()
    call_command("recount_totals", "--fix", stdout=out)
    assert (
        "Installed the triggers and recounted the totals; 0 events had drifted." in out.getvalue()
    )
    assert trigger_problems() == []
    call_command("recount_totals", stdout=out)
    assert "The triggers are in place and the running totals match the rows." in out.getvalue()


def test_officers_are_distinct_people_however_many_shifts(make_event, team):
    show = make_event(title="County show", starts_at=at(2024, 7, 5, 9), ends_at=at(2024, 7, 6, 17))
    rhys, sian = make_officer(team=team, name="Rhys"), make_officer(team=team, name="Siân")
    friday, saturday = (
        Assignment.objects.create(
            event=show, officer=rhys, starts_at=at(2024, 7, day, 9), ends_at=at(2024, 7, day, 17)
        )
        for day in (5, 6)
    )
    assert stored(show)["officers"] == 1
    assert stored(show)["planned_seconds"] == 2 * 8 * 3600
    Assignment.objects.create(
        event=show, officer=sian, starts_at=at(2024, 7, 5, 9), ends_at=at(2024, 7, 5, 12)
    )
    assert stored(show)["officers"] == 2

    Assignment.objects.filter(pk=friday.pk).update(released=True)
    assert stored(show)["officers"] == 2  # Rhys still has Saturday
    # Both of Rhys's shifts released in one statement: he goes, once.
    Assignment.objects.filter(pk=friday.pk).update(released=False)
    Assignment.objects.filter(officer=rhys).update(released=True)
    assert stored(show)["officers"] == 1
    Assignment.objects.filter(pk=saturday.pk).update(officer=sian, released=False)
    assert stored(show)["officers"] == 1  # Siân on two shifts
    Assignment.objects.filter(event=show).delete()
    assert stored(show)["officers"] == 0
    assert totals.drifted_events() == set()


def test_seconds_are_whole_seconds(fete, team):
    Assignment.objects.create(
        event=fete,
        officer=make_officer(team=team),
        starts_at=fete.starts_at + dt.timedelta(microseconds=400_000),
        ends_at=fete.starts_at + dt.timedelta(hours=1, seconds=1, microseconds=300_000),
        actual_starts_at=fete.starts_at,
        actual_ends_at=fete.starts_at + dt.timedelta(minutes=90, microseconds=600_000),
    )
    row = stored(fete)
    assert (row["planned_seconds"], row["actual_seconds"], row["worked_seconds"]) == (
        3601,
        5401,
        5401,
    )
    assert all(type(row[column]) is int for column in ("planned_seconds", "actual_seconds"))
    assert totals.drifted_events() == set()


@pytest.mark.django_db(transaction=True)
def test_concurrent_staffing_of_one_event_counts_every_officer_once(make_event, team):
    show = make_event(title="Busy show", starts_at=at(2024, 7, 6, 9), ends_at=at(2024, 7, 6, 17))
    officers = [make_officer(team=team, name=f"PC {n}", number=f"C{n}") for n in range(4)]
    barrier = threading.Barrier(len(officers))
    errors = []

    def staff(officer):
        try:
            barrier.wait()
            for hour in (9, 13):  # two shifts each, in transactions that overlap
                with transaction.atomic():
                    Assignment.objects.create(
                        event=show,
                        officer=officer,
                        starts_at=at(2024, 7, 6, hour),
                        ends_at=at(2024, 7, 6, hour + 4),
                    )
                    threading.Event().wait(0.05)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=staff, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert stored(show)["officers"] == len(officers)
    assert stored(show)["planned_seconds"] == len(officers) * 8 * 3600
    assert totals.drifted_events() == set()
