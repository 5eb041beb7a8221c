"""Sign-in protection on the web form: lock-out per account and address pair and per address,
with each client's own address behind a proxy, logged."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client, RequestFactory
from django.utils import timezone

from events.signin import client_address

from .factories import PASSWORD

PROXY = "10.0.0.2"  # a TLS proxy in front of the app: every request arrives from it


def behind_proxy(client_ip: str, forged: str = "") -> Client:
    """A browser at ``client_ip`` reaching the app through the proxy, which appends the address
    it saw to whatever X-Forwarded-For the browser sent (``forged``)."""
    header = f"{forged}, {client_ip}" if forged else client_ip
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def sign_in(client, username="planner", password=PASSWORD):
    return client.post("/sign-in/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, planner):
    for _attempt in range(4):
        assert sign_in(client, password="wrong").status_code == 200
    locked = sign_in(client, password="wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    again = sign_in(client)  # the right password, but locked
    assert again.status_code == 429 and again["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_address_so_the_user_signs_in_from_elsewhere(client, planner):
    for _attempt in range(5):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere).status_code == 302


def test_one_address_guessing_many_accounts_is_locked_out_as_a_whole(
    client, planner, manager, settings
):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = limit = 8
    for n in range(limit - 1):
        assert sign_in(client, username=f"guess{n}", password="wrong").status_code == 200
    locked = sign_in(client, username=f"guess{limit}", password="wrong")
    assert locked.status_code == 429  # the address's limit, though no account reached five
    page = sign_in(client, username="manager")
    assert page.status_code == 429 and "Too many failed sign-ins" in page.content.decode()
    assert sign_in(Client(REMOTE_ADDR="10.1.2.3"), username="manager").status_code == 302


def test_behind_a_trusted_proxy_one_clients_guesses_do_not_lock_the_user_out_elsewhere(
    planner, settings
):
    settings.TRUSTED_PROXIES = 1
    attacker = behind_proxy("203.0.113.66")
    for _attempt in range(5):
        sign_in(attacker, password="wrong")
    assert sign_in(attacker).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    # The planner, at another address behind the same proxy, is not locked out.
    assert sign_in(behind_proxy("198.51.100.7")).status_code == 302


def test_behind_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_lock(planner, settings):
    settings.TRUSTED_PROXIES = 1
    for n in range(5):  # a new made-up address in the header each time
        sign_in(behind_proxy("203.0.113.66", forged=f"192.0.2.{n}"), password="wrong")
    assert sign_in(behind_proxy("203.0.113.66", forged="192.0.2.99")).status_code == 429


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(planner, settings):
    settings.TRUSTED_PROXIES = 0
    for n in range(5):
        forger = Client(REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        sign_in(forger, password="wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.1.2.3"}
    forger = Client(REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(forger).status_code == 429


@pytest.mark.parametrize(
    "proxies,remote,forwarded,expected",
    [
        (0, "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # the header is never trusted
        (0, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the client's part ignored
        (1, "10.0.0.2", "10.8.1.4", "10.8.1.4"),  # a private client behind the proxy
        (1, "10.0.0.2", None, "10.0.0.2"),  # reached directly, no header
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (2, "10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # fewer hops than proxies: not trusted
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **meta)) == expected


def test_the_lock_lifts_after_the_cool_off(client, planner):
    for _attempt in range(5):
        sign_in(client, password="wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert sign_in(client).status_code == 302


def test_sign_ins_and_failures_are_logged(client, planner):
    sign_in(client, password="wrong")
    sign_in(client)
    failure = AccessFailureLog.objects.get()
    assert failure.username == "planner" and not failure.locked_out
    assert AccessLog.objects.filter(username="planner").count() == 1
    for _attempt in range(5):
        sign_in(client, password="wrong")
    assert AccessFailureLog.objects.filter(locked_out=True).exists()
