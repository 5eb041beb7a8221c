"""The demo force loads once, holds the county show with both mini tractors, and refuses prod."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from events.models import (
    Assignment,
    EngagementLog,
    Event,
    KitBooking,
    KitItem,
    Officer,
    TopicMention,
)


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return [
        m.objects.count()
        for m in [Event, Assignment, KitBooking, KitItem, Officer, EngagementLog, TopicMention]
    ]


def test_it_refuses_to_seed_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        seed()
    assert Event.objects.count() == 0


def test_it_seeds_once_and_prints_the_sign_ins(db, settings):
    settings.DEBUG = True
    output = seed()
    assert "planner" in output and "outreach-demo" in output
    before = counts()
    assert before[0] > 100 and 20 <= before[4] <= 30 and before[5] > 500
    again = seed()
    assert "already present" in again
    assert counts() == before


def test_the_county_show_is_upcoming_with_both_mini_tractors_booked(db, settings):
    settings.DEBUG = True
    seed()
    show = Event.objects.get(title="Redbourn County Show", starts_at__gte=timezone.now())
    assert show.ends_at - show.starts_at > dt.timedelta(days=2)
    assert {show.team.short_name} == {"ROST"}
    booked = KitBooking.objects.live().filter(event=show, item__category="mini_tractor")
    assert {b.item.asset_tag for b in booked} == {"MPT-01", "MPT-02"}
    tractor = KitItem.objects.get(category="tractor")
    assert tractor.donor.name.endswith("Machinery Ltd")
    assert tractor.requires_kit.category == "trailer"
    assert "recycled" in KitItem.objects.get(asset_tag="MPT-01").provenance
    # Last year's show happened and was logged, for year-on-year comparisons.
    last = Event.objects.get(title="Redbourn County Show", status="completed")
    assert EngagementLog.objects.filter(event=last).count() > 50


def test_the_demo_respects_the_double_booking_rules(db, settings):
    settings.DEBUG = True
    seed()
    for a in Assignment.objects.live().select_related("event"):
        clash = (
            Assignment.objects.live()
            .filter(officer=a.officer_id)
            .exclude(pk=a.pk)
            .overlapping(a.starts_at, a.ends_at)
        )
        assert not clash.exists(), a
    for b in KitBooking.objects.live().filter(exclusive=True):
        clash = (
            KitBooking.objects.live()
            .filter(item=b.item_id)
            .exclude(pk=b.pk)
            .overlapping(b.starts_at, b.ends_at)
        )
        assert not clash.exists(), b


def test_the_demo_officer_has_an_event_today(db, settings):
    settings.DEBUG = True
    seed()
    officer = Officer.objects.get(user__username="officer")
    today = timezone.localdate()
    todays = Assignment.objects.filter(officer=officer, event__starts_at__date=today)
    assert todays.exists()


def test_hare_coursing_comes_up_more_in_autumn_than_in_summer(db, settings):
    settings.DEBUG = True
    seed()

    def share(months):
        mentions = TopicMention.objects.filter(log__recorded_at__month__in=months)
        total = sum(mentions.values_list("count", flat=True))
        hare = sum(
            mentions.filter(topic__slug="poaching-hare-coursing").values_list("count", flat=True)
        )
        return hare / total

    assert share([10, 11]) > share([6, 7])


def test_scale_builds_a_force_wide_set_in_bulk(db, settings):
    settings.DEBUG = True
    output = seed("--scale", "1")
    assert "5,000 events" in output
    assert Event.objects.count() > 5000
    assert EngagementLog.objects.count() > 50000
