"""What officers and managers were told by e-mail: shift notices (with the calendar identity
of each shift) and monthly digests. A row is written in the same transaction as the change it
announces, and a task sends it after the commit (``events.notifications``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .planning import Event, Officer


class ShiftNotice(models.Model):
    """One e-mail about one shift. The shift's calendar identity is ``uid`` (stable for the
    assignment) and ``sequence`` (one more for every change; a reminder repeats the current
    one). What the e-mail says (title, place, window, role) is copied here, because a removed
    shift's row may be gone by the time the task sends it."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        MOVED = "moved", "Shift moved"
        REMOVED = "removed", "Taken off"
        CANCELLED = "cancelled", "Event cancelled"
        REMINDER = "reminder", "Reminder"

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="shift_notices")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Not a foreign key: the notice of a removal outlives the assignment it was about.
    assignment_id = models.PositiveBigIntegerField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    uid = models.CharField(max_length=200)
    sequence = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    location = models.CharField(max_length=220, blank=True)
    role = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Each change of a shift has its own SEQUENCE.
            models.UniqueConstraint(
                fields=["uid", "sequence"],
                condition=~Q(kind="reminder"),
                name="shift_notice_one_change_per_sequence",
            ),
            # The evening-before reminder is sent once per shift start.
            models.UniqueConstraint(
                fields=["assignment_id", "starts_at"],
                condition=Q(kind="reminder"),
                name="shift_notice_one_reminder_per_shift",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} for {self.officer_id}"

    @property
    def withdrawn(self) -> bool:
        """The calendar entry is cancelled (METHOD:CANCEL) rather than requested."""
        return self.kind in {self.Kind.REMOVED, self.Kind.CANCELLED}


class MonthlyDigest(models.Model):
    """The month's figures e-mailed to one manager: at most once per month and person."""

    month = models.DateField(help_text="The first day of the month")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monthly_digests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["month", "user"], name="monthly_digest_once")
        ]

    def __str__(self):
        return f"Digest {self.month:%Y-%m} for {self.user}"
