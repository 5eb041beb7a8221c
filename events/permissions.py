"""Who may do what (shared/DOMAIN.md, "Who may do what"), in one place.

Every view, API endpoint and export asks this module both questions: "may this user do X
to this object" (``can_*``) and "which objects may this user see" (``visible_*``).
Objects a user may not see are reported as absent (404), never as forbidden.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import EngagementLog, Event, KitItem, Officer

PLANNER = "Planner"
OFFICER = "Officer"
MANAGER = "Manager"
ADMIN = "Admin"
ROLES = (PLANNER, OFFICER, MANAGER, ADMIN)


def roles(user) -> frozenset[str]:
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_outreach_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached |= {ADMIN}
        user._outreach_roles = cached
    return cached


def officer_for(user) -> Officer | None:
    """The officer record linked to this sign-in, if any (cached on the user)."""
    if not user or not user.is_authenticated:
        return None
    if not hasattr(user, "_outreach_officer"):
        user._outreach_officer = Officer.objects.filter(user=user).first()
    return user._outreach_officer


def is_admin(user) -> bool:
    return ADMIN in roles(user)


def has_any_role(user) -> bool:
    return bool(roles(user))


def can_plan(user) -> bool:
    """Create, edit, cancel and copy events; assign officers; book kit."""
    return bool(roles(user) & {PLANNER, ADMIN})


def can_manage_kit(user) -> bool:
    """The kit register, by hand or by import."""
    return bool(roles(user) & {PLANNER, ADMIN})


def can_manage_officers(user) -> bool:
    """Officer records, by hand (web, API, admin) or by import: admins only."""
    return is_admin(user)


def can_manage_reference_data(user) -> bool:
    """Topics, teams, users."""
    return is_admin(user)


def can_view_stats(user) -> bool:
    """Dashboard, statistics, PDF and Excel management reports."""
    return bool(roles(user) & {PLANNER, MANAGER, ADMIN})


def is_assigned(user, event: Event) -> bool:
    officer = officer_for(user)
    if officer is None:
        return False
    return event.assignments.live().filter(officer=officer).exists()


def can_log_on(user, event: Event) -> bool:
    if event.is_cancelled:
        return False
    if can_plan(user):
        return True
    return OFFICER in roles(user) and is_assigned(user, event)


def can_edit_log(user, log: EngagementLog) -> bool:
    if can_plan(user):
        return True
    officer = officer_for(user)
    return OFFICER in roles(user) and officer is not None and log.officer_id == officer.pk


def can_see_contact(user, officer: Officer) -> bool:
    if roles(user) & {PLANNER, MANAGER, ADMIN}:
        return True
    return officer.user_id is not None and officer.user_id == getattr(user, "pk", None)


def can_see_debrief(user, event: Event) -> bool:
    return can_view_stats(user) or is_assigned(user, event)


def can_see_photos(user, event: Event) -> bool:
    """An event's photos: those who may see its figures or are on it."""
    return can_see_debrief(user, event)


def visible_events(user) -> QuerySet[Event]:
    return Event.objects.all() if has_any_role(user) else Event.objects.none()


def visible_officers(user) -> QuerySet[Officer]:
    return Officer.objects.all() if has_any_role(user) else Officer.objects.none()


def visible_kit(user) -> QuerySet[KitItem]:
    return KitItem.objects.all() if has_any_role(user) else KitItem.objects.none()


def visible_logs(user) -> QuerySet[EngagementLog]:
    """Planners, managers and admins see every entry; officers only their own."""
    r = roles(user)
    if r & {PLANNER, MANAGER, ADMIN}:
        return EngagementLog.objects.all()
    officer = officer_for(user)
    if OFFICER in r and officer is not None:
        return EngagementLog.objects.filter(officer=officer)
    return EngagementLog.objects.none()


def require_role(user) -> None:
    if not has_any_role(user):
        raise PermissionDenied("Your account has no Outreach role yet; ask an administrator.")


def get_event_for(user, pk, *, write: bool = False) -> Event:
    """The event if this user may see it (404 otherwise); with write, also may plan it (403)."""
    event = visible_events(user).filter(pk=pk).first()
    if event is None:
        raise Http404("No such event.")
    if write and not can_plan(user):
        raise PermissionDenied("Only planners and admins may change events.")
    return event


def get_log_for(user, pk, *, write: bool = False) -> EngagementLog:
    log = visible_logs(user).filter(pk=pk).select_related("event", "officer").first()
    if log is None:
        raise Http404("No such engagement entry.")
    if write and not can_edit_log(user, log):
        raise PermissionDenied("You may not change this engagement entry.")
    return log
