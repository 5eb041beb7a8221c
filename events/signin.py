"""Sign-in protection helpers for django-axes (settings: AXES_*)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def lockout_username(request, credentials) -> str:
    """Count 'Planner', ' planner ' and 'planner' as one account when locking out."""
    return str((credentials or {}).get("username") or "").strip().lower()


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """The locked-out answer: JSON under /api/ (with Retry-After), a page elsewhere."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": f"Too many failed sign-ins: wait {minutes} minutes and try again."},
            status=429,
        )
    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
