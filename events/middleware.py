from . import audit


class AuditActorMiddleware:
    """Changes made while handling a request are recorded as made by its signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.acting_as(request)
        try:
            return self.get_response(request)
        finally:
            audit.stop_acting(token)
