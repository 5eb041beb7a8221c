"""System checks that need the database (run by ``manage.py check --database default``)."""

from django.core import checks
from django.db import connections

from . import totals


def running_totals_triggers(app_configs=None, databases=None, **kwargs) -> list:
    """events.E001: every trigger that keeps the running totals is in place and up to date."""
    if app_configs is not None and not any(app.name == "events" for app in app_configs):
        return []
    return [
        checks.Error(
            f"{problem} (database {alias!r})",
            hint=(
                "The running totals would drift from the rows they sum. Run `manage.py "
                "recount_totals --fix` (or `manage.py migrate --skip-checks`): it installs "
                "the triggers from events/totals.py again and recounts every total."
            ),
            obj="events.totals",
            id="events.E001",
        )
        for alias in databases or ()
        for problem in totals.problems(connections[alias])
    ]


def register() -> None:
    checks.register(running_totals_triggers, checks.Tags.database)
