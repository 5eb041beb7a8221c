from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database from a backup made by `manage.py backup` (replaces its data)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path, yes, **options):
        if (
            not yes
            and input("This replaces the database's contents. Type 'restore': ") != "restore"
        ):
            raise CommandError("Not restored.")
        try:
            restore(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored from {path}.")
