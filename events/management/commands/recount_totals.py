from django.core.management.base import BaseCommand, CommandError

from events.reporting.stats.totals import drifted_events
from events.services.totals import totals_recount


class Command(BaseCommand):
    help = (
        "Check the running totals per event (kept by database triggers) against the rows "
        "they sum, and with --fix rebuild them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Rebuild the totals from the rows.")

    def handle(self, *args, fix, **options):
        if fix:
            drifted = totals_recount()
            self.stdout.write(
                f"Recounted the totals; {len(drifted)} events had drifted"
                + (f" (ids {', '.join(map(str, sorted(drifted)[:20]))})." if drifted else ".")
            )
            return
        drifted = drifted_events()
        if drifted:
            raise CommandError(
                f"{len(drifted)} events' totals differ from their rows "
                f"(ids {', '.join(map(str, sorted(drifted)[:20]))}); run with --fix."
            )
        self.stdout.write("The running totals match the rows.")
