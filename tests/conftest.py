"""Personas (one per role, plus an outsider) and small builders for the tests."""

import datetime as dt
import importlib

import pytest
from django.contrib.auth.models import Group

from events import permissions
from events.models import (
    Event,
    Team,
    Topic,
    TopicList,
)

from . import factories
from .factories import make_officer, make_user, soon
from .smtp_support import loopback_smtp


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests empty every table afterwards, migration-seeded rows included;
    put the reference lists and roles back so the next one starts like a fresh database."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    importlib.import_module("events.migrations.0003_reference_lists").seed(apps, None)
    for role in permissions.ROLES:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def team(db):
    return Team.objects.create(name="Rural Operational Support Team", short_name="ROST")


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Harpenden NPT")


@pytest.fixture
def planner(db, team):
    user = make_user("planner", permissions.PLANNER)
    make_officer(user, team=team, name="Sgt Planner")
    return user


@pytest.fixture
def officer_user(db, team):
    user = make_user("officer", permissions.OFFICER)
    make_officer(user, team=team, name="PC Officer")
    return user


@pytest.fixture
def other_officer_user(db, team):
    user = make_user("officer2", permissions.OFFICER)
    make_officer(user, team=team, name="PC Other")
    return user


@pytest.fixture
def manager(db):
    return make_user("manager", permissions.MANAGER)


@pytest.fixture
def admin_user(db):
    return make_user("admin", permissions.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    return make_user("outsider", None)


@pytest.fixture
def topic(db):
    topic_list, _ = TopicList.objects.get_or_create(name="Rural Strategy 2024")
    topic, _ = Topic.objects.get_or_create(
        slug="poaching-hare-coursing",
        defaults={"name": "Poaching and hare coursing", "topic_list": topic_list},
    )
    return topic


@pytest.fixture
def make_event(db, team):
    """Build events through ``event_create`` (``factories.make_event``): confirmed, eight
    hours from 09:00 a month ahead, for the team, unless told otherwise."""

    def build(**fields) -> Event:
        fields.setdefault("title", "Redbourn County Show")
        fields.setdefault("starts_at", soon())
        fields.setdefault("ends_at", fields["starts_at"] + dt.timedelta(hours=8))
        fields.setdefault("team", team)
        fields.setdefault("status", Event.Status.CONFIRMED)
        return factories.make_event(**fields)

    return build


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that the default mailer sends to: its ``messages``."""
    with loopback_smtp(settings) as inbox:
        yield inbox


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end connections that live-server request threads
    or worker threads may still hold (PostgreSQL refuses to drop a database in use)."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
