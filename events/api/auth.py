"""Who is calling: a session cookie (with CSRF on unsafe methods) or a bearer token.

Tokens are random strings shown once; only their SHA-256 digest is stored, with an expiry
(``API_TOKEN_HOURS``, 12 by default). ``DELETE /api/auth/token`` revokes the token in use, and
the admin can revoke all of a user's tokens. A token also dies with its user's password: it ends
in a mark (an HMAC, keyed with ``SECRET_KEY``, of the password hash the user had when it was
issued) that is checked against the current password hash at every request, as Django checks a
session; so a changed password, like a deactivated user, makes every earlier token fail.
Failed token requests count towards the same django-axes lock-out as the web sign-in form
(per account and address, and per address; see events/signin.py), answering 429 while locked;
the endpoint is also throttled per address (events/api/throttling.py).
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .. import permissions
from ..models import ApiToken
from ..services.tokens import tokens_revoke_of
from .errors import responses
from .schemas import TokenIn, TokenOut
from .throttling import API_WIDE, TOKEN_REQUESTS

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# ---- who may call an operation ----------------------------------------------------------


class Rule:
    """A role check run with authentication, so a refusal (403) comes before input checks."""

    def __init__(self, allows: Callable, refusal: str):
        self.allows = allows
        self.refusal = refusal

    def check(self, user) -> None:
        if not self.allows(user):
            raise HttpError(403, self.refusal)


ANY_ROLE = Rule(
    permissions.has_any_role, "Your account has no Outreach role yet; ask an administrator."
)
PLANNERS = Rule(permissions.can_plan, "Only planners and admins may do that.")
KIT_MANAGERS = Rule(
    permissions.can_manage_kit, "Only planners and admins may change the kit register."
)
ADMINS = Rule(permissions.can_manage_reference_data, "Only admins may do that.")
STATS_READERS = Rule(
    permissions.can_view_stats, "Only planners, managers and admins may see these figures."
)
ANYONE = Rule(lambda user: True, "")


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/auth/token``."""

    def __init__(self, rule: Rule = ANY_ROLE):
        self.rule = rule
        super().__init__()

    def authenticate(self, request, token):
        record = token_lookup(token)
        if record is None:
            return None
        request.user = record.user
        request.api_token = record
        self.rule.check(record.user)
        return record.user


class SessionCookie(APIKeyCookie):
    """The web UI's session; unsafe methods need the ``X-CSRFToken`` header."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, rule: Rule = ANY_ROLE):
        self.rule = rule
        super().__init__(csrf=True)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # 401, not a CSRF failure, for callers with no session at all
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        self.rule.check(user)
        return user

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


def signed_in(rule: Rule = ANY_ROLE) -> list:
    """The ``auth=`` for an operation: a token or a session, and the caller passing ``rule``."""
    return [BearerToken(rule), SessionCookie(rule)]


# ---- tokens -----------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


MARK_SALT = "outreach.api-token.password"


def _password_mark(user, random_part: str, secret=None) -> str:
    """Ties a token to the password the user had when it was issued (and to ``SECRET_KEY``)."""
    value = f"{random_part}:{user.pk}:{user.password}"
    return salted_hmac(MARK_SALT, value, secret=secret, algorithm="sha256").hexdigest()[:32]


def _mark_holds(user, random_part: str, mark: str) -> bool:
    secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        constant_time_compare(mark, _password_mark(user, random_part, secret))
        for secret in secrets_to_try
    )


def token_issue(user) -> tuple[str, ApiToken]:
    random_part = secrets.token_urlsafe(32)
    token = f"{random_part}.{_password_mark(user, random_part)}"
    record = ApiToken.objects.create(
        user=user,
        digest=_digest(token),
        expires_at=timezone.now() + dt.timedelta(hours=_setting("API_TOKEN_HOURS", 12)),
    )
    return token, record


def token_lookup(token: str) -> ApiToken | None:
    """The live token record (not revoked, not expired, user active, password unchanged since
    it was issued), or None."""
    if not token or len(token) > 200:
        return None
    random_part, dot, mark = token.rpartition(".")
    if not dot:
        return None  # no password mark: from before tokens carried one, or made up
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    if not _mark_holds(record.user, random_part, mark):
        return None  # the password changed after the token was issued
    if record.last_used_at is None or now - record.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _revoke_tokens_of_deactivated_user(sender, instance, **kwargs):
    """A deactivated user's tokens are revoked, so reactivating the account does not revive
    them (while inactive, ``token_lookup`` refuses them anyway)."""
    if not instance.is_active:
        tokens_revoke_of([instance])


router = Router(tags=["auth"])


@router.post(
    "/auth/token",
    auth=None,
    throttle=[TOKEN_REQUESTS, API_WIDE],
    response=responses({200: TokenOut}, 401, 422, 429),
    summary="Issue a bearer token",
)
def token_create(request, payload: TokenIn):
    """Exchange a username and password for a bearer token (valid for 12 hours)."""
    # django-axes counts this like the web sign-in form: same accounts, same lock-out.
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        minutes = settings.AXES_COOLOFF_TIME * 60
        locked = HttpError(
            429, f"Too many failed sign-ins: wait {minutes:.0f} minutes and try again."
        )
        locked.retry_after = int(minutes * 60)
        raise locked
    if user is None:
        raise HttpError(401, "Wrong username or password.")
    # A token is a sign-in: logged, and the account's failure count cleared, as on the web.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token, record = token_issue(user)
    return {"token": token, "expires_at": record.expires_at}


@router.delete(
    "/auth/token",
    auth=[BearerToken(ANYONE)],
    response=responses({204: None}, 401),
    summary="Revoke the token in use",
)
def token_revoke(request):
    ApiToken.objects.filter(pk=request.api_token.pk).update(revoked_at=timezone.now())
    return Status(204, None)
