"""The whole chain with a real worker: a planner's change commits, ``manage.py db_worker`` (a
separate process on the test database) picks the task up and sends through SMTP."""

import pytest

from events.models import ShiftNotice
from events.services import staffing

from .factories import at, make_officer
from .smtp_support import calendar_attachment, loopback_smtp
from .tasks_support import wait_for, worker_process

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_process_sends_the_invitation_after_the_commit(settings, make_event, team):
    with loopback_smtp(settings) as inbox:
        port = settings.MAILERS["default"]["OPTIONS"]["port"]
        show = make_event(starts_at=at(2027, 7, 3, 9), ends_at=at(2027, 7, 3, 17))
        jones = make_officer(team=team, name="Alice Jones", number="R101")
        staffing.assignment_add(event=show, officer=jones)  # commits: no test transaction here
        with worker_process(EMAIL_HOST="127.0.0.1", EMAIL_PORT=port):
            wait_for(lambda: ShiftNotice.objects.filter(sent_at__isnull=False).exists())
        (message,) = inbox.messages
        assert inbox.recipients == [[jones.email]]
        assert calendar_attachment(message)["METHOD"] == "REQUEST"
        assert ShiftNotice.objects.get().sent_at is not None
