from django.urls import path

from .views import events, kit, officers, planning

urlpatterns = [
    path("", events.home, name="home"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
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
]
