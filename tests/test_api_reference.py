"""Reference lists over the API: teams, topics (with their list), event types, partners."""

from events.models import Partner, Topic

from .api_support import as_user


def test_topics_carry_slug_name_list_and_active(officer_user):
    Topic.objects.filter(slug="other").update(active=False)
    topics = {
        t["slug"]: t for t in as_user(officer_user).get("/api/topics", limit=500).json()["items"]
    }
    assert topics["fly-tipping"] == {
        "slug": "fly-tipping",
        "name": "Fly-tipping",
        "list": "Rural Strategy 2024",
        "active": True,
    }
    assert topics["other"]["active"] is False


def test_teams_event_types_and_partners(officer_user, team):
    Partner.objects.create(name="Redbourn Show Society", kind="show_organiser")
    api = as_user(officer_user)
    assert api.get("/api/teams").json()["items"][0] == {
        "id": team.pk,
        "name": team.name,
        "short_name": "ROST",
        "area": "",
    }
    types = api.get("/api/event-types").json()
    assert types["count"] >= 1 and {"slug", "name"} == set(types["items"][0])
    assert api.get("/api/partners").json()["items"][0]["name"] == "Redbourn Show Society"
