"""Sign-in protection on the web form: lock-out per account and per address, logged."""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.utils import timezone

from .factories import PASSWORD


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


def test_the_lock_is_per_address_too(client, planner, manager):
    for n in range(5):
        sign_in(client, username=f"guess{n}", password="wrong")
    assert sign_in(client, username="manager").status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere).status_code == 302


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
