"""Planning further ahead and reaching further: series of repeating events, the postcode
districts coverage is counted in, and the stand codes whose scans and follow-throughs count
what happens on visitors' own phones."""

import secrets

from django.conf import settings
from django.db import models

# No 0/O, 1/I/L: a code read off a poster by eye is not misread.
STAND_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
STAND_CODE_LENGTH = 10  # about 49 bits: not guessable by trying


def new_stand_code() -> str:
    return "".join(secrets.choice(STAND_CODE_ALPHABET) for _ in range(STAND_CODE_LENGTH))


class Series(models.Model):
    """Events that repeat, made from one event; each occurrence is a full event."""

    class Every(models.TextChoices):
        WEEK = "week", "Every week"
        TWO_WEEKS = "2 weeks", "Every 2 weeks"
        FOUR_WEEKS = "4 weeks", "Every 4 weeks"
        MONTH = "month", "Monthly, on the same weekday"

    every = models.CharField(max_length=10, choices=Every.choices)
    origin = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    until = models.DateField(null=True, blank=True)
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["-created_at"]

    def __str__(self):
        title = self.origin.title if self.origin_id else f"Series {self.pk}"
        return f"{title} ({self.get_every_display().lower()})"


class Area(models.Model):
    """A postcode district (the outward code: AL3, SG12, WD4) with a name."""

    code = models.CharField(max_length=4, unique=True, help_text="Outward code, e.g. AL3")
    name = models.CharField(max_length=200, help_text="Places in the district")

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class StandHit(models.Model):
    """A scan of an event's stand code, or a follow-through from its public page: the event
    and the time only (no address, no person)."""

    class Kind(models.TextChoices):
        SCAN = "scan", "Scan"
        SIGNUP = "signup", "Community messages link followed"
        REPORT = "report", "Report rural crime link followed"

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="stand_hits")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["event", "kind"], name="stand_hit_event_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.event_id} ({self.at:%Y-%m-%d %H:%M})"
