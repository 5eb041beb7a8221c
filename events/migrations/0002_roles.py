"""Create the four roles of shared/DOMAIN.md as groups with their model permissions.

The permissions module decides access by role; the model permissions let planners manage
kit and events, and admins everything, through Django's admin site as well.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    "view_event", "view_assignment", "view_kitbooking", "view_kititem", "view_officer",
    "view_team", "view_eventtype", "view_topic", "view_topiclist", "view_partner",
    "view_qualification", "view_unavailability",
]
PLANNING = [
    f"{action}_{model}"
    for model in ["event", "assignment", "kitbooking", "kititem", "partner", "unavailability"]
    for action in ["add", "change", "delete"]
] + ["add_engagementlog", "change_engagementlog", "view_engagementlog"]

ROLE_PERMISSIONS = {
    "Planner": VIEW_ALL + PLANNING,
    "Officer": VIEW_ALL + ["add_engagementlog"],
    "Manager": VIEW_ALL + ["view_engagementlog"],
    "Admin": None,  # every permission of the events and auth apps
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label__in=["events", "auth"])
        if codenames is not None:
            perms = perms.filter(codename__in=codenames, content_type__app_label="events")
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_domain_model"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
