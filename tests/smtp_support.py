"""A real SMTP server on loopback (aiosmtpd) that the app's mailer sends to in a test."""

import contextlib
import email
import email.policy
import socket

import icalendar
from aiosmtpd.controller import Controller


class Inbox:
    """What the server received: ``messages`` (parsed), each with its envelope recipients."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def loopback_smtp(settings):
    """Start the server and point ``MAILERS["default"]`` at it (``settings`` is pytest-django's
    fixture, so the setting is put back afterwards)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


def body_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def calendar_attachment(message) -> icalendar.Calendar:
    """The ``.ics`` attachment, parsed by icalendar."""
    parts = [part for part in message.iter_attachments() if part.get_filename() == "shift.ics"]
    assert len(parts) == 1, [p.get_content_type() for p in message.walk()]
    assert parts[0].get_content_type() == "text/calendar"
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def vevent(calendar: icalendar.Calendar) -> icalendar.Event:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]
