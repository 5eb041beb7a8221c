"""`manage.py loadtest`: see events/devtools/loadtest.py."""

from events.devtools.loadtest import Command

__all__ = ["Command"]
