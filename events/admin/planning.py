"""Events, their staffing and kit, and the kit register in the admin, through the services.

An event's status is read-only and changes by actions (confirm, complete, cancel after a
confirmation page, reinstate). Staffing and kit rows are added or removed, never edited in place.
"""

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.template.response import TemplateResponse

from .. import models
from ..services import events as event_services
from ..services.kit import kit_book, kit_booking_cancel, kit_item_save
from ..services.staffing import assignment_add, assignment_remove
from ..time import window
from .saving import (
    OptionalWindow,
    ServiceAdmin,
    ServiceInline,
    ServiceInlineFormSet,
    for_each,
    refusing,
)

EVERYWHERE = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
EVENT_FIELDS = [name for name in event_services.EVENT_FIELDS if name != "status"]


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
    for_each(
        modeladmin,
        request,
        queryset,
        lambda event: event_services.event_set_status(event=event, status="confirmed"),
        "{count} confirmed.",
    )


@admin.action(description="Mark the selected events completed", location=EVERYWHERE)
def complete_events(modeladmin, request, queryset):
    for_each(
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
        for_each(
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
            "window": window(event.starts_at, event.ends_at),
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

    for_each(modeladmin, request, queryset, reinstate, "{count} reinstated as drafts.")


@admin.register(models.Event)
class EventAdmin(ServiceAdmin):
    actions = [confirm_events, complete_events, cancel_events, reinstate_events]
    list_display = ["title", "starts_at", "ends_at", "event_type", "team", "status", "location"]
    list_filter = ["status", "event_type", "team"]
    search_fields = ["title", "location", "postcode"]
    date_hierarchy = "starts_at"
    fields = [
        "status",
        *EVENT_FIELDS,
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
    for_each(
        modeladmin,
        request,
        queryset.select_related("event", "officer"),
        lambda assignment: assignment_remove(assignment=assignment),
        "{count} taken off.",
    )


class AddOnlyAdmin(OptionalWindow, ServiceAdmin):
    """Rows added through a service (``add``), taken off by an action; never edited here."""

    date_hierarchy = "starts_at"

    def add(self, event, data, request):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with refusing():
            obj.pk = self.add(form.cleaned_data["event"], form.cleaned_data, request).pk
        obj.refresh_from_db()


@admin.register(models.Assignment)
class AssignmentAdmin(AddOnlyAdmin):
    """Add through the service, take off by the action; the event page's inline does both."""

    actions = [remove_assignments]
    fields = ["event", "officer", "role", "starts_at", "ends_at", "released"]
    readonly_fields = ["released"]
    list_display = ["officer", "event", "role", "starts_at", "ends_at", "released"]
    list_filter = ["role", "released"]
    search_fields = ["officer__name", "event__title"]
    raw_id_fields = ["officer", "event"]
    add = staticmethod(assign_from)


@admin.action(description="Cancel the selected kit bookings")
def cancel_bookings(modeladmin, request, queryset):
    for_each(
        modeladmin,
        request,
        queryset.select_related("item", "event"),
        lambda booking: kit_booking_cancel(booking=booking),
        "{count} cancelled.",
    )


@admin.register(models.KitBooking)
class KitBookingAdmin(AddOnlyAdmin):
    """Book through the service, cancel by the action; the event page's inline does both."""

    actions = [cancel_bookings]
    fields = ["event", "item", "quantity", "starts_at", "ends_at", "status"]
    readonly_fields = ["status"]
    list_display = ["item", "event", "quantity", "starts_at", "ends_at", "status"]
    list_filter = ["status", "item__category"]
    search_fields = ["item__name", "event__title"]
    raw_id_fields = ["item", "event"]
    add = staticmethod(book_from)


@admin.register(models.KitItem)
class KitItemAdmin(ServiceAdmin):
    list_display = ["name", "asset_tag", "category", "condition", "consumable", "quantity", "donor"]
    list_filter = ["category", "condition", "consumable"]
    search_fields = ["name", "asset_tag", "provenance"]

    def save_model(self, request, obj, form, change):
        with refusing():
            kit_item_save(item=obj)
