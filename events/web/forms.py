"""Web forms. They validate input plainly; the services validate the domain rules."""

import datetime as dt

from django import forms
from django.db import models
from django.forms.utils import pretty_name
from django.utils import timezone

from .. import validators
from ..models import (
    Assignment,
    Event,
    EventType,
    KitItem,
    Officer,
    Partner,
    Series,
    Team,
    Topic,
)
from ..recurrence import MAX_OCCURRENCES


def make_local_aware(value: dt.datetime) -> dt.datetime:
    """A Europe/London wall-clock time made exact, refusing clock-change gaps and repeats."""
    zone = timezone.get_current_timezone()
    early, late = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    if early.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise forms.ValidationError(
            f"{value:%H:%M} on {value:%-d %B %Y} does not exist in UK time: the clocks go "
            "forward an hour that night. Choose another time."
        )
    raise forms.ValidationError(
        f"{value:%H:%M} on {value:%-d %B %Y} happens twice in UK time: the clocks go back an "
        "hour that night. Choose a time outside 01:00–02:00."
    )


class Text(forms.CharField):
    """Text under the one text rule (``events.validators.clean_text``): multi-line when its
    widget is a text area."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        multiline = isinstance(self.widget, forms.Textarea)
        return validators.clean_text(value, label=self.label or "This field", multiline=multiline)

    def get_bound_field(self, form, field_name):
        if self.label is None:  # the message names the field as its label on the page does
            self.label = pretty_name(field_name)
        return super().get_bound_field(form, field_name)


def text_formfield(db_field, **kwargs):
    """ModelForm fields for plain text model fields are ``Text`` (not e-mail, slug, choices)."""
    if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
        kwargs.setdefault("form_class", Text)
    return db_field.formfield(**kwargs)


class LocalDateTimeField(forms.SplitDateTimeField):
    """Date and time inputs in Europe/London; ambiguous or missing local times are refused."""

    widget = forms.SplitDateTimeWidget(
        date_attrs={"type": "date"},
        time_attrs={"type": "time"},
        date_format="%Y-%m-%d",
        time_format="%H:%M",
    )

    def __init__(self, *args, noun: str = "", **kwargs):
        """``noun`` names the moment in messages: "start" gives "Enter the start date and
        time" and "Enter the start time" (GOV.UK's way), instead of "This field is required."."""
        super().__init__(*args, **kwargs)
        what = f"the {noun} " if noun else ""
        self.error_messages["required"] = f"Enter {what}date and time".replace("  ", " ")
        self.error_messages["incomplete"] = f"Enter {what}date and time".replace("  ", " ")
        self.fields[0].error_messages["required"] = f"Enter {what}date"
        self.fields[0].error_messages["invalid"] = f"Enter {what}date as a real date"
        self.fields[1].error_messages["required"] = f"Enter {what}time"
        self.fields[1].error_messages["invalid"] = f"Enter {what}time as hours and minutes"

    def compress(self, data_list):
        if not data_list or None in data_list:
            return None
        value = validators.check_year(dt.datetime.combine(*data_list), label=self.label)
        return make_local_aware(value)

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value


class PlainMessages:
    """Messages that say what to do, the GOV.UK way: a field left empty says "Enter the
    title" or "Choose the officer", not Django's "This field is required."."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = forms.Field.default_error_messages["required"]
        for name, field in self.fields.items():
            if field.error_messages.get("required") != default:
                continue  # a message of its own (dates and times name their moment)
            label = str(field.label or pretty_name(name)).split(" (")[0]
            label = label[:1].lower() + label[1:]
            picked = (forms.Select, forms.RadioSelect, forms.CheckboxInput, forms.FileInput)
            verb = "Choose" if isinstance(field.widget, picked) else "Enter"
            field.error_messages["required"] = f"{verb} the {label}"


class EventForm(PlainMessages, forms.ModelForm):
    starts_at = LocalDateTimeField(label="Starts", noun="start")
    ends_at = LocalDateTimeField(label="Ends", noun="end")
    partners = forms.ModelMultipleChoiceField(
        Partner.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    focus_topics = forms.ModelMultipleChoiceField(
        Topic.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Planned focus topics",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "event_type",
            "team",
            "starts_at",
            "ends_at",
            "location",
            "postcode",
            "description",
            "expected_attendance",
            "partners",
            "focus_topics",
        ]
        labels = {"team": "Lead team", "event_type": "Type"}
        formfield_callback = text_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_type"].queryset = EventType.objects.all()
        self.fields["team"].queryset = Team.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The end must be after the start.")
        return data


class CopyForm(PlainMessages, forms.Form):
    starts_at = LocalDateTimeField(
        label="New start", noun="new start", help_text="Same length, staff and kit."
    )


class RepeatForm(PlainMessages, forms.Form):
    every = forms.ChoiceField(choices=Series.Every.choices, label="Repeat")
    until = forms.DateField(
        required=False,
        label="Until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The last day a repeat may fall on.",
    )
    count = forms.IntegerField(
        required=False,
        min_value=2,
        max_value=MAX_OCCURRENCES,
        label="Or this many times",
        help_text=f"In all, this event included (at most {MAX_OCCURRENCES}).",
    )

    def clean_until(self):
        until = self.cleaned_data.get("until")
        return until and validators.check_year(until, label="Until")


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SeriesTimesForm(PlainMessages, forms.Form):
    starts_at = forms.TimeField(label="New start time", widget=TIME)
    ends_at = forms.TimeField(label="New end time", widget=TIME)


class AssignmentForm(PlainMessages, forms.Form):
    officer = forms.ModelChoiceField(Officer.objects.filter(active=True).select_related("team"))
    role = forms.ChoiceField(choices=Assignment.Role.choices, initial=Assignment.Role.SUPPORT)
    starts_at = LocalDateTimeField(label="From", required=False, help_text="Blank: event start")
    ends_at = LocalDateTimeField(label="To", required=False, help_text="Blank: event end")
    each_day = forms.BooleanField(
        required=False,
        label="One shift per day",
        help_text="The event's hours on each of its days (leave From and To blank).",
    )

    def clean(self):
        data = super().clean()
        if data.get("each_day") and (data.get("starts_at") or data.get("ends_at")):
            self.add_error("each_day", "Choose one shift per day or give From and To, not both.")
        return data


class KitBookingForm(PlainMessages, forms.Form):
    item = forms.ModelChoiceField(KitItem.objects.exclude(condition="retired"), label="Kit")
    quantity = forms.IntegerField(min_value=1, max_value=100_000, initial=1)
    starts_at = LocalDateTimeField(label="From", required=False, help_text="Blank: event start")
    ends_at = LocalDateTimeField(label="To", required=False, help_text="Blank: event end")


class KitReturnForm(PlainMessages, forms.Form):
    condition = forms.ChoiceField(choices=KitItem.Condition.choices, label="Condition on return")
    notes = Text(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class WindowForm(PlainMessages, forms.Form):
    starts_at = LocalDateTimeField(label="From", noun="start")
    ends_at = LocalDateTimeField(label="To", noun="end")

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The end must be after the start.")
        return data


class KitItemForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = KitItem
        fields = [
            "name",
            "category",
            "asset_tag",
            "condition",
            "consumable",
            "quantity",
            "provenance",
            "donor",
            "storage_location",
            "requires_qualification",
            "requires_kit",
        ]
        help_texts = {"asset_tag": "Required for unique items; leave blank for consumables."}
        formfield_callback = text_formfield


class HoursForm(PlainMessages, forms.Form):
    """The officer's actual start and finish, defaulting to the planned window."""

    actual_starts_at = LocalDateTimeField(label="I started at", noun="start")
    actual_ends_at = LocalDateTimeField(label="I finished at", noun="finish")

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None:
            self.fields["actual_starts_at"].initial = (
                assignment.actual_starts_at or assignment.starts_at
            )
            self.fields["actual_ends_at"].initial = assignment.actual_ends_at or assignment.ends_at

    def clean(self):
        data = super().clean()
        start, end = data.get("actual_starts_at"), data.get("actual_ends_at")
        if start and end and end <= start:
            self.add_error("actual_ends_at", "The finish must be after the start.")
        return data


class EntryForm(PlainMessages, forms.Form):
    """Correct an entry's counts and notes."""

    visitors = forms.IntegerField(min_value=0, max_value=100_000)
    signups = forms.IntegerField(min_value=0, max_value=100_000, label="Sign-ups")
    crime_reports = forms.IntegerField(min_value=0, max_value=100_000)
    notes = Text(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, instance=None, **kwargs):
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "visitors": instance.visitors,
                "signups": instance.signups,
                "crime_reports": instance.crime_reports,
                "notes": instance.notes,
                **initial,
            }
        super().__init__(*args, initial=initial, **kwargs)


class PhotoForm(PlainMessages, forms.Form):
    upload = forms.FileField(label="Photo (JPEG, PNG or WebP, up to 10 MB)")
    caption = Text(required=False, max_length=200)
