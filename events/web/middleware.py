import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

from .. import audit

logger = logging.getLogger(__name__)


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
