"""Stand codes: recording a scan of an event's code or a follow-through from its page."""

from django.db import connection
from django.utils import timezone

from ..models import Event, StandHit


def stand_hit_record(*, code: str, kind: str) -> bool:
    """Record one hit of ``kind`` on the event whose stand code is ``code``: the event and the
    time, nothing about who. One statement whichever the code (an INSERT … SELECT by the
    indexed code that inserts nothing for an unknown one), so a wrong code costs what a right
    one does. True when a hit was stored."""
    if kind not in StandHit.Kind.values:
        raise ValueError(f"Not a kind of stand hit: {kind!r}")
    quote = connection.ops.quote_name
    hit, event = StandHit._meta, Event._meta
    columns = ", ".join(quote(hit.get_field(name).column) for name in ("event", "kind", "at"))
    # Names come from the models' _meta, quoted; every value is a bound parameter.
    sql = (
        f"INSERT INTO {quote(hit.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {quote(event.pk.column)}, %s, %s FROM {quote(event.db_table)} "
        f"WHERE {quote(event.get_field('stand_code').column)} = %s"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, now, code])
        return cursor.rowcount == 1
