"""API tokens in the admin: revoke every token of chosen users (a lost phone, a leaver)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from ..services.tokens import tokens_revoke_of

User = get_user_model()


@admin.action(description="Revoke all API tokens of the selected users")
def revoke_api_tokens(modeladmin, request, queryset):
    revoked = tokens_revoke_of(queryset)
    modeladmin.message_user(
        request,
        f"Revoked {revoked} API token{'' if revoked == 1 else 's'} of "
        f"{queryset.count()} user{'' if queryset.count() == 1 else 's'}.",
        messages.SUCCESS,
    )


# The user admin as django.contrib.auth registered it, plus the action.
_base = type(admin.site.get_model_admin(User))
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(_base):
    actions = [*(_base.actions or []), revoke_api_tokens]
