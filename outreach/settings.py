"""Outreach settings: one module, driven by environment variables (see README)."""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = envbool("DEBUG")
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Outreach refuses to run with DEBUG off and no secret: "
            "set SECRET_KEY to a long random string (see README, 'Production')."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "ninja",
    "axes",
    "events",  # before django_tasks_db: its db_worker command is ours (events/management)
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: refuses an oversized body by its Content-Length before anything reads it.
    "events.web.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "events.web.middleware.AuditActorMiddleware",
    "events.web.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

# Client addresses (django-ipware, events.signin.client_address): TRUSTED_PROXIES is how many
# proxies in front of the app append to X-Forwarded-For; 0 (the default) never trusts the header.
# BEHIND_PROXY=1 means one TLS proxy: it trusts X-Forwarded-Proto and, unless set, one proxy.
BEHIND_PROXY = envbool("BEHIND_PROXY")
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", "1" if BEHIND_PROXY else "0")
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES is a count of proxies: 0 or more.")

# Sign-in protection (django-axes): the web form and the API token endpoint both authenticate
# through Django, so both count towards the same lock-out, kept in the database (shared by
# every gunicorn worker). Locked per account and address pair (SIGNIN_FAILURE_LIMIT) and per
# address over all accounts (SIGNIN_ADDRESS_FAILURE_LIMIT): see events/signin.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
API_TOKEN_HOURS = envint("API_TOKEN_HOURS", "12")
AXES_HANDLER = "events.signin.AccountAndAddressLockout"
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", "5")
SIGNIN_ADDRESS_FAILURE_LIMIT = envint("SIGNIN_ADDRESS_FAILURE_LIMIT", "30")
AXES_COOLOFF_TIME = envint("SIGNIN_COOLOFF_MINUTES", "15") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "events.signin.lockout_username"
AXES_LOCKOUT_CALLABLE = "events.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "events.signin.client_address"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# Per-address request limits on the API (events/api/throttling.py): "<requests>/<period>".
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "1200/m")
API_TOKEN_THROTTLE_RATE = os.environ.get("API_TOKEN_THROTTLE_RATE", "30/m")
# The public stand page (GET /s/<code>, no sign-in), per address (events/ratelimit.py).
STAND_RATE = os.environ.get("STAND_RATE", "60/m")
for _rate in (API_THROTTLE_RATE, API_TOKEN_THROTTLE_RATE, STAND_RATE):
    if _rate and not re.fullmatch(r"\d+/\d*(s|sec|m|min|h|hour|d|day)", _rate.strip().lower()):
        raise ImproperlyConfigured(f"A throttle rate is <requests>/<period>, e.g. 60/m: {_rate!r}")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

# The stand page's two links (each followed through /s/<code>/signup or /report, counted) and
# the address printed in the poster's QR code: PUBLIC_BASE_URL, else the request's own host.
COMMUNITY_SIGNUP_URL = os.environ.get(
    "COMMUNITY_SIGNUP_URL", "https://www.neighbourhoodalert.co.uk/"
)
CRIME_REPORT_URL = os.environ.get(
    "CRIME_REPORT_URL", "https://www.police.uk/pu/contact-us/report-a-crime/"
)
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")

ROOT_URLCONF = "outreach.urls"
WSGI_APPLICATION = "outreach.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "events.web.context_processors.navigation",
            ],
        },
    },
]

_SQLITE_PATH = DATA_DIR / "outreach.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE takes the write lock at BEGIN, so check-then-insert (the clash rules)
    # cannot interleave between two writers; WAL lets readers carry on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-outreach.sqlite3")}
else:
    # Keep connections between requests (opening one costs more than a tally post), and
    # check them before reuse so the app recovers by itself after a database restart.
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", "60")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# A session lasts a working shift, not Django's two weeks.
SESSION_COOKIE_AGE = envint("SESSION_HOURS", "12") * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and envbool("SECURE_COOKIES", "True")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Safe by default with DEBUG off: HTTPS redirect and HSTS (one year, subdomains) unless turned
# off, e.g. SECURE_SSL_REDIRECT=0 when TLS ends at a proxy that already redirects HTTP.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
_HSTS = str(SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _HSTS)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", _HSTS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# /healthz answers over plain HTTP, for a load balancer's health check inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Request bodies: a file upload (multipart) up to UPLOAD_MAX_MB, any other body (JSON, a form)
# up to BODY_MAX_KB; larger ones are refused with 413 from their Content-Length, unread
# (events.web.middleware.RequestSizeLimitMiddleware). Django's own limits back this up.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_MB", "10") * 1024 * 1024
BODY_MAX_BYTES = envint("BODY_MAX_KB", "1024") * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_MAX_BYTES  # a body's non-file part
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # an uploaded file larger than this goes to disk
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Free-text notes on engagement entries are cleared after this many days (clear_old_notes).
NOTES_RETENTION_DAYS = envint("NOTES_RETENTION_DAYS", "730")

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Background jobs: Django's Tasks framework with django-tasks-db, so jobs are rows in this
# database, run by `manage.py db_worker` (no broker). A force that outgrows one machine swaps
# the BACKEND here for another Tasks backend (RQ, Celery) without touching the code.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Export jobs: files under EXPORTS_DIR, kept EXPORT_KEEP_DAYS; a running job whose worker has
# not written a heartbeat for EXPORT_STALE_SECONDS is failed when a worker starts.
EXPORTS_DIR = Path(os.environ.get("EXPORTS_DIR", DATA_DIR / "exports"))
EXPORT_KEEP_DAYS = envint("EXPORT_KEEP_DAYS", "7")
EXPORT_STALE_SECONDS = envint("EXPORT_STALE_SECONDS", "120")
EXPORT_PROGRESS_SECONDS = 1.0  # how often a running export writes its progress and heartbeat

# E-mail (Django 6.1's MAILERS; the old EMAIL_* settings are deprecated and clash with it, so
# the environment's EMAIL_* values are read into private names here). With no EMAIL_HOST the
# messages are written as files under DATA_DIR/mail; with DEBUG off the web server logs a
# warning saying so when it starts, and so do send_reminders and send_digest
# (events.notifications.mail_warning).
_EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
MAIL_FOLDER = DATA_DIR / "mail" if not _EMAIL_HOST else None
if _EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": envint("EMAIL_PORT", "587" if envbool("EMAIL_USE_TLS") else "25"),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS"),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(MAIL_FOLDER)},
        }
    }
    # Django's deploy check refuses a file backend in production; instead the warning at
    # start-up says that nobody receives the e-mail until EMAIL_HOST is set.
    SILENCED_SYSTEM_CHECKS = ["mail.E001"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Outreach <outreach@localhost>")
# Officers' reminders: the evening before each shift, from this hour (UK time).
REMINDER_HOUR = envint("REMINDER_HOUR", "18")
if not 0 <= REMINDER_HOUR <= 23:
    raise ImproperlyConfigured("REMINDER_HOUR is an hour of the day: 0 to 23.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
