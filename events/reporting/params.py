"""The statistics filter as a form: parses and checks query parameters into a StatsFilter.

The parameter names are the API's (``from``, ``to``, ``team``, ``event_type``, ``topic``)
plus ``area`` (a postcode prefix), so a dashboard address and an API call read alike.
"""

import datetime as dt
import re

from django import forms

from .. import validators
from ..models import EventType, Team, Topic
from .stats import COVERAGE_MONTHS, StatsFilter, add_months
from .stats.coverage import MAX_MONTHS

DATE = forms.DateInput(attrs={"type": "date"})
AREA = re.compile(r"^[A-Z]{1,2}(\d[A-Z\d]?( \d)?)?$")


def _day(label: str) -> forms.DateField:
    def in_range(value):
        validators.check_year(value, label=label)

    return forms.DateField(required=False, label=label, widget=DATE, validators=[in_range])


class StatsFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="Any team"
    )
    event_type = forms.ModelChoiceField(
        queryset=EventType.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        label="Type",
        empty_label="Any type",
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.select_related("topic_list"),
        to_field_name="slug",
        required=False,
        label="Topic raised",
        empty_label="Any topic",
    )
    area = forms.CharField(
        required=False,
        max_length=8,
        label="Postcode area",
        help_text="e.g. AL or AL3",
        widget=forms.TextInput(attrs={"size": 6, "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added by name.
        self.fields = {
            "from": _day("From"),
            "to": _day("To"),
            **self.fields,
        }

    def clean_area(self):
        area = " ".join(self.cleaned_data["area"].upper().split())
        if area and not AREA.match(area):
            raise forms.ValidationError("Enter a postcode area such as AL, AL3 or AL3 7.")
        return area

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        return data

    def filters(self) -> StatsFilter:
        """The checked filter (call after ``is_valid()``)."""
        data = self.cleaned_data
        return StatsFilter(
            date_from=data.get("from"),
            date_to=data.get("to"),
            team=data["team"].pk if data.get("team") else None,
            event_type=data["event_type"].slug if data.get("event_type") else None,
            topic=data["topic"].slug if data.get("topic") else None,
            area=data.get("area") or None,
        )


def last_twelve_months(today: dt.date) -> StatsFilter:
    """The dashboard's default: this month and the eleven before it, up to today."""
    return StatsFilter(date_from=add_months(today.replace(day=1), -11), date_to=today)


def as_query(filters: StatsFilter) -> dict[str, str]:
    """A filter as query parameters (for links to the downloads)."""
    return {key: str(value) for key, value in filters.as_dict().items()}


class CoverageFilterForm(StatsFilterForm):
    """The coverage page's filter: period, team and type (as ``GET /api/stats/coverage``),
    and after how many months without an event an area is marked."""

    months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        label="Mark areas with nothing for (months)",
        widget=forms.NumberInput(attrs={"size": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["topic"], self.fields["area"]

    def months_value(self) -> int:
        """The months asked for (call after ``is_valid()``), else the default."""
        return self.cleaned_data.get("months") or COVERAGE_MONTHS
