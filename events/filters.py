import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from .models import Event, EventType, Team

DATE = forms.DateInput(attrs={"type": "date"})


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class EventFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label="From", method="filter_from", widget=DATE)
    date_to = django_filters.DateFilter(label="To", method="filter_to", widget=DATE)
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), empty_label="Any team")
    event_type = django_filters.ModelChoiceFilter(
        queryset=EventType.objects.all(), label="Type", empty_label="Any type"
    )
    status = django_filters.ChoiceFilter(choices=Event.Status.choices, empty_label="Any status")
    q = django_filters.CharFilter(label="Search", method="filter_q")

    class Meta:
        model = Event
        fields = ["date_from", "date_to", "team", "event_type", "status", "q"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(ends_at__gt=_local_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_local_midnight(value + dt.timedelta(days=1)))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(location__icontains=value) | Q(postcode__icontains=value)
        )
