"""Reads of a series: its events, and the events from one of them on."""

from django.db.models import QuerySet
from django.http import Http404

from .. import permissions
from ..models import Event, Series


def series_from(event: Event) -> QuerySet[Event]:
    """This event and every later one of its series that is not cancelled, by start."""
    return (
        Event.objects.filter(series_id=event.series_id, starts_at__gte=event.starts_at)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )


def series_for(*, user, pk) -> Series:
    """The series if this user may see one of its events (404 otherwise)."""
    events = permissions.visible_events(user).filter(series_id=pk)
    series = Series.objects.filter(pk=pk, events__in=events).select_related("origin").first()
    if series is None:
        raise Http404("No such series.")
    return series


def series_events(series: Series) -> QuerySet[Event]:
    """The events of a series by start, with what the API and the series page show."""
    return (
        series.events.select_related("team", "event_type")
        .prefetch_related("partners", "focus_topics")
        .order_by("starts_at", "pk")
    )
