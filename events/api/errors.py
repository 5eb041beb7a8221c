"""Every error the API gives is JSON with a human-readable ``detail`` (shared/API.md).

Service refusals map to statuses here, once: Django's ``ValidationError`` → 422 naming the
field, ``ConflictError`` → 409 with ``conflicts``, ``Http404`` → 404, ``PermissionDenied``
→ 403. Unknown paths and methods under /api/ answer JSON too, never an HTML page.
"""

import functools
import json

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views import defaults
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ..services import ConflictError

JSON = "application/json; charset=utf-8"

# The statuses every signed-in operation may answer, for the OpenAPI document.
GUARDED = (401, 403)


def responses(ok: dict, *errors: int) -> dict:
    """``response=`` for an operation: its successes plus the listed error statuses, and 429
    (every operation is under the API-wide per-address throttle, events/api/throttling.py)."""
    from .schemas import ConflictOut, Error

    out = dict(ok)
    for status in (*errors, 429):
        out[status] = ConflictOut if status == 409 else Error
    return out


def _json(api: NinjaAPI, request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _field_of(loc) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        # ("body", "<parameter name>", "field", …): the parameter name means nothing to clients.
        parts = parts[2:] or ["body"]
    elif len(parts) > 1:
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


FRIENDLIER = {
    "extra_forbidden": "Unknown field: it is not accepted here.",
    "timezone_aware": "Give the time with its UTC offset, e.g. 2026-07-04T09:00:00+01:00.",
}


def _message_of(error: dict) -> str:
    if error.get("type") in FRIENDLIER:
        return FRIENDLIER[error["type"]]
    message = error.get("msg", "Invalid value.")
    return message.removeprefix("Value error, ")


def _field_errors_response(api, request, errors: list[dict]):
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return _json(api, request, 422, detail or "Invalid input.", errors=errors)


def on_ninja_validation(api, request, exc: NinjaValidationError):
    errors = [{"field": _field_of(e.get("loc", ())), "message": _message_of(e)} for e in exc.errors]
    return _field_errors_response(api, request, errors)


def on_django_validation(api, request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": "body" if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        return _field_errors_response(api, request, errors)
    return _json(api, request, 422, " ".join(exc.messages))


def on_conflict(api, request, exc: ConflictError):
    return _json(
        api, request, 409, str(exc), conflicts=[conflict.as_dict() for conflict in exc.conflicts]
    )


def on_integrity(api, request, exc: IntegrityError):
    # A unique or exclusion constraint caught a race the service's own checks could not see.
    return _json(
        api,
        request,
        409,
        "That clashes with a change saved at the same moment; reload and try again.",
        conflicts=[],
    )


def on_not_found(api, request, exc: Http404):
    message = str(exc)
    return _json(api, request, 404, message if message.endswith(".") else "Not found.")


def on_forbidden(api, request, exc: PermissionDenied):
    return _json(api, request, 403, str(exc) or "You may not do that.")


def on_unauthenticated(api, request, exc: AuthenticationError):
    response = _json(api, request, 401, "Sign in first, or send 'Authorization: Bearer <token>'.")
    response["WWW-Authenticate"] = 'Bearer realm="outreach"'
    return response


def on_http_error(api, request, exc: HttpError):
    if exc.status_code == 400:
        # ninja's only 400 is "Cannot parse request body": invalid input like any other.
        if isinstance(exc.__cause__, RequestDataTooBig):
            message = "The request body is too large."
        else:
            message = "The request body is not valid JSON."
        return _field_errors_response(api, request, [{"field": "body", "message": message}])
    response = _json(api, request, exc.status_code, str(exc))
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


def on_unreadable_body(api, request, exc: Exception):
    """Django refused to read the body (too big, too many fields or files, bad multipart)."""
    status, detail = unreadable_body(exc)
    return _json(api, request, status, detail)


def unreadable_body(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, RequestDataTooBig):
        return 413, "The request body is too large."
    if isinstance(exc, TooManyFieldsSent):
        return 400, "The request has too many fields."
    if isinstance(exc, TooManyFilesSent):
        return 400, "The request has too many files."
    if isinstance(exc, MultiPartParserError):
        return 400, "The request body is not valid multipart/form-data."
    return 400, "The request could not be read."


HANDLERS = {
    NinjaValidationError: on_ninja_validation,
    DjangoValidationError: on_django_validation,
    ConflictError: on_conflict,
    IntegrityError: on_integrity,
    Http404: on_not_found,
    PermissionDenied: on_forbidden,
    AuthenticationError: on_unauthenticated,
    HttpError: on_http_error,
    RequestDataTooBig: on_unreadable_body,
    TooManyFieldsSent: on_unreadable_body,
    TooManyFilesSent: on_unreadable_body,
    MultiPartParserError: on_unreadable_body,
}


# ---- Django's own error views (outreach/urls.py): JSON under /api/, pages elsewhere --------
# Django answers these itself when something before or around the API (a middleware reading
# request.POST, the URL resolver) fails; under /api/ they must be JSON like every other error.


def _json_error(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, content_type=JSON)


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if is_api(request):
        status, detail = unreadable_body(exception)
        return _json_error(detail, status)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        return _json_error(str(exception or "") or "You may not do that.", 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return _json_error("No such API path; see /api/docs.", 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return _json_error("Something went wrong on the server; it has been logged.", 500)
    return defaults.server_error(request)


METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def _json_405(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            methods = {method.strip() for method in response["Allow"].split(",")}
            allowed = ", ".join(sorted(methods, key=METHOD_ORDER.index))
            response["Allow"] = allowed
            response.content = json.dumps(
                {"detail": f"Method {request.method} is not allowed here; use {allowed}."}
            )
            response["Content-Type"] = "application/json; charset=utf-8"
        return response

    return wrapper


class JsonAPI(NinjaAPI):
    """A NinjaAPI whose every answer is JSON: errors, unknown paths and wrong methods."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for exc_class, handler in HANDLERS.items():
            self.add_exception_handler(exc_class, functools.partial(handler, self))

    def add_fallback(self):
        """Answer unknown paths under the API with JSON 404; call after the last router."""
        fallback = Router()

        @fallback.api_operation(
            ["GET", "POST", "PUT", "PATCH", "DELETE"],
            "/{path:rest}",
            auth=None,
            include_in_schema=False,
        )
        def unknown_path(request, rest: str):
            raise Http404("No such API path; see /api/docs.")

        self.add_router("", fallback)

    def _root(self, request, **kwargs):
        # ninja's own root view raises a bare Http404, which Django would render as HTML.
        return _json(self, request, 404, "Nothing here: the API is described at /api/docs.")

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if pattern.name == "api-root":
                pattern.callback = self._root
            elif hasattr(pattern, "callback"):
                pattern.callback = _json_405(pattern.callback)
        return patterns
