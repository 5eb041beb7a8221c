"""What the API accepts and answers (shared/API.md): strict in, plain out.

Input is refused, never trimmed: unknown fields, out-of-range counts, over-long strings,
control characters and naive or absurd datetimes all answer 422 naming the field, so no
input reaches the database in a shape it could choke on (a NUL byte in PostgreSQL text, a
64-bit overflow in SQLite, a year-9999 datetime pushed past UTC's range). Text and dates
follow ``events.validators``, the rule the web forms and imports use too.
"""

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from ninja import FilterSchema, Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
)

from .. import conflicts, recurrence, validators
from ..models import Assignment, Event, KitBooking, KitItem, Officer
from ..queries.events import event_list_filter

MAX_ID = 2**63 - 1
MAX_COUNT = 100_000
MAX_LIST = 100


def _field_label(info: ValidationInfo) -> str:
    return validators.label_of(info.field_name or "value")


def _django_rule(rule, **options):
    """A rule from ``events.validators`` as a pydantic validator naming the field."""

    def check(value, info: ValidationInfo):
        try:
            return rule(value, label=_field_label(info), **options)
        except DjangoValidationError as error:
            raise ValueError(error.messages[0]) from None

    return AfterValidator(check)


def Line(max_length: int):  # noqa: N802 - reads as a type in field declarations
    """One line of text, at most ``max_length`` characters."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length),
        _django_rule(validators.clean_text),
        Field(json_schema_extra={"pattern": validators.LINE_PATTERN}),
    ]


def Lines(max_length: int):  # noqa: N802
    """Free text (notes, descriptions): line breaks and tabs allowed."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length),
        _django_rule(validators.clean_text, multiline=True),
        Field(json_schema_extra={"pattern": validators.LINES_PATTERN}),
    ]


Slug = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]
TopicCount = Annotated[int, Field(ge=1, le=MAX_COUNT, strict=True)]


def _iso_text(value):
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("Give an ISO 8601 date and time with its UTC offset.")
    return value


# ISO 8601 with an offset; a naive time is refused ("Input should have timezone info").
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_text), _django_rule(validators.check_year)]
Day = Annotated[dt.date, _django_rule(validators.check_year)]


class StrictIn(Schema):
    """A request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


# ---- errors -----------------------------------------------------------------------------


class FieldError(Schema):
    field: str = Field(description="Dotted path of the field, e.g. `topics.0.count`")
    message: str


class Error(Schema):
    detail: str = Field(description="What went wrong, for a person to read")
    errors: list[FieldError] | None = Field(
        default=None, description="With 422: one entry per refused field"
    )


class ConflictItem(Schema):
    kind: Literal[conflicts.KINDS]
    message: str
    officer_id: int | None = None
    kit_item_id: int | None = None
    event_id: int | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


class ConflictOut(Schema):
    detail: str
    conflicts: list[ConflictItem]


# ---- auth -------------------------------------------------------------------------------


class TokenIn(StrictIn):
    username: Line(150) = Field(min_length=1)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


# ---- reference lists --------------------------------------------------------------------


class TeamOut(Schema):
    id: int
    name: str
    short_name: str
    area: str


class TopicOut(Schema):
    slug: str
    name: str
    list: str = Field(validation_alias="topic_list.name")
    active: bool


class EventTypeOut(Schema):
    slug: str
    name: str


class PartnerOut(Schema):
    id: int
    name: str
    kind: str


# ---- officers ---------------------------------------------------------------------------

Rank = Literal[tuple(Officer.Rank.values)]


class OfficerOut(Schema):
    id: int
    name: str
    shoulder_number: str
    rank: Rank
    team: int | None = Field(validation_alias="team_id")
    qualifications: list[str]
    active: bool
    email: str | None = Field(None, description="Null when you may not see contact details")
    phone: str | None = Field(None, description="Null when you may not see contact details")

    @staticmethod
    def resolve_qualifications(obj) -> list[str]:
        return [q.slug for q in obj.qualifications.all()]

    @staticmethod
    def resolve_email(obj, context) -> str | None:
        return obj.email if _may_see_contact(context, obj) else None

    @staticmethod
    def resolve_phone(obj, context) -> str | None:
        return obj.phone if _may_see_contact(context, obj) else None


def _may_see_contact(context, officer) -> bool:
    from .. import permissions

    return permissions.can_see_contact(context["request"].auth, officer)


class OfficerIn(StrictIn):
    name: Line(150) = Field(min_length=1)
    shoulder_number: Line(20) = Field(min_length=1)
    rank: Rank = Officer.Rank.PC
    team: Id | None = None
    qualifications: list[Slug] = Field(default_factory=list, max_length=MAX_LIST)
    active: bool = True
    email: Line(254) = ""
    phone: Line(30) = ""


class OfficerPatch(StrictIn):
    name: Line(150) = Field(None, min_length=1)
    shoulder_number: Line(20) = Field(None, min_length=1)
    rank: Rank = None
    team: Id | None = None
    qualifications: list[Slug] = Field(None, max_length=MAX_LIST)
    active: bool = None
    email: Line(254) = None
    phone: Line(30) = None


# ---- kit --------------------------------------------------------------------------------

Category = Literal[tuple(KitItem.Category.values)]
Condition = Literal[tuple(KitItem.Condition.values)]


class KitOut(Schema):
    id: int
    name: str
    asset_tag: str | None
    category: Category
    condition: Condition
    quantity: int
    consumable: bool
    provenance: str
    storage_location: str


class KitIn(StrictIn):
    name: Line(150) = Field(min_length=1)
    asset_tag: Line(40) | None = None
    category: Category
    condition: Condition = KitItem.Condition.READY
    quantity: int = Field(1, ge=1, le=1_000_000, strict=True)
    consumable: bool = False
    provenance: Lines(2000) = ""
    storage_location: Line(150) = ""


class KitPatch(StrictIn):
    name: Line(150) = Field(None, min_length=1)
    asset_tag: Line(40) | None = None
    category: Category = None
    condition: Condition = None
    quantity: int = Field(None, ge=1, le=1_000_000, strict=True)
    consumable: bool = None
    provenance: Lines(2000) = None
    storage_location: Line(150) = None


class KitAvailabilityOut(KitOut):
    available: bool
    free_quantity: int


# ---- events -----------------------------------------------------------------------------

Status = Literal[tuple(Event.Status.values)]


class EventOut(Schema):
    id: int
    title: str
    event_type: str | None = Field(description="Event type slug")
    team: int | None = Field(validation_alias="team_id", description="Team id")
    lead_officer: int | None = Field(validation_alias="lead_officer_id")
    status: Status
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    postcode: str
    description: str
    expected_attendance: int | None
    partners: list[int] = Field(description="Partner ids")
    focus_topics: list[str] = Field(description="Topic slugs")
    copied_from: int | None = Field(validation_alias="copied_from_id")
    series: int | None = Field(validation_alias="series_id", description="Series id, if repeating")
    stand_code: str = Field(description="The code on the stand poster's QR code (/s/<code>)")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_event_type(obj) -> str | None:
        return obj.event_type.slug if obj.event_type_id else None

    @staticmethod
    def resolve_partners(obj) -> list[int]:
        return [p.pk for p in obj.partners.all()]

    @staticmethod
    def resolve_focus_topics(obj) -> list[str]:
        return [t.slug for t in obj.focus_topics.all()]


class EventIn(StrictIn):
    title: Line(200) = Field(min_length=1)
    starts_at: Moment
    ends_at: Moment
    event_type: Slug | None = None
    team: Id | None = None
    lead_officer: Id | None = None
    status: Literal["draft", "confirmed", "completed"] = "draft"
    location: Line(200) = ""
    postcode: Line(10) = ""
    description: Lines(5000) = ""
    expected_attendance: int | None = Field(None, ge=0, le=10_000_000, strict=True)
    partners: list[Id] = Field(default_factory=list, max_length=MAX_LIST)
    focus_topics: list[Slug] = Field(default_factory=list, max_length=MAX_LIST)


class EventPatch(StrictIn):
    """Only the fields sent change; ``null`` clears the optional links."""

    title: Line(200) = Field(None, min_length=1)
    starts_at: Moment = None
    ends_at: Moment = None
    event_type: Slug | None = None
    team: Id | None = None
    lead_officer: Id | None = None
    status: Status = None
    location: Line(200) = None
    postcode: Line(10) = None
    description: Lines(5000) = None
    expected_attendance: int | None = Field(None, ge=0, le=10_000_000, strict=True)
    partners: list[Id] = Field(None, max_length=MAX_LIST)
    focus_topics: list[Slug] = Field(None, max_length=MAX_LIST)


class CopyIn(StrictIn):
    starts_at: Moment


class CopyOut(Schema):
    event: EventOut
    conflicts: list[ConflictItem] = Field(description="Staffing and kit left unfilled")


class ReinstateOut(EventOut):
    unfilled: list[ConflictItem] = Field(
        description="Officers and kit released by the cancel that could not come back"
    )


# ---- series -----------------------------------------------------------------------------


class RepeatIn(StrictIn):
    """Exactly one of ``until`` and ``count``; at most 52 events in all."""

    every: Literal[recurrence.EVERY] = Field(
        description='"month" keeps the weekday\'s place (the first Tuesday); a fifth weekday '
        "repeats on the last one"
    )
    until: Day | None = Field(None, description="The last day a repeat may fall on (inclusive)")
    count: int | None = Field(
        None,
        ge=2,
        le=recurrence.MAX_OCCURRENCES,
        strict=True,
        description="How many events in all, this one included",
    )
    dry_run: bool = Field(False, description="Answer what would be made, and save nothing")


class RepeatedEventOut(EventOut):
    id: int | None = Field(description="null in a dry run: nothing was saved")
    stand_code: str | None = Field(description="null in a dry run")
    unfilled: list[ConflictItem] = Field(description="Staffing and kit not carried to this one")

    @staticmethod
    def resolve_id(obj) -> int | None:
        return None if getattr(obj, "dry_run", False) else obj.id


class RepeatOut(Schema):
    items: list[RepeatedEventOut] = Field(
        description="The new events by start (the repeated event, the series' first, is not listed)"
    )
    unfilled: list[ConflictItem] = Field(description="Staffing and kit left unfilled, in all")
    series: int | None = Field(description="The series id; null in a dry run")


class SeriesOut(Schema):
    id: int
    every: Literal[recurrence.EVERY]
    until: dt.date | None
    origin: int | None = Field(description="The event it was made from")
    created_at: dt.datetime
    items: list[EventOut] = Field(description="Its events by start, cancelled ones included")
    count: int


class EventFilters(FilterSchema):
    """The event list's filters; ``event_list_filter`` (the web list's too) applies them."""

    from_: Day | None = Field(None, alias="from", description="Events ending on or after")
    to: Day | None = Field(None, description="Events starting on or before")
    status: Status | None = None
    team: Id | None = Field(None, description="Team id")
    event_type: Slug | None = Field(None, description="Event type slug")
    q: Line(100) | None = Field(None, description="Words in the title, location or postcode")

    def custom_expression(self) -> Q:
        return event_list_filter(
            date_from=self.from_,
            date_to=self.to,
            team=self.team,
            event_type=self.event_type,
            status=self.status,
            q=self.q,
        )


# ---- staffing and kit bookings ----------------------------------------------------------

Role = Literal[tuple(Assignment.Role.values)]


class AssignmentOut(Schema):
    id: int
    event_id: int
    officer_id: int
    officer_name: str = Field(validation_alias="officer.name")
    role: Role
    starts_at: dt.datetime
    ends_at: dt.datetime


class AssignmentIn(StrictIn):
    officer_id: Id
    role: Role = Assignment.Role.SUPPORT
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    each_day: bool = Field(
        False, description="One shift per day of the event (its start-to-end hours each day)"
    )


class AssignmentsOut(Schema):
    items: list[AssignmentOut]
    count: int


class BookingOut(Schema):
    id: int
    event_id: int
    kit_item_id: int = Field(validation_alias="item_id")
    kit_item_name: str = Field(validation_alias="item.name")
    quantity: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: Literal[tuple(KitBooking.Status.values)]
    checked_out_at: dt.datetime | None
    returned_at: dt.datetime | None
    condition_on_return: Condition | Literal[""]
    return_notes: str


class BookingIn(StrictIn):
    kit_item_id: Id
    quantity: int = Field(1, ge=1, le=1_000_000, strict=True)
    starts_at: Moment | None = None
    ends_at: Moment | None = None


class ReturnIn(StrictIn):
    condition: Condition = KitItem.Condition.READY
    notes: Lines(2000) = ""


# ---- engagement logs --------------------------------------------------------------------


class MentionIO(StrictIn):
    topic: Slug
    count: TopicCount = 1


class LogOut(Schema):
    id: int
    event_id: int
    officer_id: int
    officer_name: str = Field(validation_alias="officer.name")
    recorded_at: dt.datetime
    visitors: int
    topics: list[MentionIO]
    signups: int
    crime_reports: int
    notes: str
    client_ref: uuid.UUID | None
    created_at: dt.datetime

    @staticmethod
    def resolve_topics(obj) -> list[dict]:
        return [{"topic": m.topic.slug, "count": m.count} for m in obj.mentions.all()]


class LogIn(StrictIn):
    visitors: Count = 0
    topics: list[MentionIO] = Field(default_factory=list, max_length=MAX_LIST)
    signups: Count = 0
    crime_reports: Count = 0
    notes: Lines(2000) = ""
    recorded_at: Moment | None = Field(None, description="Default: now")
    client_ref: uuid.UUID | None = Field(
        None, description="A UUID the device makes up; sending it again stores nothing new"
    )


class LogPatch(StrictIn):
    visitors: Count = None
    topics: list[MentionIO] = Field(None, max_length=MAX_LIST)
    signups: Count = None
    crime_reports: Count = None
    notes: Lines(2000) = None
    recorded_at: Moment = None


# ---- statistics -------------------------------------------------------------------------


class StatsFilters(Schema):
    from_: Day | None = Field(None, alias="from", description="Events starting on or after")
    to: Day | None = Field(None, description="Events starting on or before")
    team: Id | None = Field(None, description="Team id")
    event_type: Slug | None = Field(None, description="Event type slug")
    topic: Slug | None = Field(None, description="Events at which this topic was raised")
    area: Line(8) | None = Field(None, description="Postcode area or district, e.g. AL or AL3")


class CoverageFilters(Schema):
    from_: Day | None = Field(None, alias="from", description="Events starting on or after")
    to: Day | None = Field(None, description="Events starting on or before")
    team: Id | None = Field(None, description="Team id")
    event_type: Slug | None = Field(None, description="Event type slug")
    months: int = Field(
        6, ge=1, le=120, description="An area with no event in this many months is stale"
    )


class TopicFigure(Schema):
    topic: str
    name: str
    mentions: int
    share: float = Field(description="Per cent of all mentions")


class MonthFigure(Schema):
    month: str = Field(description="YYYY-MM")
    events: int
    visitors: int


class SummaryOut(Schema):
    events: int = Field(description="Events held: started, and neither a draft nor cancelled")
    visitors: int
    officers: int = Field(description="Distinct people on the events held")
    officer_hours: float = Field(description="Actual hours where recorded, else planned")
    officer_hours_planned: float
    officer_hours_actual: float
    signups: int
    crime_reports: int
    entries: int = Field(description="Engagement entries counted")
    visitors_per_officer_hour: float | None
    scans: int = Field(description="Scans of the events' stand codes, one phone once per 10 min")
    signup_clicks: int = Field(description="Follow-throughs to community messages sign-up")
    report_clicks: int = Field(description="Follow-throughs to report rural crime")
    topics: list[TopicFigure]
    by_month: list[MonthFigure]


class AreaCoverage(Schema):
    area: str = Field(description="Postcode district (outward code), e.g. AL3")
    name: str
    events: int = Field(description="Events held in the period in this area")
    visitors: int
    signups: int
    last_event: dt.date | None = Field(description="Date of the last held event there, ever")
    days_since: int | None = Field(description="Days from the last held event to today")
    stale: bool = Field(description="No event held there in the last `months` months")


class CoverageOut(Schema):
    items: list[AreaCoverage] = Field(description="Every area, longest gap first")
    outside: int = Field(description="Events held whose postcode is blank or in no listed area")
