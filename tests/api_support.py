"""A small JSON client for the API tests, signed in by token or session, or not at all."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from events.api.auth import token_issue


class Api:
    def __init__(self, client: Client | None = None, token: str | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method, path, body=None, headers=None, **params):
        send = getattr(self.client, method)
        headers = {**self.headers, **(headers or {})}
        if method == "get":
            return send(path, params, headers=headers)
        data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
        return send(path, data=data or "", content_type="application/json", headers=headers)

    def get(self, path, **params):
        return self._send("get", path, **params)

    def post(self, path, body=None, **kwargs):
        return self._send("post", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self._send("patch", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self._send("delete", path, **kwargs)


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


@pytest.fixture(autouse=True)
def _fresh_signin_counters():
    """The sign-in lock-out lives in the cache, which outlives each test."""
    cache.clear()
    yield
    cache.clear()
