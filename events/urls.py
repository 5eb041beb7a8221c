from django.urls import path

from .views import calendar, events, imports, kit, officers, planning
from .views import reports as report_views

urlpatterns = [
    path("", events.home, name="home"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/debrief.pdf", report_views.event_debrief, name="event_debrief"),
    path("dashboard/", report_views.dashboard, name="dashboard"),
    path("reports/engagement.xlsx", report_views.engagement_xlsx, name="report_engagement_xlsx"),
    path("reports/engagement.pdf", report_views.engagement_pdf, name="report_engagement_pdf"),
    path("events/new/", planning.event_create, name="event_create"),
    path("events/<int:pk>/edit/", planning.event_edit, name="event_edit"),
    path("events/<int:pk>/status/", planning.event_status, name="event_status"),
    path("events/<int:pk>/copy/", planning.event_copy, name="event_copy"),
    path("events/<int:pk>/staff/", planning.event_staff, name="event_staff"),
    path(
        "events/<int:pk>/staff/<int:assignment_id>/remove/",
        planning.assignment_remove,
        name="assignment_remove",
    ),
    path("events/<int:pk>/kit/", planning.event_kit, name="event_kit"),
    path(
        "events/<int:pk>/kit/<int:booking_id>/<str:action>/",
        planning.booking_action,
        name="booking_action",
    ),
    path("kit/", kit.kit_list, name="kit_list"),
    path("kit/new/", kit.kit_edit, name="kit_create"),
    path("kit/<int:pk>/edit/", kit.kit_edit, name="kit_edit"),
    path("kit/availability/", kit.kit_availability, name="kit_availability"),
    path("officers/", officers.officer_list, name="officer_list"),
    path("calendar/", calendar.month, name="calendar_month"),
    path("calendar/<int:year>/<int:month>/", calendar.month, name="calendar_month"),
    path("calendar/week/", calendar.week, name="calendar_week"),
    path("calendar/week/<int:year>/<int:month>/<int:day>/", calendar.week, name="calendar_week"),
    path("calendar/feeds/", calendar.feeds, name="calendar_feeds"),
    path("calendar/feeds/reset/", calendar.feeds_reset, name="calendar_feeds_reset"),
    path("calendar/feed/<slug:key>/mine.ics", calendar.feed_mine, name="calendar_feed_mine"),
    path(
        "calendar/feed/<slug:key>/team/<int:team_id>.ics",
        calendar.feed_team,
        name="calendar_feed_team",
    ),
    path(
        "calendar/feed/<slug:key>/kit/<int:item_id>.ics",
        calendar.feed_kit,
        name="calendar_feed_kit",
    ),
    path("import/", imports.index, name="import_index"),
    path("import/<slug:kind>/", imports.upload, name="import_upload"),
    path("import/<slug:kind>/confirm/", imports.confirm, name="import_confirm"),
    path("import/<slug:kind>/template.csv", imports.template, name="import_template"),
]
