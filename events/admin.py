"""The admin site. Every change to events, staffing, kit, officers and engagement entries goes
through the same services as the web pages and the API (events/services).

An event's status is read-only here and changes by actions (confirm, complete, cancel with a
confirmation page, reinstate). Staffing and kit rows on an event are added or removed, never
edited in place. When a service refuses a save, the whole save is rolled back and the page is
shown again with the refusal on the form, or on the inline row it concerns.
"""

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse

from . import conflicts, models
from .services import ConflictError
from .services import events as event_services
from .services.engagement import engagement_log_remove, engagement_log_restore
from .services.kit import kit_book, kit_booking_cancel, kit_item_save
from .services.officers import officer_save
from .services.people import officer_anonymise
from .services.staffing import assignment_add, assignment_remove

EVERYWHERE = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
EVENT_FIELDS = [name for name in event_services.EVENT_FIELDS if name != "status"]
WINDOW_FIELDS = {"starts_at", "ends_at"}


# ---- refusals: a service said no while the admin was saving --------------------------------


class Refused(Exception):
    """A service refused part of a save. ``prefix`` names the inline formset (None: the main
    form) and ``row`` the index of its form; ``removal`` says the row was being removed."""

    def __init__(self, error, *, prefix=None, row=None, removal=False):
        super().__init__(" ".join(refusal_messages(error)))
        self.error, self.prefix, self.row, self.removal = error, prefix, row, removal


@contextmanager
def refusing(prefix=None, row=None, *, removal=False):
    try:
        yield
    except (ValidationError, ConflictError) as error:
        raise Refused(error, prefix=prefix, row=row, removal=removal) from error


def refusal_messages(error) -> list[str]:
    if isinstance(error, ConflictError):
        return [conflict.message for conflict in error.conflicts]
    return error.messages


def show_refusal(form, error) -> None:
    """Put a service's refusal on a form: field errors where the field is on it."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal_messages(error))


class ServiceForm(forms.ModelForm):
    """Checks the input; the service checks the rules when the admin saves. On the second
    showing of a refused page, ``refusal`` holds the service's reasons."""

    refusal = None

    def clean(self):
        data = super().clean()
        if self.refusal is not None:
            show_refusal(self, self.refusal)
        return data

    def validate_constraints(self):
        # The service validates the model's constraints, with messages that say what is wrong.
        pass


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose save_model calls a service inside ``refusing()``.

    The admin saves inside one transaction; a refusal raised there leaves it and rolls
    everything back. The page is then built again from the same input, and this time
    validation fails with the refusal where it belongs, so nothing is saved.
    """

    form = ServiceForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            request.admin_refusal = refused
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "admin_refusal", None)
        if refused is not None and refused.prefix is None:
            form = type(form.__name__, (form,), {"refusal": refused.error})
        return form

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): save_model handed the many-to-many fields to the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """Inline rows through the services: removals first, then additions."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        removed = formset.deleted_forms
        for index, row in enumerate(formset.initial_forms):
            if row in removed:
                with refusing(formset.prefix, index, removal=True):
                    formset.remove_row(request, row.instance)
                formset.deleted_objects.append(row.instance)
        for index, row in enumerate(formset.extra_forms, start=formset.initial_form_count()):
            if row.has_changed() and row not in removed:
                with refusing(formset.prefix, index):
                    formset.new_objects.append(formset.add_row(request, row.cleaned_data))


class ServiceInlineFormSet(BaseInlineFormSet):
    """Rows are added with ``add_row`` and removed with ``remove_row`` (service calls)."""

    refusal: Refused | None = None

    def clean(self):
        super().clean()
        refused = self.refusal
        if refused is None or refused.prefix != self.prefix:
            return
        row = self.forms[refused.row]
        if not refused.removal:
            show_refusal(row, refused.error)
            return
        # A row being removed is not validated, so its refusal goes above the table.
        raise ValidationError([f"{row.instance}: {m}" for m in refusal_messages(refused.error)])

    def add_row(self, request, data):
        raise NotImplementedError

    def remove_row(self, request, instance):
        raise NotImplementedError


class OptionalWindow:
    """Blank start and end: the event's own times, as the services default them."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in WINDOW_FIELDS:
            kwargs.update(required=False, help_text="Blank: the event's own.")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ServiceInline(OptionalWindow, admin.TabularInline):
    """Rows are added and removed through the services; existing rows are read-only (no
    service edits a kit booking's window, and one way to change staffing is enough here)."""

    form = ServiceForm
    formset = ServiceInlineFormSet
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        refused = getattr(request, "admin_refusal", None)
        if refused is not None and refused.prefix is not None:
            formset = type(formset.__name__, (formset,), {"refusal": refused})
        return formset


def _each(modeladmin, request, queryset, change, done: str) -> None:
    """Apply a service to each selected object; say what was done and what was refused."""
    count = 0
    for obj in queryset:
        try:
            change(obj)
        except (ValidationError, ConflictError) as error:
            text = " ".join(refusal_messages(error))
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)


# ---- events, their staffing and kit -----------------------------------------------------


def assign_from(event, data, request):
    return assignment_add(
        event=event,
        officer=data["officer"],
        role=data["role"],
        starts_at=data.get("starts_at"),
        ends_at=data.get("ends_at"),
    )


def book_from(event, data, request):
    return kit_book(
        event=event,
        item=data["item"],
        quantity=data.get("quantity") or 1,
        starts_at=data.get("starts_at"),
        ends_at=data.get("ends_at"),
        user=request.user,
    )


class AssignmentFormSet(ServiceInlineFormSet):
    def add_row(self, request, data):
        return assign_from(self.instance, data, request)

    def remove_row(self, request, instance):
        assignment_remove(assignment=models.Assignment.objects.get(pk=instance.pk))


class KitBookingFormSet(ServiceInlineFormSet):
    def add_row(self, request, data):
        return book_from(self.instance, data, request)

    def remove_row(self, request, instance):
        # A kit booking is cancelled, not erased: it stays on the event's record.
        kit_booking_cancel(booking=models.KitBooking.objects.get(pk=instance.pk))


class AssignmentInline(ServiceInline):
    model = models.Assignment
    formset = AssignmentFormSet
    fields = ["officer", "role", "starts_at", "ends_at", "released"]
    readonly_fields = ["released"]
    raw_id_fields = ["officer"]


class KitBookingInline(ServiceInline):
    model = models.KitBooking
    formset = KitBookingFormSet
    fields = ["item", "quantity", "starts_at", "ends_at", "status"]
    readonly_fields = ["status"]
    raw_id_fields = ["item"]
    verbose_name_plural = "Kit bookings (deleting a booking cancels it)"


@admin.action(description="Confirm the selected events", location=EVERYWHERE)
def confirm_events(modeladmin, request, queryset):
    _each(
        modeladmin,
        request,
        queryset,
        lambda event: event_services.event_set_status(event=event, status="confirmed"),
        "{count} confirmed.",
    )


@admin.action(description="Mark the selected events completed", location=EVERYWHERE)
def complete_events(modeladmin, request, queryset):
    _each(
        modeladmin,
        request,
        queryset,
        lambda event: event_services.event_set_status(event=event, status="completed"),
        "{count} marked completed.",
    )


@admin.action(
    description="Cancel the selected events (releases officers and kit)", location=EVERYWHERE
)
def cancel_events(modeladmin, request, queryset):
    """First a page saying what each event releases; the cancelling on its confirmation."""
    if request.POST.get("confirm") == "yes":
        _each(
            modeladmin,
            request,
            queryset,
            lambda event: event_services.event_set_status(event=event, status="cancelled"),
            "{count} cancelled: their officers and kit are released.",
        )
        return None
    events = [event for event in queryset if not event.is_cancelled]
    if not events:
        modeladmin.message_user(request, "Those events are already cancelled.", messages.WARNING)
        return None
    rows = [
        {
            "event": event,
            "window": conflicts.window(event.starts_at, event.ends_at),
            **event_services.cancel_releases(event),
        }
        for event in events
    ]
    return TemplateResponse(
        request,
        "admin/events/event/cancel_confirmation.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Cancel these events?",
            "opts": modeladmin.model._meta,
            "rows": rows,
            "action_name": "cancel_events",
        },
    )


@admin.action(description="Reinstate the selected cancelled events as drafts", location=EVERYWHERE)
def reinstate_events(modeladmin, request, queryset):
    def reinstate(event):
        _event, unfilled = event_services.event_reinstate(event=event, user=request.user)
        for conflict in unfilled:
            modeladmin.message_user(
                request, f"{event}: not brought back: {conflict.message}", messages.WARNING
            )

    _each(modeladmin, request, queryset, reinstate, "{count} reinstated as drafts.")


@admin.register(models.Event)
class EventAdmin(ServiceAdmin):
    actions = [confirm_events, complete_events, cancel_events, reinstate_events]
    list_display = ["title", "starts_at", "ends_at", "event_type", "team", "status", "location"]
    list_filter = ["status", "event_type", "team"]
    search_fields = ["title", "location", "postcode"]
    date_hierarchy = "starts_at"
    fields = [
        *EVENT_FIELDS[:4],
        "status",
        *EVENT_FIELDS[4:],
        "partners",
        "focus_topics",
        "copied_from",
        "uid",
        "sequence",
        "created_by",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["partners", "focus_topics"]
    raw_id_fields = ["lead_officer"]
    readonly_fields = [
        "status",
        "copied_from",
        "uid",
        "sequence",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [AssignmentInline, KitBookingInline]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        names = form.changed_data if change else list(data)
        values = {name: data[name] for name in names if name in EVENT_FIELDS}
        related = {name: data[name] for name in names if name in {"partners", "focus_topics"}}
        with refusing():
            if not change:
                obj.pk = event_services.event_create(user=request.user, **values, **related).pk
            elif values or related:
                event_services.event_update(event=obj, **values, **related)
        obj.refresh_from_db()
        obj._state.adding = False

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # An event's staffing and kit go with it (event_delete); they need no right of their own.
        perms_needed -= {models.Assignment._meta.verbose_name, models.KitBooking._meta.verbose_name}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        event_services.event_delete(event=obj)

    def delete_queryset(self, request, queryset):
        for event in queryset:
            event_services.event_delete(event=event)


@admin.action(description="Take the selected officers off their events")
def remove_assignments(modeladmin, request, queryset):
    _each(
        modeladmin,
        request,
        queryset.select_related("event", "officer"),
        lambda assignment: assignment_remove(assignment=assignment),
        "{count} taken off.",
    )


@admin.register(models.Assignment)
class AssignmentAdmin(OptionalWindow, ServiceAdmin):
    """Add through the service, take off by the action; the event page's inline does both."""

    actions = [remove_assignments]
    fields = ["event", "officer", "role", "starts_at", "ends_at", "released"]
    readonly_fields = ["released"]
    list_display = ["officer", "event", "role", "starts_at", "ends_at", "released"]
    list_filter = ["role", "released"]
    search_fields = ["officer__name", "event__title"]
    raw_id_fields = ["officer", "event"]
    date_hierarchy = "starts_at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with refusing():
            obj.pk = assign_from(form.cleaned_data["event"], form.cleaned_data, request).pk
        obj.refresh_from_db()


@admin.action(description="Cancel the selected kit bookings")
def cancel_bookings(modeladmin, request, queryset):
    _each(
        modeladmin,
        request,
        queryset.select_related("item", "event"),
        lambda booking: kit_booking_cancel(booking=booking),
        "{count} cancelled.",
    )


@admin.register(models.KitBooking)
class KitBookingAdmin(OptionalWindow, ServiceAdmin):
    """Book through the service, cancel by the action; the event page's inline does both."""

    actions = [cancel_bookings]
    fields = ["event", "item", "quantity", "starts_at", "ends_at", "status"]
    readonly_fields = ["status"]
    list_display = ["item", "event", "quantity", "starts_at", "ends_at", "status"]
    list_filter = ["status", "item__category"]
    search_fields = ["item__name", "event__title"]
    raw_id_fields = ["item", "event"]
    date_hierarchy = "starts_at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with refusing():
            obj.pk = book_from(form.cleaned_data["event"], form.cleaned_data, request).pk
        obj.refresh_from_db()


@admin.register(models.KitItem)
class KitItemAdmin(ServiceAdmin):
    list_display = ["name", "asset_tag", "category", "condition", "consumable", "quantity", "donor"]
    list_filter = ["category", "condition", "consumable"]
    search_fields = ["name", "asset_tag", "provenance"]

    def save_model(self, request, obj, form, change):
        with refusing():
            kit_item_save(item=obj)


# ---- officers ------------------------------------------------------------------------------


@admin.action(description="Anonymise the selected officers (leavers): figures are kept")
def anonymise_officers(modeladmin, request, queryset):
    for officer in queryset:
        officer_anonymise(officer=officer)


@admin.register(models.Officer)
class OfficerAdmin(ServiceAdmin):
    actions = [anonymise_officers]
    list_display = ["name", "shoulder_number", "rank", "team", "active", "user"]
    list_filter = ["active", "rank", "team", "qualifications"]
    search_fields = ["name", "shoulder_number", "email"]
    filter_horizontal = ["qualifications"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        with refusing():
            officer_save(officer=obj, qualifications=form.cleaned_data.get("qualifications"))


@admin.register(models.Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["officer", "kind", "starts_at", "ends_at"]
    list_filter = ["kind"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["officer"]


# ---- engagement entries: facts logged at the stand, removed and restored, never edited here --


class TopicMentionInline(admin.TabularInline):
    model = models.TopicMention
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description="Remove the selected entries (they stop counting; can be restored)")
def remove_entries(modeladmin, request, queryset):
    for entry in queryset.filter(removed_at__isnull=True):
        engagement_log_remove(log=entry, user=request.user)


@admin.action(description="Restore the selected removed entries")
def restore_entries(modeladmin, request, queryset):
    for entry in queryset.filter(removed_at__isnull=False):
        engagement_log_restore(log=entry)


@admin.register(models.EngagementLog)
class EngagementLogAdmin(admin.ModelAdmin):
    """Read-only: entries are logged at the stand and corrected on the event's entries page,
    where the services apply the same rules to everyone."""

    actions = [remove_entries, restore_entries]
    list_display = ["event", "officer", "recorded_at", "visitors", "signups", "crime_reports"]
    list_filter = ["removed_at"]
    search_fields = ["event__title", "officer__name", "notes"]
    date_hierarchy = "recorded_at"
    inlines = [TopicMentionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---- reference lists and records -----------------------------------------------------------


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "area"]
    search_fields = ["name", "short_name", "area"]


@admin.register(models.Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.EventType)
class EventTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class TopicInline(admin.TabularInline):
    model = models.Topic
    extra = 0


@admin.register(models.TopicList)
class TopicListAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    inlines = [TopicInline]


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "topic_list", "active", "position"]
    list_filter = ["topic_list", "active"]
    search_fields = ["name", "slug"]


@admin.register(models.ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "user", "rows"]
    list_filter = ["kind"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "created_at", "kind", "filters", "rows"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["user", "digest", "created_at", "expires_at", "last_used_at"]


@admin.register(models.EventPhoto)
class EventPhotoAdmin(admin.ModelAdmin):
    """Photos are added on the event's page (photo_add re-encodes them without EXIF)."""

    list_display = ["event", "caption", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "model", "object_id", "summary"]
    list_filter = ["action", "model"]
    search_fields = ["actor_name", "summary", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
