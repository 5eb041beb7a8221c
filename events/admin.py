from django import forms
from django.contrib import admin

from . import conflicts, models
from .services.engagement import engagement_log_restore
from .services.people import officer_anonymise


class AssignmentAdminForm(forms.ModelForm):
    """The admin refuses the same clashes as every other screen (events.conflicts)."""

    class Meta:
        model = models.Assignment
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin decides which fields show

    def clean(self):
        data = super().clean()
        officer, start, end = data.get("officer"), data.get("starts_at"), data.get("ends_at")
        if officer and start and end and not data.get("released"):
            found = conflicts.officer_conflicts(
                officer, start, end, exclude_assignment=self.instance.pk
            )
            if found:
                raise forms.ValidationError([c.message for c in found])
        return data


class KitBookingAdminForm(forms.ModelForm):
    class Meta:
        model = models.KitBooking
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin decides which fields show

    def clean(self):
        data = super().clean()
        item, start, end = data.get("item"), data.get("starts_at"), data.get("ends_at")
        live = data.get("status") in {"reserved", "checked_out"}
        if item and start and end and live:
            found = conflicts.kit_conflicts(
                item, data.get("quantity") or 1, start, end, exclude_booking=self.instance.pk
            )
            if found:
                raise forms.ValidationError([c.message for c in found])
        return data

    def save(self, commit=True):
        self.instance.exclusive = not self.instance.item.consumable
        return super().save(commit)


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "area"]
    search_fields = ["name", "short_name", "area"]


@admin.register(models.Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.action(description="Anonymise the selected officers (leavers): figures are kept")
def anonymise_officers(modeladmin, request, queryset):
    for officer in queryset:
        officer_anonymise(officer=officer)


@admin.register(models.Officer)
class OfficerAdmin(admin.ModelAdmin):
    actions = [anonymise_officers]
    list_display = ["name", "shoulder_number", "rank", "team", "active", "user"]
    list_filter = ["active", "rank", "team", "qualifications"]
    search_fields = ["name", "shoulder_number", "email"]
    filter_horizontal = ["qualifications"]
    raw_id_fields = ["user"]


@admin.register(models.Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["officer", "kind", "starts_at", "ends_at"]
    list_filter = ["kind"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["officer"]


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


class AssignmentInline(admin.TabularInline):
    model = models.Assignment
    form = AssignmentAdminForm
    extra = 0
    raw_id_fields = ["officer"]


class KitBookingInline(admin.TabularInline):
    model = models.KitBooking
    form = KitBookingAdminForm
    extra = 0
    raw_id_fields = ["item"]
    exclude = ["created_by", "exclusive"]


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "ends_at", "event_type", "team", "status", "location"]
    list_filter = ["status", "event_type", "team"]
    search_fields = ["title", "location", "postcode"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["partners", "focus_topics"]
    raw_id_fields = ["lead_officer", "copied_from", "created_by"]
    readonly_fields = ["uid", "sequence", "created_at", "updated_at"]
    inlines = [AssignmentInline, KitBookingInline]


@admin.register(models.Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentAdminForm
    list_display = ["officer", "event", "role", "starts_at", "ends_at", "released"]
    list_filter = ["role", "released"]
    search_fields = ["officer__name", "event__title"]
    raw_id_fields = ["officer", "event"]
    date_hierarchy = "starts_at"


@admin.register(models.KitItem)
class KitItemAdmin(admin.ModelAdmin):
    list_display = ["name", "asset_tag", "category", "condition", "consumable", "quantity", "donor"]
    list_filter = ["category", "condition", "consumable"]
    search_fields = ["name", "asset_tag", "provenance"]


@admin.register(models.KitBooking)
class KitBookingAdmin(admin.ModelAdmin):
    form = KitBookingAdminForm
    list_display = ["item", "event", "quantity", "starts_at", "ends_at", "status"]
    list_filter = ["status", "item__category"]
    search_fields = ["item__name", "event__title"]
    raw_id_fields = ["item", "event", "created_by"]
    date_hierarchy = "starts_at"


class TopicMentionInline(admin.TabularInline):
    model = models.TopicMention
    extra = 0


@admin.action(description="Restore the selected removed entries")
def restore_entries(modeladmin, request, queryset):
    for entry in queryset.filter(removed_at__isnull=False):
        engagement_log_restore(log=entry)


@admin.register(models.EngagementLog)
class EngagementLogAdmin(admin.ModelAdmin):
    actions = [restore_entries]
    list_display = ["event", "officer", "recorded_at", "visitors", "signups", "crime_reports"]
    list_filter = ["removed_at"]
    search_fields = ["event__title", "officer__name", "notes"]
    raw_id_fields = ["event", "officer", "created_by", "removed_by"]
    date_hierarchy = "recorded_at"
    readonly_fields = ["client_ref", "created_at"]
    inlines = [TopicMentionInline]


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
    list_display = ["event", "caption", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["event", "uploaded_by"]


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
