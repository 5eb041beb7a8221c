"""Test settings: the real settings module with a throwaway secret and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from outreach.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client and the browser tests' live server speak plain HTTP (production redirects).
SECURE_SSL_REDIRECT = False
# Thousands of requests from one test address: the per-address API throttles are off here, and
# their own tests turn them on (the rates are read per request).
API_THROTTLE_RATE = API_TOKEN_THROTTLE_RATE = STAND_RATE = None
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from static/ (no collectstatic before the browser tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A test database of this run's own (named for the process), so that two runs at once on one
# machine (a developer's and an editor's, or CI beside a developer) never share one.
_default = DATABASES["default"]  # noqa: F405
_base = _default.get("TEST", {}).get("NAME") or f"test_{_default['NAME']}"
_default.setdefault("TEST", {})["NAME"] = (
    f"{_base.removesuffix('.sqlite3')}-{os.getpid()}.sqlite3"
    if _default["ENGINE"].endswith("sqlite3")
    else f"{_base}_{os.getpid()}"
)
