"""Seed the reference lists every force starts with: topics, event types, qualifications."""

from django.db import migrations

RURAL_STRATEGY = [
    ("fly-tipping", "Fly-tipping"),
    ("equine-crime", "Equine crime"),
    ("poaching-hare-coursing", "Poaching and hare coursing"),
    ("farm-machinery-theft", "Farm machinery, plant and vehicle theft"),
    ("fuel-theft", "Fuel theft"),
    ("livestock-worrying", "Livestock worrying"),
    ("wildlife-crime", "Wildlife crime"),
    ("vulnerability-isolation", "Vulnerability and isolation"),
]
GENERAL = [
    ("burglary", "Burglary"),
    ("anti-social-behaviour", "Anti-social behaviour"),
    ("road-safety-speeding", "Road safety and speeding"),
    ("fraud-scams", "Fraud and scams"),
    ("other", "Other"),
]
EVENT_TYPES = [
    ("county-show", "County or agricultural show"),
    ("fete", "Village fete"),
    ("market", "Market"),
    ("school-visit", "School visit"),
    ("farm-watch", "Farm Watch meeting"),
    ("street-briefing", "Street briefing"),
    ("community-meeting", "Community meeting"),
]
QUALIFICATIONS = [
    ("towing", "Towing (B+E)"),
    ("tractor-driving", "Tractor driving"),
    ("first-aid", "First aid"),
    ("drone-pilot", "Drone pilot"),
]


def seed(apps, schema_editor):
    TopicList = apps.get_model("events", "TopicList")
    Topic = apps.get_model("events", "Topic")
    for list_name, topics in [("Rural Strategy 2024", RURAL_STRATEGY), ("General", GENERAL)]:
        topic_list, _ = TopicList.objects.get_or_create(name=list_name)
        for position, (slug, name) in enumerate(topics):
            Topic.objects.get_or_create(
                slug=slug, defaults={"name": name, "topic_list": topic_list, "position": position}
            )
    EventType = apps.get_model("events", "EventType")
    for slug, name in EVENT_TYPES:
        EventType.objects.get_or_create(slug=slug, defaults={"name": name})
    Qualification = apps.get_model("events", "Qualification")
    for slug, name in QUALIFICATIONS:
        Qualification.objects.get_or_create(slug=slug, defaults={"name": name})


def unseed(apps, schema_editor):
    # Raw deletes: the lists go only where nothing refers to them any more (the database
    # refuses otherwise, rather than this migration quietly removing anyone's data).
    using = schema_editor.connection.alias
    for model, field, values in [
        ("Topic", "slug", [slug for slug, _ in RURAL_STRATEGY + GENERAL]),
        ("TopicList", "name", ["Rural Strategy 2024", "General"]),
        ("EventType", "slug", [slug for slug, _ in EVENT_TYPES]),
        ("Qualification", "slug", [slug for slug, _ in QUALIFICATIONS]),
    ]:
        queryset = apps.get_model("events", model).objects.using(using)
        queryset.filter(**{f"{field}__in": values})._raw_delete(using)


class Migration(migrations.Migration):
    dependencies = [("events", "0002_roles")]

    operations = [migrations.RunPython(seed, unseed)]
