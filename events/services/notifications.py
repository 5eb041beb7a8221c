"""Telling people by e-mail: the notices a change to a shift makes, the reminders that are
due, an officer's choice about reminders, and the monthly digests to send.

A notice is a row written in the same transaction as the change it announces, so a change
that rolls back tells nobody; a task (``events.notifications.tasks``) sends it once the
transaction commits. Every writer (web, API, admin, import, copy forward) goes through the
staffing and event services, which call ``shift_notice`` here.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..models import Assignment, Event, MonthlyDigest, Officer, ShiftNotice
from ..time import LONDON, local_date

Kind = ShiftNotice.Kind


def shift_uid(assignment: Assignment) -> str:
    """The shift's calendar UID in e-mails: stable for the assignment (and not the calendar
    feed's, whose SEQUENCE follows the event's own counter)."""
    return f"{assignment.event.uid}-invite-{assignment.pk}@outreach"


def _location(event: Event) -> str:
    return ", ".join(part for part in (event.location, event.postcode) if part)


def _send_after_commit(task, pk: int) -> None:
    transaction.on_commit(lambda: task.enqueue(pk))


def _last_sequence(uid: str) -> int | None:
    """The SEQUENCE of the shift's latest change (reminders repeat it, they change nothing)."""
    changes = ShiftNotice.objects.filter(uid=uid).exclude(kind=Kind.REMINDER)
    return changes.aggregate(n=Max("sequence"))["n"]


def _record(shift: Assignment, *, kind: str, sequence: int) -> ShiftNotice:
    """The notice, with what its e-mail says copied from the shift as it is now; its task is
    queued for after the commit."""
    from ..notifications import tasks

    notice = ShiftNotice.objects.create(
        officer=shift.officer,
        event=shift.event,
        assignment_id=shift.pk,
        kind=kind,
        uid=shift_uid(shift),
        sequence=sequence,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        title=shift.event.title,
        location=_location(shift.event),
        role=shift.role,
    )
    _send_after_commit(tasks.send_shift_notice, notice.pk)
    return notice


def shift_notice(*, assignment: Assignment, kind: str) -> ShiftNotice | None:
    """Record an e-mail to the officer about this shift, as it is now, and send it after the
    commit, with the next SEQUENCE of the shift's calendar entry. Officers without an e-mail
    address are skipped (the staffing page says so), and so are shifts already over (a
    correction to history, a year of demo data): None."""
    if not assignment.officer.email or assignment.ends_at <= timezone.now():
        return None
    last = _last_sequence(shift_uid(assignment))
    return _record(assignment, kind=kind, sequence=0 if last is None else last + 1)


def reminder_due_at(starts_at: dt.datetime) -> dt.datetime:
    """When the reminder of a shift is due: REMINDER_HOUR (UK time) the evening before."""
    day_before = local_date(starts_at) - dt.timedelta(days=1)
    return dt.datetime.combine(day_before, dt.time(settings.REMINDER_HOUR), tzinfo=LONDON)


@transaction.atomic
def reminders_enqueue(*, now: dt.datetime | None = None) -> list[ShiftNotice]:
    """Record and queue the reminders now due: each live shift still to start whose evening
    before has come, for officers with an e-mail address who have not turned reminders off.
    Each shift (by its start) is reminded once: running this again queues nothing new."""
    now = now or timezone.now()
    shifts = (
        Assignment.objects.live()
        .filter(starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=2))
        .filter(officer__shift_reminders=True, officer__active=True)
        .exclude(officer__email="")
        .select_related("event", "officer")
        .order_by("starts_at", "id")
    )
    reminded = set(
        ShiftNotice.objects.filter(
            kind=Kind.REMINDER, assignment_id__in=[s.pk for s in shifts]
        ).values_list("assignment_id", "starts_at")
    )
    queued = []
    for shift in shifts:
        if reminder_due_at(shift.starts_at) > now or (shift.pk, shift.starts_at) in reminded:
            continue
        sequence = _last_sequence(shift_uid(shift)) or 0
        try:
            with transaction.atomic():
                notice = _record(shift, kind=Kind.REMINDER, sequence=sequence)
        except IntegrityError:
            continue  # another run recorded it a moment ago
        queued.append(notice)
    return queued


@transaction.atomic
def officer_set_reminders(*, officer: Officer, on: bool) -> Officer:
    """The officer's choice: a reminder the evening before each shift, or none."""
    officer.shift_reminders = on
    officer.save(update_fields=["shift_reminders"])
    return officer


def mark_sent(*, row: ShiftNotice | MonthlyDigest) -> None:
    """Record that a notice or digest went out (a task run again will not send it twice)."""
    type(row).objects.filter(pk=row.pk).update(sent_at=timezone.now())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def digests_enqueue(*, month: dt.date, recipients) -> list[MonthlyDigest]:
    """Record and queue the month's digest for each recipient (users with an e-mail
    address); one already recorded for that month and person is not sent again."""
    from ..notifications import tasks

    month = month_start(month)
    queued = []
    for user in recipients:
        if not user.email:
            continue
        digest, created = MonthlyDigest.objects.get_or_create(month=month, user=user)
        if created:
            _send_after_commit(tasks.send_monthly_digest, digest.pk)
            queued.append(digest)
    return queued
