"""The outreach domain: people, events, staffing, kit and what was logged at the stand."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ..time import utc_duration
from .reach import new_stand_code


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=20, blank=True)
    area = models.CharField(max_length=120, blank=True, help_text="Policing area it covers")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Qualification(models.Model):
    """Something an officer may hold and a kit item may need, e.g. towing."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Officer(models.Model):
    class Rank(models.TextChoices):
        PC = "pc", "PC"
        PCSO = "pcso", "PCSO"
        SPECIAL = "special", "Special Constable"
        SERGEANT = "sergeant", "Sergeant"
        INSPECTOR = "inspector", "Inspector"
        CHIEF_INSPECTOR = "chief_inspector", "Chief Inspector"
        STAFF = "staff", "Police staff"
        VOLUNTEER = "volunteer", "Volunteer"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    name = models.CharField(max_length=150)
    shoulder_number = models.CharField(max_length=20, unique=True)
    rank = models.CharField(max_length=20, choices=Rank.choices, default=Rank.PC)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="officers"
    )
    qualifications = models.ManyToManyField(Qualification, blank=True, related_name="officers")
    active = models.BooleanField(default=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # The evening-before reminder of each shift (the officer turns it off on "My events").
    shift_reminders = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.get_rank_display()} {self.name} ({self.shoulder_number})"


class Unavailability(models.Model):
    class Kind(models.TextChoices):
        LEAVE = "leave", "Leave"
        TRAINING = "training", "Training"
        ABSTRACTION = "abstraction", "Abstraction"

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="unavailability")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "unavailability"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="unavailability_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.officer.name}: {self.get_kind_display()}"


class Partner(models.Model):
    class Kind(models.TextChoices):
        SHOW_ORGANISER = "show_organiser", "Show organiser"
        AGENCY = "agency", "Partner agency"
        FORCE = "force", "Neighbouring force"
        DONOR = "donor", "Donor"
        CHARITY = "charity", "Charity"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    contact = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class EventType(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TopicList(models.Model):
    """A named, admin-editable list of topics, e.g. "Rural Strategy 2024"."""

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Topic(models.Model):
    topic_list = models.ForeignKey(TopicList, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # "Other" goes last wherever topics are listed (forms, the capture page, filters),
        # not at the end of the first of several lists.
        ordering = [
            models.Case(models.When(slug="other", then=models.Value(1)), default=models.Value(0)),
            "topic_list__name",
            "position",
            "name",
        ]

    def __str__(self):
        return self.name


class EventQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=Event.Status.CANCELLED)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def for_team(self, team):
        return self.filter(team=team)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    event_type = models.ForeignKey(
        EventType, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    lead_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_events"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    description = models.TextField(blank=True)
    expected_attendance = models.PositiveIntegerField(null=True, blank=True)
    partners = models.ManyToManyField(Partner, blank=True, related_name="events")
    focus_topics = models.ManyToManyField(Topic, blank=True, related_name="focus_of")
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    series = models.ForeignKey(
        "events.Series", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    # The short code printed as a QR code on the stand poster (/s/<code>).
    stand_code = models.CharField(
        max_length=16, unique=True, default=new_stand_code, editable=False
    )
    # Stable identity and change counter for calendar feeds (iCal UID / SEQUENCE).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at", "ends_at"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "confirmed", "completed", "cancelled"]),
                name="event_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED


class AssignmentQuerySet(models.QuerySet):
    def live(self):
        return self.filter(released=False).exclude(event__status=Event.Status.CANCELLED)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Assignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        SUPPORT = "support", "Support"
        DRIVER = "driver", "Driver"
        VOLUNTEER = "volunteer", "Volunteer"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SUPPORT)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Set when the officer is taken off (with entries logged) or the event is cancelled: the
    # officer is free again, the record stays.
    released = models.BooleanField(default=False)
    # Released by cancelling the event: reinstating the event brings it back where still free.
    released_with_event = models.BooleanField(default=False)
    actual_starts_at = models.DateTimeField(null=True, blank=True)
    actual_ends_at = models.DateTimeField(null=True, blank=True)
    actual_minutes = models.PositiveIntegerField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["officer", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="assignment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(actual_ends_at__isnull=True)
                | Q(actual_starts_at__isnull=True)
                | Q(actual_ends_at__gt=F("actual_starts_at")),
                name="assignment_actual_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.officer.name} on {self.event.title}"

    @property
    def planned_minutes(self):
        return int(utc_duration(self.starts_at, self.ends_at).total_seconds() // 60)


class KitItem(models.Model):
    class Category(models.TextChoices):
        MINI_TRACTOR = "mini_tractor", "Mini police tractor"
        TRACTOR = "tractor", "Tractor"
        TRAILER = "trailer", "Trailer"
        VEHICLE = "vehicle", "Liveried vehicle"
        GAZEBO = "gazebo", "Gazebo"
        DISPLAY = "display", "Display boards"
        PROPERTY_MARKING = "property_marking", "Property-marking kit"
        LEAFLETS = "leaflets", "Leaflets"
        OTHER = "other", "Other"

    class Condition(models.TextChoices):
        READY = "ready", "Ready"
        NEEDS_REPAIR = "needs_repair", "Needs repair"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=150)
    asset_tag = models.CharField(max_length=40, unique=True, null=True, blank=True)
    category = models.CharField(max_length=30, choices=Category.choices)
    condition = models.CharField(max_length=20, choices=Condition.choices, default=Condition.READY)
    consumable = models.BooleanField(default=False)
    quantity = models.PositiveIntegerField(default=1, help_text="Stock held (1 for unique items)")
    provenance = models.TextField(blank=True)
    donor = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="donated_kit"
    )
    storage_location = models.CharField(max_length=150, blank=True)
    requires_qualification = models.ForeignKey(
        Qualification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requires_kit = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="required_by"
    )

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consumable=True) | Q(quantity=1), name="kit_unique_item_quantity_one"
            ),
            models.CheckConstraint(
                condition=Q(consumable=True) | Q(asset_tag__isnull=False),
                name="kit_unique_item_has_asset_tag",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.asset_tag})" if self.asset_tag else self.name

    @property
    def bookable(self):
        return self.condition == self.Condition.READY

    @property
    def is_unique(self) -> bool:
        """A unique item (a tractor) has an asset tag and a quantity of 1; a consumable
        (leaflets) has a stock quantity and may have no tag. The one statement of that rule."""
        return not self.consumable

    def clean(self):
        self.asset_tag = self.asset_tag or None
        errors = {}
        if self.is_unique and not self.asset_tag:
            errors["asset_tag"] = "A unique item needs an asset tag."
        if self.is_unique and self.quantity != 1:
            errors["quantity"] = "A unique item has a quantity of 1."
        if errors:
            raise ValidationError(errors)


class KitBookingQuerySet(models.QuerySet):
    def live(self):
        """Bookings that hold their kit: reserved or out, on an event that is not cancelled."""
        return self.filter(status__in=KitBooking.LIVE).exclude(event__status=Event.Status.CANCELLED)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class KitBooking(models.Model):
    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        CHECKED_OUT = "checked_out", "Checked out"
        RETURNED = "returned", "Returned"
        CANCELLED = "cancelled", "Cancelled"

    # The statuses in which a booking holds its kit (the one place that says so).
    LIVE = (Status.RESERVED, Status.CHECKED_OUT)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="kit_bookings")
    item = models.ForeignKey(KitItem, on_delete=models.PROTECT, related_name="bookings")
    quantity = models.PositiveIntegerField(default=1)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RESERVED)
    # Copied from the item when booked: lets PostgreSQL's exclusion constraint (which
    # cannot join) apply to unique items only.
    exclusive = models.BooleanField(default=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    condition_on_return = models.CharField(
        max_length=20, choices=KitItem.Condition.choices, blank=True
    )
    return_notes = models.TextField(blank=True)
    # Cancelled by cancelling the event: reinstating the event brings it back where still free.
    released_with_event = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = KitBookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["item", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="kit_booking_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="kit_booking_quantity_min"),
        ]

    def __str__(self):
        return f"{self.item} for {self.event}"

    @property
    def is_live(self):
        return self.status in self.LIVE


class EngagementLogQuerySet(models.QuerySet):
    def current(self):
        """Entries that count: removal is recorded, never erased."""
        return self.filter(removed_at__isnull=True)


class EngagementLog(models.Model):
    """One append-only fact recorded at an event; a tally tap is one small entry."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="logs")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="logs")
    recorded_at = models.DateTimeField(default=timezone.now)
    visitors = models.PositiveIntegerField(default=0)
    signups = models.PositiveIntegerField(default=0)
    crime_reports = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    client_ref = models.UUIDField(null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EngagementLogQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [
            models.Index(fields=["event", "recorded_at"]),
            models.Index(fields=["recorded_at"]),
        ]

    def __str__(self):
        return f"{self.visitors} visitors at {self.event} ({self.recorded_at:%Y-%m-%d %H:%M})"


class TopicMention(models.Model):
    log = models.ForeignKey(EngagementLog, on_delete=models.CASCADE, related_name="mentions")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="mentions")
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "topic"], name="mention_once_per_log"),
            models.CheckConstraint(condition=Q(count__gte=1), name="mention_count_min"),
        ]

    def __str__(self):
        return f"{self.topic} ×{self.count}"


# -- Running totals, kept by the database ----------------------------------------------------
# Database triggers keep these two tables equal to sums over the current engagement entries,
# their topic mentions and the unreleased assignments, on SQLite and on PostgreSQL, whatever
# writes the rows (services, admin, bulk_create, a restore). The triggers and what they sum
# are defined once, in events/totals.py, and (re)installed after every ``migrate``; the
# system check events.E001 fails when one is missing. The statistics read these tables so
# that force-wide figures do not re-read every entry; nothing in the application writes them.
# ``manage.py recount_totals`` checks them against the rows (``--fix`` rebuilds them).
class EventTotals(models.Model):
    event = models.OneToOneField(
        Event, primary_key=True, on_delete=models.CASCADE, related_name="totals"
    )
    visitors = models.BigIntegerField(default=0)
    signups = models.BigIntegerField(default=0)
    crime_reports = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)
    officers = models.BigIntegerField(
        default=0, help_text="Distinct officers with an unreleased assignment."
    )
    planned_seconds = models.BigIntegerField(default=0)
    actual_seconds = models.BigIntegerField(default=0, help_text="Where actual hours are recorded.")
    worked_seconds = models.BigIntegerField(
        default=0, help_text="Actual where recorded, else planned."
    )

    class Meta:
        verbose_name_plural = "event totals"

    def __str__(self):
        return f"Totals of event {self.event_id}"


class EventTopicTotals(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="topic_totals")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    mentions = models.BigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "event topic totals"
        constraints = [
            models.UniqueConstraint(fields=["event", "topic"], name="event_topic_totals_once")
        ]

    def __str__(self):
        return f"{self.topic_id} ×{self.mentions} at event {self.event_id}"


class ExportRecord(models.Model):
    """Every export of figures: who, when, which format and filter, how many rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=40, help_text="e.g. engagement.xlsx, debrief.pdf")
    filters = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} by {self.user} at {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"API token for {self.user} (expires {self.expires_at:%Y-%m-%d})"


class CalendarFeed(models.Model):
    """A user's secret calendar-feed key; resetting it makes old feed URLs stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class EventPhoto(models.Model):
    """A photo for an event album, re-encoded without EXIF and stored under a random name."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="photos/")
    thumbnail = models.ImageField(upload_to="photos/thumbs/")
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"Photo of {self.event}"


class AuditEntry(models.Model):
    """One recorded change: who, when, what, and each changed field's before → after."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20)
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    # No database constraint: the history of an erased event stays readable.
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_entries",
    )
    summary = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action} {self.model}"
