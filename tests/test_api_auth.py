"""Signing in to the API: bearer tokens (issued, used, revoked, expired), the lock-out after
failed attempts, and CSRF on session-authenticated writes."""

import datetime as dt
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
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


def test_failed_attempts_from_one_address_lock_it_out_for_every_username(planner, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 5
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


# ---- tokens die with the password, the account, or an admin's revocation ------------------


def test_a_token_dies_when_the_users_password_changes(planner):
    token = issue().json()["token"]
    api = Api(token=token)
    assert api.get("/api/events").status_code == 200
    planner.set_password("a-new-long-passphrase")
    planner.save()
    response = api.get("/api/events")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    # A token issued after the change works.
    fresh = issue(password="a-new-long-passphrase").json()["token"]
    assert Api(token=fresh).get("/api/events").status_code == 200


def test_a_token_dies_when_the_password_is_set_again_to_the_same_value(planner):
    token = issue().json()["token"]
    planner.set_password(PASSWORD)
    planner.save()
    assert Api(token=token).get("/api/events").status_code == 401


def test_a_token_dies_when_the_user_is_deactivated_and_stays_dead_after(planner):
    token = issue().json()["token"]
    planner.is_active = False
    planner.save()
    assert Api(token=token).get("/api/events").status_code == 401
    assert ApiToken.objects.get(user=planner).revoked_at is not None
    planner.is_active = True  # reactivating the account does not bring the token back
    planner.save()
    assert Api(token=token).get("/api/events").status_code == 401


def test_a_token_without_its_password_mark_is_refused(planner):
    token = issue().json()["token"]
    bare = token.rpartition(".")[0]
    ApiToken.objects.update(digest=hashlib.sha256(bare.encode()).hexdigest())
    assert Api(token=bare).get("/api/events").status_code == 401


def test_a_token_survives_a_rotated_secret_key_kept_as_a_fallback(planner, settings):
    token = issue().json()["token"]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert Api(token=token).get("/api/events").status_code == 200


def test_the_admin_revokes_all_tokens_of_the_selected_users(planner, manager, admin_user):
    planner_tokens = [issue().json()["token"] for _ in range(2)]
    manager_token = issue(username="manager").json()["token"]
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "revoke_api_tokens", "_selected_action": [planner.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Revoked 2 API tokens of 1 user." in response.content.decode()
    for token in planner_tokens:
        assert Api(token=token).get("/api/events").status_code == 401
    assert ApiToken.objects.filter(user=planner, revoked_at__isnull=True).count() == 0
    assert Api(token=manager_token).get("/api/stats/summary").status_code == 200


def test_the_revoke_action_is_offered_on_the_user_admin(admin_user):
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Revoke all API tokens of the selected users" in page
    assert get_user_model().objects.filter(pk=admin_user.pk).exists()


# ---- per-address throttles ----------------------------------------------------------------


@pytest.fixture
def throttles(settings):
    """The throttles on (the test settings turn them off), with empty counts."""
    caches["throttle"].clear()
    settings.API_TOKEN_THROTTLE_RATE = "3/m"
    settings.API_THROTTLE_RATE = "5/m"
    yield settings
    caches["throttle"].clear()


def test_the_token_endpoint_is_throttled_per_address_with_json_and_retry_after(planner, throttles):
    for _attempt in range(3):
        assert issue().status_code == 200
    response = issue()
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another address has its own count.
    other = Api(Client(REMOTE_ADDR="10.0.0.9"))
    body = {"username": "planner", "password": PASSWORD}
    assert other.post("/api/auth/token", body).status_code == 200


def test_the_token_throttle_counts_the_client_behind_a_trusted_proxy(planner, throttles):
    throttles.TRUSTED_PROXIES = 1
    body = {"username": "planner", "password": PASSWORD}

    def via_proxy(address):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)
        return Api(client).post("/api/auth/token", body)

    for _attempt in range(3):
        assert via_proxy("203.0.113.5").status_code == 200
    assert via_proxy("203.0.113.5").status_code == 429
    assert via_proxy("198.51.100.7").status_code == 200


def test_the_whole_api_is_throttled_per_address(planner, throttles):
    api = as_user(planner)
    for _request in range(5):
        assert api.get("/api/teams").status_code == 200
    response = api.get("/api/events")
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many requests."}
    assert int(response["Retry-After"]) >= 1
    elsewhere = Api(Client(REMOTE_ADDR="10.0.0.9"), token=api.headers["Authorization"][7:])
    assert elsewhere.get("/api/teams").status_code == 200


def test_the_throttle_lifts_when_its_period_has_passed(planner, throttles, monkeypatch):
    import time

    api = as_user(planner)
    for _request in range(5):
        api.get("/api/teams")
    assert api.get("/api/teams").status_code == 429
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert api.get("/api/teams").status_code == 200
