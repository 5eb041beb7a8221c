"""The monthly digest: every manager with an e-mail address gets the month's headline figures
against the same month last year, with the PDF report attached, once per month."""

import datetime as dt
import io

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from events import permissions
from events.models import MonthlyDigest
from events.notifications.digest import figure_lines, previous_month
from events.reporting import stats
from events.reporting.stats import StatsFilter

from .factories import assign, at, log, make_officer, make_user
from .smtp_support import body_text
from .tasks_support import run_queued_tasks


@pytest.fixture
def managers(db):
    first = make_user("inspector", permissions.MANAGER, email="inspector@example.police.uk")
    second = make_user("chief", permissions.MANAGER, email="chief@example.police.uk")
    make_user("nomail", permissions.MANAGER)  # no address: skipped
    make_user("planner2", permissions.PLANNER, email="planner@example.police.uk")  # not a manager
    return [first, second]


@pytest.fixture
def november(make_event, team, topic):
    """Two events held in November 2026 and one in November 2025 (with the shifts and
    entries that make their figures), and one in December 2026 that must not count."""
    rhys, sian = make_officer(team=team, name="Rhys"), make_officer(team=team, name="Siân")
    for title, day, visitors in (
        ("Harpenden market", at(2026, 11, 7, 9), 40),
        ("Farm Watch", at(2026, 11, 19, 19), 12),
        ("Harpenden market 2025", at(2025, 11, 8, 9), 25),
        ("Christmas fair", at(2026, 12, 5, 10), 99),
    ):
        event = make_event(title=title, starts_at=day, ends_at=day + dt.timedelta(hours=3))
        assign(event, rhys)
        assign(event, sian, actual_minutes=150)
        if event.starts_at < timezone.now():
            log(event, rhys, visitors=visitors, signups=2, topics=[(topic, 3)])


def queue_and_send(django_capture_on_commit_callbacks, *args):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digest", *args)
    finished = run_queued_tasks()
    assert all(task.status == "SUCCESSFUL" for task in finished), [t.traceback for t in finished]
    return finished


def test_each_manager_gets_the_month_once_with_the_pdf(
    smtp, managers, november, django_capture_on_commit_callbacks, capsys
):
    queue_and_send(django_capture_on_commit_callbacks, "--month", "2026-11")
    assert "Queued the November 2026 digest for 2 managers." in capsys.readouterr().out
    assert sorted(r[0] for r in smtp.recipients) == sorted(u.email for u in managers)
    message = smtp.messages[0]
    assert message["Subject"] == "Community engagement in November 2026"
    pdfs = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert [p.get_filename() for p in pdfs] == ["engagement-2026-11.pdf"]
    document = pypdf.PdfReader(io.BytesIO(pdfs[0].get_payload(decode=True)))
    cover = document.pages[0].extract_text()
    assert "Community engagement report" in cover
    # Running it again for the same month sends nothing.
    queue_and_send(django_capture_on_commit_callbacks, "--month", "2026-11")
    assert "digest for 0 managers" in capsys.readouterr().out
    assert len(smtp.messages) == 2
    assert MonthlyDigest.objects.filter(sent_at__isnull=False).count() == 2


def test_the_figures_are_the_statistics_modules_for_the_month_and_a_year_before(
    smtp, managers, november, django_capture_on_commit_callbacks
):
    queue_and_send(django_capture_on_commit_callbacks, "--month", "2026-11")
    body = body_text(smtp.messages[0])
    now = stats.summary(StatsFilter(date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30)))
    then = stats.summary(StatsFilter(date_from=dt.date(2025, 11, 1), date_to=dt.date(2025, 11, 30)))
    assert (now["events"], now["visitors"], now["officers"]) == (2, 52, 2)
    assert (then["events"], then["visitors"]) == (1, 25)
    assert "November 2026, against November 2025" in body
    lines = {
        line.split("  ")[0].strip(): line for line in body.splitlines() if "a year before" in line
    }
    assert "52  (25 a year before, +108%)" in lines["Visitors engaged"]
    assert "2  (1 a year before, +100%)" in lines["Events held"]
    hours = f"{now['officer_hours']:,.2f}  ({then['officer_hours']:,.2f} a year before"
    assert hours in lines["Officer-hours (recorded, else planned)"]
    assert f"{now['signups']}  ({then['signups']} a year before" in lines["Messaging sign-ups"]


def test_without_a_month_it_sends_the_previous_one(
    smtp, managers, django_capture_on_commit_callbacks, capsys
):
    queue_and_send(django_capture_on_commit_callbacks)
    month = previous_month(dt.date.today())
    assert f"Queued the {month:%B %Y} digest for 2 managers." in capsys.readouterr().out
    assert MonthlyDigest.objects.filter(month=month).count() == 2


def test_previous_month_crosses_the_year():
    assert previous_month(dt.date(2027, 1, 1)) == dt.date(2026, 12, 1)
    assert previous_month(dt.date(2026, 12, 31)) == dt.date(2026, 11, 1)


def test_a_bad_month_is_refused_in_words(db):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("send_digest", "--month", "November")


def test_an_empty_month_still_reads_sensibly(db):
    lines = {line["label"]: line for line in figure_lines(dt.date(2030, 1, 1))}
    assert lines["Visitors engaged"]["now"] == "0"
    assert lines["Visitors per officer-hour"]["now"] == "–"
    assert lines["Visitors engaged"]["change"] == "same"
