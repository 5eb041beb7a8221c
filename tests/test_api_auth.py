"""Signing in to the API: bearer tokens (issued, used, revoked, expired), the lock-out after
failed attempts, and CSRF on session-authenticated writes."""

import datetime as dt
import hashlib

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from events.models import ApiToken

from .api_support import Api, as_user
from .factories import PASSWORD, soon


def issue(username="planner", password=PASSWORD, **extra):
    return Api().post("/api/auth/token", {"username": username, "password": password}, **extra)


def test_a_token_is_issued_for_a_right_password_and_only_its_digest_is_stored(planner):
    response = issue()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    stored = ApiToken.objects.get(user=planner)
    assert stored.digest == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {stored.digest, str(stored.pk)}
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert expires.utcoffset() is not None
    assert dt.timedelta(hours=11) < expires - timezone.now() <= dt.timedelta(hours=12)


def test_the_token_signs_requests_in(planner):
    token = issue().json()["token"]
    response = Api(token=token).get("/api/events")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=planner).last_used_at is not None


@override_settings(API_TOKEN_HOURS=1)
def test_the_expiry_is_a_setting(planner):
    expires = dt.datetime.fromisoformat(issue().json()["expires_at"])
    assert expires - timezone.now() <= dt.timedelta(hours=1)


def test_a_revoked_token_is_refused(planner):
    token = issue().json()["token"]
    api = Api(token=token)
    assert api.delete("/api/auth/token").status_code == 204
    assert ApiToken.objects.get(user=planner).revoked_at is not None
    assert api.get("/api/events").status_code == 401
    assert api.delete("/api/auth/token").status_code == 401


def test_revoking_one_token_leaves_the_others(planner):
    first, second = issue().json()["token"], issue().json()["token"]
    Api(token=first).delete("/api/auth/token")
    assert Api(token=second).get("/api/events").status_code == 200


def test_an_expired_token_is_refused(planner):
    token = issue().json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Api(token=token).get("/api/events")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_made_up_or_malformed_token_is_refused(planner):
    for header in ["Bearer nonsense", "Bearer ", "Token abc", "Bearer " + "x" * 5000]:
        response = Client().get("/api/events", headers={"Authorization": header})
        assert response.status_code == 401, header


def test_a_deactivated_users_token_is_refused(planner):
    token = issue().json()["token"]
    planner.is_active = False
    planner.save()
    assert Api(token=token).get("/api/events").status_code == 401


def test_revoking_needs_a_token_not_a_session(planner):
    api = as_user(planner, via="session")
    response = api.delete("/api/auth/token")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"username": "planner", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_a_wrong_username_or_password_is_refused_alike(planner, body):
    response = Api().post("/api/auth/token", body)
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password."}
    assert not ApiToken.objects.exists()


def test_the_token_request_is_strict(planner):
    for body in [
        {"username": "planner"},
        {"username": "planner", "password": PASSWORD, "scope": "all"},
        {"username": "plan\x00ner", "password": PASSWORD},
        {"username": "", "password": PASSWORD},
    ]:
        assert Api().post("/api/auth/token", body).status_code == 422, body


def test_failed_attempts_lock_the_username_out(planner):
    for _attempt in range(4):
        assert issue(password="wrong").status_code == 401
    assert issue(password="wrong").status_code == 429  # the fifth locks
    response = issue()  # the right password, but too late
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert response["Retry-After"] == "900"
    # Other users from another address are not affected.
    other = Api(Client(REMOTE_ADDR="10.0.0.9"))
    assert other.post("/api/auth/token", {"username": "x", "password": "y"}).status_code == 401


def test_the_username_lock_ignores_case_and_spaces(planner):
    for name in ["planner", "PLANNER", " Planner ", "planner", "Planner"]:
        issue(username=name, password="wrong")
    assert issue().status_code == 429


def test_failed_attempts_from_one_address_lock_it_out_for_every_username(planner):
    for n in range(5):
        issue(username=f"guess{n}", password="wrong")
    assert issue().status_code == 429
    elsewhere = Api(Client(REMOTE_ADDR="10.0.0.9"))
    assert (
        elsewhere.post("/api/auth/token", {"username": "planner", "password": PASSWORD}).status_code
        == 200
    )


def test_a_successful_sign_in_clears_the_usernames_count(planner):
    for _attempt in range(4):
        issue(password="wrong")
    assert issue().status_code == 200
    # The account's count starts again (from another address, whose own count is fresh).
    elsewhere = Api(Client(REMOTE_ADDR="10.0.0.9"))
    for _attempt in range(4):
        elsewhere.post("/api/auth/token", {"username": "planner", "password": "wrong"})
    assert (
        elsewhere.post("/api/auth/token", {"username": "planner", "password": PASSWORD}).status_code
        == 200
    )


def test_the_lock_lifts_after_the_cool_off(planner):
    from axes.models import AccessAttempt

    for _attempt in range(5):
        issue(password="wrong")
    assert issue().status_code == 429
    # Sixteen minutes later (the attempts' clock is the database's):
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert issue().status_code == 200


def test_failed_web_sign_ins_lock_the_api_too_and_the_reverse(planner, client):
    for _attempt in range(3):
        client.post("/sign-in/", {"username": "planner", "password": "wrong"})
    assert issue(password="wrong").status_code == 401
    assert issue(password="wrong").status_code == 429
    assert issue().status_code == 429
    page = client.post("/sign-in/", {"username": "planner", "password": PASSWORD})
    assert page.status_code == 429
    assert "Too many failed sign-ins" in page.content.decode()


# ---- CSRF on session-authenticated requests -----------------------------------------------


def csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/sign-in/")  # sets the csrftoken cookie, as the web UI's pages do
    return client, client.cookies["csrftoken"].value


def event_body():
    return {"title": "Fete", "starts_at": soon().isoformat(), "ends_at": soon(hour=17).isoformat()}


def test_a_session_write_without_the_csrf_header_is_refused(planner):
    client, _token = csrf_client(planner)
    response = Api(client).post("/api/events", event_body())
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_session_write_with_the_csrf_header_goes_through(planner):
    client, token = csrf_client(planner)
    response = Api(client).post("/api/events", event_body(), headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_session_reads_need_no_csrf_header(planner):
    client, _token = csrf_client(planner)
    assert Api(client).get("/api/events").status_code == 200


@pytest.mark.parametrize(
    "method,path",
    [
        ("PATCH", "/api/events/{id}"),
        ("DELETE", "/api/events/{id}"),
        ("POST", "/api/events/{id}/logs"),
    ],
)
def test_every_unsafe_method_checks_csrf(planner, make_event, method, path):
    event = make_event()
    client, _token = csrf_client(planner)
    response = Api(client).send(method, path.format(id=event.pk), {"title": "x"})
    assert response.status_code == 403


def test_a_bearer_token_needs_no_csrf_header(planner):
    token = issue().json()["token"]
    api = Api(Client(enforce_csrf_checks=True), token=token)
    assert api.post("/api/events", event_body()).status_code == 201


def test_no_session_and_no_token_is_401_not_a_csrf_failure(db):
    api = Api(Client(enforce_csrf_checks=True))
    response = api.post("/api/events", event_body())
    assert response.status_code == 401


def test_a_user_without_a_role_is_refused_with_403(outsider):
    token = issue(username="outsider").json()["token"]
    response = Api(token=token).get("/api/events")
    assert response.status_code == 403
    assert "no Outreach role" in response.json()["detail"]
