from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..middleware import unavailable


@never_cache
@require_GET
def healthz(request):
    """200 when the app can reach its database, 503 JSON when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close()
        return unavailable(request)
    return JsonResponse({"status": "ok", "database": "ok"})
