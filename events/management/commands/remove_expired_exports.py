from django.core.management.base import BaseCommand

from events.reporting import jobs


class Command(BaseCommand):
    help = "Remove export files past their keeping time (EXPORT_KEEP_DAYS)."

    def handle(self, *args, **options):
        removed = jobs.remove_expired()
        self.stdout.write(f"Removed {removed} expired export file(s).")
