from .. import permissions


def navigation(request):
    """What the navigation bar offers this user, decided by the permissions module."""
    user = request.user
    return {
        "nav": {
            "signed_in": user.is_authenticated,
            "has_role": permissions.has_any_role(user),
            "can_plan": permissions.can_plan(user),
            "can_view_stats": permissions.can_view_stats(user),
            # "Where haven't we been?": the same readers as the figures (DOMAIN.md).
            "can_view_coverage": permissions.can_view_stats(user),
            "is_admin": permissions.is_admin(user),
            "roles": sorted(permissions.roles(user)),
            "is_officer": permissions.OFFICER in permissions.roles(user),
            # Anyone with an officer record is on the rota (a planner who also staffs events).
            "on_rota": permissions.officer_for(user) is not None,
        }
    }
