"""Wires the API routers (events/api/); no business logic here."""

from events.api import (
    auth,
    bookings,
    events,
    exports,
    kit,
    logs,
    officers,
    reference,
    series,
    staffing,
    stats,
)
from events.api.auth import signed_in
from events.api.errors import JsonAPI
from events.api.throttling import API_WIDE

# API-wide auth (each router also says its own): lets the docs page send the CSRF token.
# API-wide per-address throttle (API_THROTTLE_RATE): 429 JSON with Retry-After.
api = JsonAPI(
    title="Outreach API",
    version="1",
    urls_namespace="api",
    auth=signed_in(),
    throttle=[API_WIDE],
)
for module in (
    auth,
    reference,
    officers,
    kit,
    events,
    series,
    staffing,
    bookings,
    logs,
    stats,
    exports,
):
    api.add_router("", module.router)
api.add_fallback()
