"""Stand-code figures: scans of the events' codes and follow-throughs of the two links.

They count like every figure, for the held events in scope (a scan of a draft or cancelled
event's code is stored but adds nothing), whenever the hit came: a poster scanned the week
after the show still counts for the show.
"""

from django.db.models import Count

from ...models import StandHit

# The figure each kind of hit counts in, in the order every output shows them.
STAND_FIGURES = {
    StandHit.Kind.SCAN: "scans",
    StandHit.Kind.SIGNUP: "signup_clicks",
    StandHit.Kind.REPORT: "report_clicks",
}


def stand_figures(scope) -> dict[str, int]:
    """``scans``, ``signup_clicks`` and ``report_clicks`` of the events a filter (or one
    event's scope) covers, in one query."""
    counted = dict(
        StandHit.objects.filter(scope.q("event__"))
        .order_by()
        .values_list("kind")
        .annotate(hits=Count("id"))
    )
    return {name: counted.get(kind, 0) for kind, name in STAND_FIGURES.items()}


def stand_figures_by_event(scope) -> dict[int, dict[str, int]]:
    """The same figures for each event in scope that has any (the workbook's Events sheet),
    in one query whatever the number of events: only events with hits have a row."""
    figures: dict[int, dict[str, int]] = {}
    rows = (
        StandHit.objects.filter(scope.q("event__"))
        .order_by()
        .values_list("event_id", "kind")
        .annotate(hits=Count("id"))
    )
    for event_id, kind, count in rows:
        figures.setdefault(event_id, dict.fromkeys(STAND_FIGURES.values(), 0))
        figures[event_id][STAND_FIGURES[kind]] = count
    return figures
