"""Kit utilisation: how often each item was out, and the crowds where it was."""

from django.db.models import (
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate

from ...models import (
    EventTotals,
    KitBooking,
    KitItem,
)
from ...time import LONDON
from .filters import StatsFilter


def _scalar(queryset, expression, output_field=None):
    """A correlated subquery answering one aggregate (no GROUP BY: one row, or NULL)."""
    return Subquery(
        queryset.order_by().values(value=expression)[:1],
        output_field=output_field or IntegerField(),
    )


def kit_utilisation(filters: StatsFilter) -> list[dict]:
    """Per kit item: events and days it was out, units booked, and visitors at the events
    where it was present (does the mini tractor draw a crowd?). Retired items that were not
    out are left off; cancelled bookings do not count."""
    bookings = KitBooking.objects.exclude(status=KitBooking.Status.CANCELLED).filter(
        filters.q("event__")
    )
    of_item = bookings.filter(item_id=OuterRef("pk"))
    at_events = EventTotals.objects.filter(
        event_id__in=bookings.filter(item_id=OuterRef(OuterRef("pk"))).values("event_id")
    )
    # Local calendar days a booking touches, less one (a same-day booking spans 0 days).
    span = ExpressionWrapper(
        TruncDate("ends_at", tzinfo=LONDON) - TruncDate("starts_at", tzinfo=LONDON),
        output_field=DurationField(),
    )
    distinct_events = Func(F("event_id"), template="COUNT(DISTINCT %(expressions)s)")
    items = (
        KitItem.objects.annotate(
            k_events=Coalesce(_scalar(of_item, distinct_events), 0),
            k_bookings=_scalar(of_item, Func(F("id"), function="COUNT")),
            k_units=_scalar(of_item, Func(F("quantity"), function="SUM")),
            k_span=_scalar(of_item, Func(span, function="SUM"), DurationField()),
            k_visitors=_scalar(at_events, Func(F("visitors"), function="SUM")),
        )
        .exclude(condition=KitItem.Condition.RETIRED, k_events=0)
        .order_by("category", "name")
    )
    rows = []
    for item in items:
        rows.append(
            {
                "id": item.pk,
                "name": item.name,
                "asset_tag": item.asset_tag or "",
                "category": item.get_category_display(),
                "events": item.k_events or 0,
                "bookings": item.k_bookings or 0,
                "days": (item.k_bookings or 0) + (item.k_span.days if item.k_span else 0),
                "units": int(item.k_units or 0),
                "visitors": int(item.k_visitors or 0),
                "visitors_per_event": round((item.k_visitors or 0) / item.k_events, 1)
                if item.k_events
                else None,
            }
        )
    return sorted(rows, key=lambda row: (-row["events"], -row["visitors"], row["name"]))
