from django.conf import settings
from django.core.management.base import BaseCommand

from events.services.people import notes_clear_older_than


class Command(BaseCommand):
    help = "Clear free-text notes on engagement entries older than NOTES_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.NOTES_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        cleared = notes_clear_older_than(days=days)
        self.stdout.write(f"Cleared the notes of {cleared} entries older than {days} days.")
