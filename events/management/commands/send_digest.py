import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from events.notifications import mail_warning
from events.notifications.digest import previous_month, recipients
from events.services.notifications import digests_enqueue
from events.time import local_today


def month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month is YYYY-MM, e.g. 2026-11: {value!r}") from None


class Command(BaseCommand):
    help = (
        "Queue the monthly digest for every manager with an e-mail address (once per month "
        "and person); run from cron on the 1st. The worker (manage.py db_worker) sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", type=month, help="YYYY-MM (default: the previous month)")

    def handle(self, *args, month=None, **options):
        if warning := mail_warning():
            self.stderr.write(warning)
        month = month or previous_month(local_today())
        queued = digests_enqueue(month=month, recipients=recipients())
        people = f"{len(queued)} manager{'' if len(queued) == 1 else 's'}"
        self.stdout.write(f"Queued the {month:%B %Y} digest for {people}.")
