"""django-tasks-db's worker, which first fails export jobs whose worker died mid-export (so no
job stays "running" for ever) and removes expired export files."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from events.reporting import jobs


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        failed = jobs.fail_stale_jobs()
        if failed:
            self.stderr.write(f"Failed {failed} export job(s) whose worker had stopped.")
        jobs.remove_expired()
        return super().handle(*args, **options)
