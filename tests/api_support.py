"""A small JSON client for the API tests, signed in by token or session, or not at all."""

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from events.api.auth import token_issue


class Api:
    def __init__(self, client: Client | None = None, token: str | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def send(self, method, path, body=None, *, headers=None, params=None):
        """One request; ``body`` is JSON-encoded unless it is already a str or bytes."""
        send = getattr(self.client, method.lower())
        headers = {**self.headers, **(headers or {})}
        if method.upper() == "GET":
            response = send(path, params or {}, headers=headers)
        else:
            data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
            response = send(path, data=data or "", content_type="application/json", headers=headers)
        if response.streaming:
            # Read a download to the end, as a server does (the test client then closes it).
            response.body = b"".join(response.streaming_content)
        return response

    def get(self, path, **params):
        return self.send("GET", path, params=params)

    def post(self, path, body=None, **kwargs):
        return self.send("POST", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.send("PATCH", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.send("DELETE", path, **kwargs)


def as_user(user=None, *, via="token") -> Api:
    """An API client for ``user``: by bearer token (default), by session, or anonymous."""
    if user is None:
        return Api()
    if via == "session":
        client = Client()
        client.force_login(user)
        return Api(client)
    token, _record = token_issue(user)
    return Api(token=token)


def now_event(make_event, **fields):
    """An event under way (started two hours ago), so engagement can be logged on it now."""
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    fields.setdefault("starts_at", start)
    fields.setdefault("ends_at", start + dt.timedelta(hours=8))
    return make_event(**fields)
