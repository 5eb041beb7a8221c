from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from events import totals


class Command(BaseCommand):
    help = (
        "Check the running totals per event and the database triggers that keep them against "
        "the rows they sum; with --fix install the triggers again and recount every total."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Install the triggers again and recount."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, fix, database, **options):
        connection = connections[database]
        if not totals.ready(connection):
            raise CommandError("The totals tables do not exist yet: run `manage.py migrate`.")
        if fix:
            drifted = totals.install(connection, force=True)
            self.stdout.write(
                "Installed the triggers and recounted the totals; "
                f"{len(drifted)} events had drifted{ids(drifted)}."
            )
            return
        wrong = totals.problems(connection)
        drifted = totals.drifted_events(database)
        if drifted:
            wrong.append(f"{len(drifted)} events' totals differ from their rows{ids(drifted)}.")
        if wrong:
            raise CommandError(" ".join([*wrong, "Run with --fix."]))
        self.stdout.write("The triggers are in place and the running totals match the rows.")


def ids(events: set[int]) -> str:
    return f" (ids {', '.join(map(str, sorted(events)[:20]))})" if events else ""
