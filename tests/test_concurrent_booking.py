"""Two planners book the same mini tractor at the same moment: exactly one wins.

Real threads with their own database connections, on whichever database the suite runs on
(CI runs it on SQLite and on PostgreSQL).
"""

import threading

import pytest
from django.db import connection

from events.models import Assignment, KitBooking
from events.services import ConflictError
from events.services.kit import kit_book
from events.services.staffing import assignment_add

from .factories import at, make_kit, make_officer

pytestmark = pytest.mark.django_db(transaction=True)


def race(calls):
    """Run each call in its own thread, released together; collect what each one did."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = ("ok", call())
        except ConflictError as refused:
            results[i] = ("conflict", refused.conflicts)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[i] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_planners_booking_one_tractor_at_once_get_one_booking_and_one_clash(make_event):
    bobby = make_kit()
    show = make_event(title="County show", starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17))
    fete = make_event(title="Fete", starts_at=at(2027, 7, 4, 13), ends_at=at(2027, 7, 4, 18))
    for _round in range(3):
        KitBooking.objects.all().delete()
        results = race(
            [lambda: kit_book(event=show, item=bobby), lambda: kit_book(event=fete, item=bobby)]
        )
        outcomes = sorted(kind for kind, _ in results)
        assert outcomes == ["conflict", "ok"], results
        clash = next(value for kind, value in results if kind == "conflict")
        assert clash[0].kind == "kit_overlap"
        assert KitBooking.objects.filter(item=bobby).count() == 1


def test_two_planners_assigning_one_officer_at_once_get_one_assignment(make_event, team):
    pc = make_officer(team=team)
    show = make_event(title="County show", starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17))
    fete = make_event(title="Fete", starts_at=at(2027, 7, 4, 13), ends_at=at(2027, 7, 4, 18))
    results = race(
        [
            lambda: assignment_add(event=show, officer=pc),
            lambda: assignment_add(event=fete, officer=pc),
        ]
    )
    assert sorted(kind for kind, _ in results) == ["conflict", "ok"], results
    assert Assignment.objects.filter(officer=pc).count() == 1
