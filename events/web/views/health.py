from pathlib import Path

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..middleware import unavailable


def _sqlite_file_missing() -> bool:
    """On SQLite, True when the database file the settings name is not there: connecting
    would silently create an empty one, and every page would then fail."""
    if connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return False
    return not Path(name).is_file()


@never_cache
@require_GET
def healthz(request):
    """200 when the app can read a real table, 503 JSON when it cannot (the database is
    away, or on SQLite its file has gone or lacks the app's tables)."""
    if _sqlite_file_missing():
        connection.close()
        return unavailable(request)
    try:
        with connection.cursor() as cursor:
            # A real table, not ``SELECT 1``: an empty or half-restored database fails here.
            cursor.execute("SELECT id FROM events_event LIMIT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close()
        return unavailable(request)
    return JsonResponse({"status": "ok", "database": "ok"})
