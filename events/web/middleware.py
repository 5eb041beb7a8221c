import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.html import escape

from .. import audit

logger = logging.getLogger(__name__)
JSON = "application/json; charset=utf-8"


class AuditActorMiddleware:
    """Changes made while handling a request are recorded as made by its signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.acting_as(request)
        try:
            return self.get_response(request)
        finally:
            audit.stop_acting(token)


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, answer 503 (JSON for the API), never a traceback.

    Connections are opened per request, so the next request after the database is back
    simply works: no restart needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception)
        return unavailable(request)


def unavailable(request):
    message = "The database is unavailable just now; please try again in a minute."
    if request.path.startswith("/api/") or request.path.startswith("/healthz"):
        response = JsonResponse({"status": "unavailable", "detail": message}, status=503)
    else:
        response = HttpResponse(
            f"<!doctype html><title>Outreach is unavailable</title><h1>Sorry</h1><p>{message}</p>",
            status=503,
        )
    response["Retry-After"] = "30"
    return response


# Views that refuse an oversized body themselves, unread, by its Content-Length and with a
# friendlier page (the import page names its own, smaller limit).
OWN_LIMIT_VIEWS = {"import_upload"}

# Room for a multipart body's other fields and part headers beside a file of the full size.
MULTIPART_ROOM = 64 * 1024


def body_limit(request) -> tuple[int, int]:
    """The largest body this request may send, and the limit to name: ``UPLOAD_MAX_BYTES``
    for a file upload (multipart/form-data), ``BODY_MAX_BYTES`` for any other body."""
    if request.content_type == "multipart/form-data":
        return settings.UPLOAD_MAX_BYTES + MULTIPART_ROOM, settings.UPLOAD_MAX_BYTES
    return settings.BODY_MAX_BYTES, settings.BODY_MAX_BYTES


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:g} MB" if count >= 1024 * 1024 else f"{count / 1024:g} KB"


class RequestSizeLimitMiddleware:
    """Refuse a body larger than its limit from its Content-Length, before anything reads it
    (413: JSON under /api/, a page elsewhere). First in MIDDLEWARE, so no middleware reads or
    spools the body first. Django's own limits (DATA_UPLOAD_MAX_*) still apply after this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return too_large(request, "The Content-Length header is not a number.", status=400)
        if length < 0:
            return too_large(request, "The Content-Length header is not a number.", status=400)
        limit, named = body_limit(request)
        if length > limit and not _refuses_itself(request):
            return too_large(
                request, f"The request body is too large; the limit is {_size(named)}."
            )
        return self.get_response(request)


def _refuses_itself(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in OWN_LIMIT_VIEWS


def too_large(request, message: str, status: int = 413):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status, content_type=JSON)
    title = "Too large" if status == 413 else "Bad request"
    return HttpResponse(
        f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{escape(message)}</p>"
        '<p><a href="/">Back to Outreach</a></p>',
        status=status,
    )
