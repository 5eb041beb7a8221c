"""Windows of time as people read them, in UK time (events.time.window): a window that spans
days shows both dates, so a three-day show never looks like a one-day shift."""

from django import template

from .. import time

register = template.Library()


@register.filter
def window(row, year: bool = False) -> str:
    """``{{ shift|window }}``: "Fri 11 Dec 08:30–18:00", or "Fri 11 Dec 08:30 – Sun 13 Dec
    18:00" across days; ``{{ shift|window:True }}`` adds the years."""
    return time.window(row.starts_at, row.ends_at, year=bool(year))
