from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .api import api

urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("events.web.urls")),
]
