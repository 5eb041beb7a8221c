"""Shift notices as e-mails: a short text in UK time, who else is on, and the shift as an
iCalendar invitation (METHOD:REQUEST, or METHOD:CANCEL with the same UID and a higher
SEQUENCE), both as a calendar part Outlook and Google offer to add and as ``shift.ics``."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from .. import ical
from ..models import Assignment, ShiftNotice
from ..services.notifications import mark_sent
from ..time import window

Kind = ShiftNotice.Kind

SUBJECTS = {
    Kind.ASSIGNED: "You are on {title}: {when}",
    Kind.MOVED: "Your shift has moved: {title}, now {when}",
    Kind.REMOVED: "You are off {title}: {when}",
    Kind.CANCELLED: "Cancelled: {title}, {when}",
    Kind.REMINDER: "Reminder: {title}, {when}",
}
HEADLINES = {
    Kind.ASSIGNED: "You have been put on this event.",
    Kind.MOVED: "Your shift on this event has moved. The times below are the new ones.",
    Kind.REMOVED: "You have been taken off this shift: you are no longer needed then.",
    Kind.CANCELLED: "This event has been cancelled: your shift is off.",
    Kind.REMINDER: "A reminder of your next shift.",
}


def others_on(notice: ShiftNotice) -> list[str]:
    """Everyone else with a live shift on the event, once each: "PC Jones (driver)"."""
    if notice.withdrawn or notice.event_id is None:
        return []
    shifts = (
        Assignment.objects.live()
        .filter(event_id=notice.event_id)
        .exclude(officer_id=notice.officer_id)
        .select_related("officer")
        .order_by("officer__name", "starts_at")
    )
    seen = {}
    for shift in shifts:
        seen.setdefault(
            shift.officer_id,
            f"{shift.officer.get_rank_display()} {shift.officer.name} "
            f"({shift.get_role_display().lower()})",
        )
    return list(seen.values())


def _calendar_lines(context: dict) -> list[str]:
    lines = [f"Your role: {context['role']}"] if context["role"] else []
    if context["others"]:
        lines.append(f"Also on: {', '.join(context['others'])}")
    return lines


def shift_message(notice: ShiftNotice, *, now=None) -> EmailMultiAlternatives:
    """The e-mail for one notice, to the officer's current address."""
    officer = notice.officer
    when = window(notice.starts_at, notice.ends_at)
    role = Assignment.Role(notice.role).label if notice.role else ""
    context = {
        "notice": notice,
        "officer": officer,
        "headline": HEADLINES[notice.kind],
        "when": when,
        "role": role,
        "others": others_on(notice),
    }
    subject = SUBJECTS[notice.kind].format(title=notice.title, when=when)
    body = render_to_string("emails/shift_notice.txt", context)
    organizer = parseaddr(settings.DEFAULT_FROM_EMAIL)
    invite = ical.shift_invite(
        uid=notice.uid,
        sequence=notice.sequence,
        starts_at=notice.starts_at,
        ends_at=notice.ends_at,
        summary=f"{notice.title} ({role.lower()})" if role else notice.title,
        location=notice.location,
        description="\n".join(_calendar_lines(context)),
        organizer=organizer,
        attendee=(officer.name, officer.email),
        cancel=notice.withdrawn,
        now=now or timezone.now(),
    )
    calendar_type = f"text/calendar; method={'CANCEL' if notice.withdrawn else 'REQUEST'}"
    message = EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [f"{officer.name} <{officer.email}>"]
    )
    message.attach_alternative(invite.decode(), calendar_type)
    message.attach("shift.ics", invite, calendar_type)
    return message


def send_once(row, *, address, build) -> str:
    """Send a recorded notice or digest (``row``) once, built by ``build(row)``: a task run
    twice does not send it twice, and a recipient whose address (``address(row)``) was
    removed meanwhile is skipped."""
    if row is None or row.sent_at is not None:
        return "already sent"
    if not address(row):
        return "skipped: no e-mail address"
    build(row).send(using="default")
    mark_sent(row=row)
    return "sent"


def deliver_shift_notice(notice_id: int) -> str:
    notice = ShiftNotice.objects.select_related("officer").filter(pk=notice_id).first()
    if notice and notice.kind == Kind.REMINDER and not _still_on(notice):
        return "skipped: the shift changed after the reminder was queued"
    return send_once(notice, address=lambda n: n.officer.email, build=shift_message)


def _still_on(reminder: ShiftNotice) -> bool:
    """The reminded shift is still live and starts when the reminder says (taken off or moved
    meanwhile, the officer has had that e-mail instead)."""
    shift = Assignment.objects.live().filter(pk=reminder.assignment_id)
    return shift.filter(starts_at=reminder.starts_at).exists()
