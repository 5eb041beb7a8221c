"""Wires the API routers; the endpoints live in events/api.py."""

from ninja import NinjaAPI

api = NinjaAPI(title="Outreach API", version="1", urls_namespace="api")
