"""On PostgreSQL, back the no-double-booking rule with exclusion constraints.

The services check clashes inside a transaction that locks the officer or kit item; these
constraints are the database's own guarantee on top (SQLite serialises writers instead).
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

KIT = (
    "ALTER TABLE events_kitbooking ADD CONSTRAINT kit_booking_no_overlap "
    "EXCLUDE USING gist (item_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (exclusive AND status IN ('reserved', 'checked_out'))"
)
OFFICER = (
    "ALTER TABLE events_assignment ADD CONSTRAINT assignment_no_overlap "
    "EXCLUDE USING gist (officer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (NOT released)"
)


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(KIT)
        schema_editor.execute(OFFICER)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE events_kitbooking DROP CONSTRAINT kit_booking_no_overlap")
        schema_editor.execute("ALTER TABLE events_assignment DROP CONSTRAINT assignment_no_overlap")


class Migration(migrations.Migration):
    dependencies = [("events", "0004_exports_tokens_feeds_photos")]

    operations = [BtreeGistExtension(), migrations.RunPython(add, drop)]
