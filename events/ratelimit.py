"""Requests per client address, counted in the ``throttle`` cache (per gunicorn worker).

One sliding-window limiter for everything rate-limited by address: the API
(``events.api.throttling``) and the public stand page (``events.web.views.stand``). A rate is
``"<requests>/<period>"`` (period ``s``, ``m``, ``h`` or ``d``, or spelt out, optionally with a
number: ``"10/5m"``); empty turns the limit off.
"""

import threading
import time

from django.core.cache import caches

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_LOCK = threading.Lock()


def parse_rate(rate: str | None) -> tuple[int, int] | tuple[None, None]:
    """``"60/m"`` → (60, 60); ``"10/5m"`` → (10, 300); empty → (None, None)."""
    if not rate:
        return None, None
    count, _, per = str(rate).partition("/")
    per = per.strip().lower()
    unit = per.lstrip("0123456789")
    multiple = per[: len(per) - len(unit)] or "1"
    return int(count), int(multiple) * PERIODS[(unit or "s")[0]]


def take(scope: str, address: str | None, rate: str | None) -> float | None:
    """Count one request from ``address``: None when allowed, else the seconds to wait."""
    limit, period = parse_rate(rate)
    if not limit or not period or address is None:
        return None
    cache = caches["throttle"]
    key = f"throttle:{scope}:{address}"
    now = time.time()
    with _LOCK:  # one process's threads; other workers keep their own counts
        history = [at for at in cache.get(key, []) if at > now - period]
        if len(history) >= limit:
            return max(1.0, history[-1] + period - now)
        history.insert(0, now)
        cache.set(key, history, period)
    return None
