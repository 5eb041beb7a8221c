"""`manage.py bench`: see events/devtools/bench.py."""

from events.devtools.bench import Command

__all__ = ["Command"]
