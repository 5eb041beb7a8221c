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

# Django's own error answers (a body it will not read, an unknown path, a crash): JSON under
# /api/, the usual pages elsewhere.
handler400 = "events.api.errors.bad_request"
handler403 = "events.api.errors.permission_denied"
handler404 = "events.api.errors.page_not_found"
handler500 = "events.api.errors.server_error"
