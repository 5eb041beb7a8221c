from django.urls import path

from .views import events

urlpatterns = [
    path("", events.home, name="home"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
]
