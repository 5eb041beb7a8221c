"""API bearer tokens: revoking them (the admin's action, and when a user is deactivated)."""

from django.utils import timezone

from ..models import ApiToken


def tokens_revoke_of(users) -> int:
    """Revoke every live token of these users; the number revoked."""
    return ApiToken.objects.filter(user__in=users, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
