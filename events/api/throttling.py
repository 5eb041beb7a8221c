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
import time

from django.conf import settings
from django.core.cache import caches
from ninja.throttling import BaseThrottle

from ..signin import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | tuple[None, None]:
    """``"60/m"`` → (60, 60); ``"10/5m"`` → (10, 300); empty → (None, None)."""
    if not rate:
        return None, None
    count, _, per = str(rate).partition("/")
    per = per.strip().lower()
    unit = per.lstrip("0123456789")
    multiple = per[: len(per) - len(unit)] or "1"
    return int(count), int(multiple) * PERIODS[(unit or "s")[0]]


class AddressThrottle(BaseThrottle):
    """At most the setting's rate of requests per client address; thread-safe per instance."""

    def __init__(self, scope: str, setting: str):
        self.scope = scope
        self.setting = setting
        self._local = threading.local()
        self._lock = threading.Lock()

    def rate(self) -> tuple[int, int] | tuple[None, None]:
        """(requests, seconds) from the setting, read per request; (None, None) when unset."""
        return parse_rate(getattr(settings, self.setting, None))

    def allow_request(self, request) -> bool:
        self._local.wait = None
        limit, period = self.rate()
        address = client_address(request)
        if not limit or not period or address is None:
            return True
        cache = caches["throttle"]
        key = f"throttle:{self.scope}:{address}"
        now = time.time()
        with self._lock:  # one process's threads; other workers keep their own counts
            history = [at for at in cache.get(key, []) if at > now - period]
            if len(history) >= limit:
                self._local.wait = max(1.0, history[-1] + period - now)
                return False
            history.insert(0, now)
            cache.set(key, history, period)
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


API_WIDE = AddressThrottle("api", "API_THROTTLE_RATE")
TOKEN_REQUESTS = AddressThrottle("token", "API_TOKEN_THROTTLE_RATE")
