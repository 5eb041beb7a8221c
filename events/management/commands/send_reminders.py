from django.core.management.base import BaseCommand

from events.notifications import mail_warning
from events.services.notifications import reminders_enqueue


class Command(BaseCommand):
    help = (
        "Queue the evening-before reminders now due (each shift once); run every few minutes "
        "from cron. The worker (manage.py db_worker) sends them."
    )

    def handle(self, *args, **options):
        if warning := mail_warning():
            self.stderr.write(warning)
        queued = reminders_enqueue()
        self.stdout.write(f"Queued {len(queued)} shift reminder{'' if len(queued) == 1 else 's'}.")
