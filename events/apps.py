from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Outreach"

    def ready(self):
        from . import audit

        audit.connect()
