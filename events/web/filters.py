import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from .. import validators
from ..models import Event, EventType, KitBooking, KitItem, Officer, Team
from ..queries.events import event_list_filter

DATE = forms.DateInput(attrs={"type": "date"})


class YearDateField(forms.DateField):
    """A date in the years every filter accepts (2000–2099), refused with a message otherwise."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            validators.check_year(value, label=self.label or "The date")


class YearDateFilter(django_filters.DateFilter):
    field_class = YearDateField


class EventFilter(django_filters.FilterSet):
    """The event list's form; the filtering itself is ``event_list_filter`` (the API's too)."""

    date_from = YearDateFilter(label="From", widget=DATE)
    date_to = YearDateFilter(label="To", widget=DATE)
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), empty_label="Any team")
    event_type = django_filters.ModelChoiceFilter(
        queryset=EventType.objects.all(), label="Type", empty_label="Any type"
    )
    status = django_filters.ChoiceFilter(choices=Event.Status.choices, empty_label="Any status")
    q = django_filters.CharFilter(label="Search")

    class Meta:
        model = Event
        fields = ["date_from", "date_to", "team", "event_type", "status", "q"]

    def filter_queryset(self, queryset):
        return queryset.filter(event_list_filter(**self.form.cleaned_data))


class KitFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=KitItem.Category.choices, empty_label="Any")
    condition = django_filters.ChoiceFilter(choices=KitItem.Condition.choices, empty_label="Any")
    available_now = django_filters.BooleanFilter(
        label="Available now", method="filter_available_now", widget=forms.CheckboxInput
    )
    q = django_filters.CharFilter(label="Search", method="filter_q")

    class Meta:
        model = KitItem
        fields = ["category", "condition", "available_now", "q"]

    def filter_available_now(self, queryset, name, value):
        if not value:
            return queryset
        now = timezone.now()
        busy = KitBooking.objects.live().filter(exclusive=True, starts_at__lte=now, ends_at__gt=now)
        return queryset.filter(condition=KitItem.Condition.READY).exclude(
            pk__in=busy.values("item_id")
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(
                Q(name__icontains=value)
                | Q(asset_tag__icontains=value)
                | Q(provenance__icontains=value)
            )
            if value
            else queryset
        )


class OfficerFilter(django_filters.FilterSet):
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), empty_label="Any team")
    rank = django_filters.ChoiceFilter(choices=Officer.Rank.choices, empty_label="Any rank")
    active = django_filters.BooleanFilter(
        widget=forms.CheckboxInput, label="Active only", method="filter_active"
    )
    q = django_filters.CharFilter(label="Search", method="filter_q")

    class Meta:
        model = Officer
        fields = ["team", "rank", "active", "q"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=True) if value else queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(shoulder_number__icontains=value))
            if value
            else queryset
        )
