"""Officers, engagement entries, reference lists and records in the admin."""

from django.contrib import admin

from .. import models
from ..services import photos as photo_services
from ..services.areas import area_save
from ..services.engagement import engagement_log_remove, engagement_log_restore
from ..services.officers import officer_save
from ..services.people import officer_anonymise
from .saving import ServiceAdmin, refusing

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
    # The officer's own choice, made on "My events" (not the administrator's).
    readonly_fields = ["shift_reminders"]

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


@admin.register(models.Area)
class AreaAdmin(ServiceAdmin):
    """Postcode districts: what coverage ("where haven't we been?") lists."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        with refusing():
            area_save(area=obj)


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

    def delete_model(self, request, obj):
        photo_services.photo_delete(photo=obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            photo_services.photo_delete(photo=photo)


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


class SentRecordAdmin(admin.ModelAdmin):
    """What the app e-mailed: written by the services and the tasks, never by hand here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.ShiftNotice)
class ShiftNoticeAdmin(SentRecordAdmin):
    list_display = ["created_at", "kind", "officer", "title", "starts_at", "sequence", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["title", "officer__name", "officer__shoulder_number"]
    date_hierarchy = "created_at"
    list_select_related = ["officer"]


@admin.register(models.MonthlyDigest)
class MonthlyDigestAdmin(SentRecordAdmin):
    list_display = ["month", "user", "created_at", "sent_at"]
    date_hierarchy = "month"
    list_select_related = ["user"]
