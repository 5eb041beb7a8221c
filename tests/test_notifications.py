"""Officers hear about their shifts: assigned, moved, taken off, cancelled, and reminded the
evening before, by e-mail through a real SMTP server, each with a calendar invitation."""

import ast
import datetime as dt

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from events.models import Officer, ShiftNotice
from events.services import ConflictError, staffing
from events.services import events as event_services
from events.services.notifications import reminder_due_at, reminders_enqueue
from events.services.officers import officer_save

from .factories import at, make_officer
from .smtp_support import body_text, calendar_attachment, vevent
from .tasks_support import run_queued_tasks

SUMMER = at(2027, 7, 3, 9)  # British Summer Time: 09:00 in London is 08:00 UTC


@pytest.fixture
def show(make_event):
    return make_event(
        title="Redbourn County Show",
        location="Redbourn Common",
        postcode="AL3 7LX",
        starts_at=SUMMER,
        ends_at=SUMMER + dt.timedelta(hours=8),
    )


@pytest.fixture
def jones(team):
    return make_officer(team=team, name="Alice Jones", number="R101")


def assigning(event, officer):
    return lambda: staffing.assignment_add(event=event, officer=officer)


def sent(django_capture_on_commit_callbacks, change):
    """Make the change, commit (the notices are queued after the commit), run the tasks."""
    with django_capture_on_commit_callbacks(execute=True):
        result = change()
    finished = run_queued_tasks()
    assert all(task.status == "SUCCESSFUL" for task in finished), [
        task.traceback for task in finished
    ]
    return result


def test_an_assigned_officer_gets_an_invitation_in_uk_time(
    smtp, show, jones, team, django_capture_on_commit_callbacks
):
    colleague = make_officer(team=team, name="Bob Smith", number="R102")
    staffing.assignment_add(event=show, officer=colleague, role="driver")
    shift = sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=jones),
    )
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert smtp.recipients[0] == [jones.email]
    assert message["Subject"] == "You are on Redbourn County Show: Sat 3 Jul 2027 09:00–17:00"
    body = body_text(message)
    assert "Sat 3 Jul 2027 09:00–17:00 (UK time)" in body
    assert "Where: Redbourn Common, AL3 7LX" in body
    assert "Role:  Support" in body
    assert "Also on: PC Bob Smith (driver)" in body
    calendar = calendar_attachment(message)
    assert calendar["METHOD"] == "REQUEST"
    entry = vevent(calendar)
    assert str(entry["UID"]) == f"{show.uid}-invite-{shift.pk}@outreach"
    assert entry["SEQUENCE"] == 0
    assert entry.decoded("DTSTART") == dt.datetime(2027, 7, 3, 8, 0, tzinfo=dt.UTC)
    assert entry.decoded("DTEND") == dt.datetime(2027, 7, 3, 16, 0, tzinfo=dt.UTC)
    assert str(entry["LOCATION"]) == "Redbourn Common, AL3 7LX"
    assert str(entry["ATTENDEE"]) == f"mailto:{jones.email}"
    assert str(entry["ORGANIZER"]).startswith("mailto:")
    # The same invitation as a calendar part of the message, which Outlook and Google offer
    # to add with one click.
    types = [part.get_content_type() for part in message.walk()]
    assert types.count("text/calendar") == 2
    assert ShiftNotice.objects.get(uid=entry["UID"]).sent_at is not None


def test_nothing_is_sent_inside_the_request_only_after_the_commit(show, jones):
    staffing.assignment_add(event=show, officer=jones)
    # The test's transaction never commits: the notice is recorded, no task is queued.
    assert ShiftNotice.objects.count() == 1
    assert not DBTaskResult.objects.exists()


def test_a_shift_already_over_is_not_announced(make_event, jones):
    past = at(2025, 6, 7, 9)
    event = make_event(
        title="Last summer's fete", starts_at=past, ends_at=past + dt.timedelta(hours=3)
    )
    shift = staffing.assignment_add(event=event, officer=jones)
    staffing.assignment_remove(assignment=shift)
    assert not ShiftNotice.objects.exists()


def test_a_refused_assignment_tells_nobody(
    show, jones, make_event, django_capture_on_commit_callbacks
):
    other = make_event(title="Fete", starts_at=SUMMER, ends_at=SUMMER + dt.timedelta(hours=2))
    staffing.assignment_add(event=other, officer=jones)
    ShiftNotice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConflictError):
        staffing.assignment_add(event=show, officer=jones)
    assert not ShiftNotice.objects.exists()


def test_a_moved_shift_updates_the_same_calendar_entry(
    smtp, show, jones, django_capture_on_commit_callbacks
):
    shift = sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=jones),
    )
    sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_set_window(
            assignment=shift, starts_at=SUMMER + dt.timedelta(hours=2), ends_at=show.ends_at
        ),
    )
    first, moved = (vevent(calendar_attachment(m)) for m in smtp.messages)
    assert smtp.messages[1]["Subject"].startswith("Your shift has moved: Redbourn County Show")
    assert "Sat 3 Jul 2027 11:00–17:00 (UK time)" in body_text(smtp.messages[1])
    assert calendar_attachment(smtp.messages[1])["METHOD"] == "REQUEST"
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == first["SEQUENCE"] + 1
    assert moved.decoded("DTSTART") == dt.datetime(2027, 7, 3, 10, 0, tzinfo=dt.UTC)


def test_moving_the_event_tells_each_officer_whose_shift_moved(
    smtp, show, jones, team, django_capture_on_commit_callbacks
):
    smith = make_officer(team=team, name="Bob Smith", number="R102")
    sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=jones),
    )
    sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=smith),
    )
    later = SUMMER + dt.timedelta(days=7)
    sent(
        django_capture_on_commit_callbacks,
        lambda: event_services.event_update(
            event=show, starts_at=later, ends_at=later + dt.timedelta(hours=8)
        ),
    )
    moves = smtp.messages[2:]
    assert sorted(r[0] for r in smtp.recipients[2:]) == sorted([jones.email, smith.email])
    for message in moves:
        entry = vevent(calendar_attachment(message))
        assert entry["SEQUENCE"] == 1
        assert "Sat 10 Jul 2027 09:00–17:00 (UK time)" in body_text(message)


def test_an_officer_taken_off_gets_a_cancellation_with_the_same_uid(
    smtp, show, jones, django_capture_on_commit_callbacks
):
    shift = sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=jones),
    )
    sent(django_capture_on_commit_callbacks, lambda: staffing.assignment_remove(assignment=shift))
    invitation, removal = (calendar_attachment(m) for m in smtp.messages)
    assert removal["METHOD"] == "CANCEL"
    assert vevent(removal)["UID"] == vevent(invitation)["UID"]
    assert vevent(removal)["SEQUENCE"] == vevent(invitation)["SEQUENCE"] + 1
    assert str(vevent(removal)["STATUS"]) == "CANCELLED"
    assert smtp.messages[1]["Subject"].startswith("You are off Redbourn County Show")
    assert "taken off" in body_text(smtp.messages[1])


def test_cancelling_the_event_cancels_each_shift_and_reinstating_sends_it_again(
    smtp, show, jones, django_capture_on_commit_callbacks
):
    sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=jones),
    )
    sent(django_capture_on_commit_callbacks, lambda: event_services.event_cancel(event=show))
    sent(django_capture_on_commit_callbacks, lambda: event_services.event_reinstate(event=show))
    assigned, cancelled, back = (calendar_attachment(m) for m in smtp.messages)
    assert smtp.messages[1]["Subject"].startswith("Cancelled: Redbourn County Show")
    assert "cancelled" in body_text(smtp.messages[1])
    assert [c["METHOD"] for c in (assigned, cancelled, back)] == ["REQUEST", "CANCEL", "REQUEST"]
    assert len({vevent(c)["UID"] for c in (assigned, cancelled, back)}) == 1
    assert [vevent(c)["SEQUENCE"] for c in (assigned, cancelled, back)] == [0, 1, 2]


def test_an_officer_without_an_e_mail_address_is_skipped_and_the_planner_sees_it(
    client, planner, smtp, show, team, django_capture_on_commit_callbacks
):
    quiet = make_officer(team=team, name="Carol White", number="R103")
    quiet.email = ""
    officer_save(officer=quiet)
    sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=quiet),
    )
    assert smtp.messages == []
    assert not ShiftNotice.objects.exists()
    client.force_login(planner)
    page = client.get(f"/events/{show.pk}/staff/").content.decode()
    assert "PC Carol White has no e-mail address: they will not be told by e-mail" in page


def test_the_picker_marks_officers_without_an_e_mail_address(client, planner, show, team):
    quiet = make_officer(team=team, name="Carol White", number="R103")
    quiet.email = ""
    officer_save(officer=quiet)
    client.force_login(planner)
    page = client.get(f"/events/{show.pk}/staff/").content.decode()
    assert (
        'Carol White <span class="muted">R103</span> <span class="muted">· no e-mail address'
        in page
    )


def test_the_staffing_page_says_nothing_when_everyone_has_an_address(client, planner, show, jones):
    staffing.assignment_add(event=show, officer=jones)
    client.force_login(planner)
    assert "no e-mail address" not in client.get(f"/events/{show.pk}/staff/").content.decode()


# ---- reminders ------------------------------------------------------------------------------


def test_the_reminder_is_due_at_six_the_evening_before_in_uk_time(settings):
    settings.REMINDER_HOUR = 18
    assert reminder_due_at(SUMMER) == at(2027, 7, 2, 18)
    winter = at(2027, 1, 9, 9)
    assert reminder_due_at(winter) == dt.datetime(2027, 1, 8, 18, tzinfo=dt.UTC)


def test_a_reminder_is_sent_once_the_evening_before_with_the_same_invitation(
    smtp, show, jones, django_capture_on_commit_callbacks
):
    sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=jones),
    )
    before = at(2027, 7, 2, 17, 59)
    evening = at(2027, 7, 2, 18, 5)
    assert sent(django_capture_on_commit_callbacks, lambda: reminders_enqueue(now=before)) == []
    assert (
        len(sent(django_capture_on_commit_callbacks, lambda: reminders_enqueue(now=evening))) == 1
    )
    assert sent(django_capture_on_commit_callbacks, lambda: reminders_enqueue(now=evening)) == []
    later = at(2027, 7, 2, 22)
    assert sent(django_capture_on_commit_callbacks, lambda: reminders_enqueue(now=later)) == []
    assert len(smtp.messages) == 2
    invitation, reminder = smtp.messages
    assert reminder["Subject"] == "Reminder: Redbourn County Show, Sat 3 Jul 2027 09:00–17:00"
    assert "turn these reminders off" in body_text(reminder)
    first, again = vevent(calendar_attachment(invitation)), vevent(calendar_attachment(reminder))
    assert calendar_attachment(reminder)["METHOD"] == "REQUEST"
    assert (again["UID"], again["SEQUENCE"]) == (first["UID"], first["SEQUENCE"])


def test_a_queued_reminder_for_a_shift_taken_off_meanwhile_is_not_sent(
    smtp, show, jones, django_capture_on_commit_callbacks
):
    shift = staffing.assignment_add(event=show, officer=jones)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(reminders_enqueue(now=at(2027, 7, 2, 19))) == 1
    staffing.assignment_remove(assignment=shift)  # its notice is not committed in this test
    (task,) = run_queued_tasks()
    assert task.return_value == "skipped: the shift changed after the reminder was queued"
    assert smtp.messages == []


def test_no_reminder_for_a_cancelled_event_or_a_shift_already_started(
    smtp, show, jones, django_capture_on_commit_callbacks
):
    staffing.assignment_add(event=show, officer=jones)
    assert reminders_enqueue(now=SUMMER + dt.timedelta(minutes=1)) == []
    event_services.event_cancel(event=show)
    assert reminders_enqueue(now=at(2027, 7, 2, 19)) == []


def test_an_officer_who_turned_reminders_off_gets_none(
    client, officer_user, smtp, show, django_capture_on_commit_callbacks
):
    officer = Officer.objects.get(user=officer_user)
    staffing.assignment_add(event=show, officer=officer)
    client.force_login(officer_user)
    page = client.get("/my-events/").content.decode()
    assert "Turn reminders off" in page
    response = client.post("/my-events/reminders/", {"reminders": "off"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.shift_reminders is False
    assert "Turn reminders on" in client.get("/my-events/").content.decode()
    assert reminders_enqueue(now=at(2027, 7, 2, 19)) == []
    client.post("/my-events/reminders/", {"reminders": "on"})
    assert len(reminders_enqueue(now=at(2027, 7, 2, 19))) == 1


def test_turning_reminders_off_needs_an_officer_record_and_a_post(client, manager):
    client.force_login(manager)
    assert client.post("/my-events/reminders/", {"reminders": "off"}).status_code == 404
    assert client.get("/my-events/reminders/").status_code == 405


def test_send_reminders_queues_what_is_due_and_the_worker_sends_it(
    smtp, make_event, jones, django_capture_on_commit_callbacks, capsys
):
    from django.utils import timezone

    starts = (timezone.now() + dt.timedelta(hours=2)).replace(microsecond=0)
    event = make_event(
        title="School visit", starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )
    staffing.assignment_add(event=event, officer=jones)
    ShiftNotice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert "Queued 1 shift reminder." in capsys.readouterr().out
    run_queued_tasks()
    assert [m["Subject"].split(":")[0] for m in smtp.messages] == ["Reminder"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert "Queued 0 shift reminders." in capsys.readouterr().out


# ---- every writer tells, and only after the commit -------------------------------------------


def test_the_staffing_page_and_the_api_both_tell_the_officer(
    client, planner, smtp, show, jones, team, django_capture_on_commit_callbacks
):
    from .api_support import as_user

    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/events/{show.pk}/staff/", {"officer": jones.pk, "role": "support"}
        )
    assert response.status_code == 302
    smith = make_officer(team=team, name="Bob Smith", number="R102")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(planner).post(
            f"/api/events/{show.pk}/assignments", {"officer_id": smith.pk}
        )
    assert response.status_code == 201, response.content
    run_queued_tasks()
    assert sorted(r[0] for r in smtp.recipients) == sorted([jones.email, smith.email])


def test_a_task_run_twice_sends_once(smtp, show, jones, django_capture_on_commit_callbacks):
    from events.notifications.messages import deliver_shift_notice

    sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=jones),
    )
    notice = ShiftNotice.objects.get()
    assert deliver_shift_notice(notice.pk) == "already sent"
    assert len(smtp.messages) == 1


def test_without_a_mail_server_development_writes_the_messages_to_files(
    settings, tmp_path, show, jones, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    sent(
        django_capture_on_commit_callbacks,
        lambda: staffing.assignment_add(event=show, officer=jones),
    )
    (written,) = tmp_path.iterdir()
    text = written.read_text()
    assert jones.email in text and 'filename="shift.ics"' in text


# ---- configuration ------------------------------------------------------------------------


def test_mailers_come_from_the_email_variables():
    from .test_settings import PRODUCTION, only, settings_values

    smtp_env = only(
        **PRODUCTION,
        EMAIL_HOST="smtp.example.police.uk",
        EMAIL_HOST_USER="outreach",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="Outreach <outreach@example.police.uk>",
    )
    values = settings_values(smtp_env, "MAILERS", "DEFAULT_FROM_EMAIL")
    assert values["DEFAULT_FROM_EMAIL"] == "'Outreach <outreach@example.police.uk>'"
    mailers = ast.literal_eval(values["MAILERS"])
    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailers["default"]["OPTIONS"] == {
        "host": "smtp.example.police.uk",
        "port": 587,
        "username": "outreach",
        "password": "secret",
        "use_tls": True,
        "timeout": 30,
    }
    folder = settings_values(only(DEBUG="1", DATA_DIR="/tmp/outreach-x"), "MAILERS")["MAILERS"]
    assert "filebased" in folder and "/tmp/outreach-x/mail" in folder


def test_production_without_a_mail_server_says_so_at_start_up_and_passes_the_deploy_check():
    import subprocess
    import sys

    from .test_settings import PRODUCTION, ROOT, only

    def run(*command, **env):
        return subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env=only(**PRODUCTION, DATABASE_URL="sqlite:////tmp/outreach-mail-x.db", **env),
            capture_output=True,
            text=True,
        )

    starting = run("-c", "import outreach.wsgi")
    assert starting.returncode == 0, starting.stderr
    assert "EMAIL_HOST is not set" in starting.stderr
    quiet = run("-c", "import outreach.wsgi", EMAIL_HOST="smtp.example.police.uk")
    assert quiet.returncode == 0 and "EMAIL_HOST" not in quiet.stderr
    for env in ({}, {"EMAIL_HOST": "smtp.example.police.uk"}):
        check = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "no issues" in check.stdout and "EMAIL_HOST" not in check.stderr


def test_the_sending_commands_say_when_nobody_will_receive_the_mail(settings, db, capsys):
    settings.DEBUG, settings.MAIL_FOLDER = False, "/srv/outreach/mail"
    call_command("send_reminders")
    assert "EMAIL_HOST is not set" in capsys.readouterr().err
    settings.MAIL_FOLDER = None
    call_command("send_reminders")
    assert capsys.readouterr().err == ""


def test_admins_see_what_was_sent_but_cannot_write_it(
    admin_user, client, smtp, show, jones, django_capture_on_commit_callbacks
):
    sent(django_capture_on_commit_callbacks, assigning(show, jones))
    client.force_login(admin_user)
    page = client.get("/admin/events/shiftnotice/")
    assert page.status_code == 200 and "Redbourn County Show" in page.content.decode()
    notice = ShiftNotice.objects.get()
    assert client.get("/admin/events/shiftnotice/add/").status_code == 403
    change = client.post(f"/admin/events/shiftnotice/{notice.pk}/change/", {"sequence": 9})
    assert change.status_code in (302, 403)
    notice.refresh_from_db()
    assert notice.sequence == 0
