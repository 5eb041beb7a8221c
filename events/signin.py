"""Sign-in protection: who the client is (behind a proxy too), when to lock out, what to say.

Client addresses come from django-ipware: ``REMOTE_ADDR`` unless ``TRUSTED_PROXIES`` (a count)
says that many proxies in front of the app each append the address they saw to
``X-Forwarded-For``; then the client is the entry those proxies wrote, and anything the client
put in the header itself is ignored. django-axes and the API throttle both use it.

Lock-out (django-axes, kept in the database so every worker shares it) is per account **and**
address pair (``SIGNIN_FAILURE_LIMIT``, 5), so guessing a named user's password from one
address does not lock that user out elsewhere; and per address (``SIGNIN_ADDRESS_FAILURE_LIMIT``
failures over any usernames), so one address cannot guess through the whole force either.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from ipware.ip import get_client_ip


def client_address(request) -> str | None:
    """The address of the client itself, from ``X-Forwarded-For`` only behind trusted proxies."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    # Each trusted proxy appends what it saw, so the client is the proxies-th entry from the
    # right: ipware counts the hops after the client, which is one fewer than the proxies.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote


def address_failure_limit() -> int:
    return int(getattr(settings, "SIGNIN_ADDRESS_FAILURE_LIMIT", 30))


class AccountAndAddressLockout(AxesDatabaseHandler):
    """axes' database handler, with a second, higher limit for one address over all accounts.

    ``AXES_LOCKOUT_PARAMETERS`` counts failures per username and address pair; an address that
    reaches ``SIGNIN_ADDRESS_FAILURE_LIMIT`` over any usernames is locked out as a whole.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if address is None:
            return failures
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= address_failure_limit():
            return max(failures, int(settings.AXES_FAILURE_LIMIT))
        return failures


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
