"""Per-address request limits on the API (django-ninja throttling), answering 429 JSON with
``Retry-After``.

``API_THROTTLE_RATE`` limits each client address over the whole API, ``API_TOKEN_THROTTLE_RATE``
the token endpoint (``POST /api/auth/token``) on top, both as ``"<requests>/<period>"`` (period
``s``, ``m``, ``h`` or ``d``, or spelt out, optionally with a number: ``"10/5m"``); empty turns
one off. The client address is the one the sign-in lock-out uses
(``events.signin.client_address``, ``TRUSTED_PROXIES``). Counts are kept in the ``throttle``
cache: in memory, so per gunicorn worker process. django-ninja checks a throttle after
authentication, so the API-wide one counts signed-in requests (the token endpoint has none).
"""

import threading

from django.conf import settings
from ninja.throttling import BaseThrottle

from ..ratelimit import parse_rate, take
from ..signin import client_address


class AddressThrottle(BaseThrottle):
    """At most the setting's rate of requests per client address; thread-safe per instance."""

    def __init__(self, scope: str, setting: str):
        self.scope = scope
        self.setting = setting
        self._local = threading.local()

    def rate(self) -> tuple[int, int] | tuple[None, None]:
        """(requests, seconds) from the setting, read per request; (None, None) when unset."""
        return parse_rate(getattr(settings, self.setting, None))

    def allow_request(self, request) -> bool:
        self._local.wait = take(
            self.scope, client_address(request), getattr(settings, self.setting, None)
        )
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


API_WIDE = AddressThrottle("api", "API_THROTTLE_RATE")
TOKEN_REQUESTS = AddressThrottle("token", "API_TOKEN_THROTTLE_RATE")
