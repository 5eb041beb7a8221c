from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Outreach"

    def ready(self):
        from . import audit, checks

        audit.connect()
        checks.register()
        pre_migrate.connect(drop_totals_triggers, sender=self)
        post_migrate.connect(install_totals_triggers, sender=self)


def drop_totals_triggers(sender, using, plan=None, **kwargs):
    """Before migrations run on SQLite: drop the running-totals triggers. Altering a table
    there rebuilds it, which drops that table's triggers and fails while another trigger
    refers to it; they are all put back (and the totals recounted) after the migrations."""
    from . import totals

    connection = connections[using]
    if plan and connection.vendor == "sqlite":
        totals.uninstall(connection)


def install_totals_triggers(sender, using, verbosity=1, stdout=None, **kwargs):
    """After every ``migrate``: put back any running-totals trigger that is missing or out of
    date, then recount every total from the rows (events/totals.py)."""
    from . import totals

    if totals.install(connections[using]) is not None and verbosity >= 1 and stdout is not None:
        stdout.write("  Installed the running-totals triggers and recounted the totals.")
