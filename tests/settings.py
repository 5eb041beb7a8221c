"""Test settings: the real settings module with a throwaway secret and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from outreach.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from static/ (no collectstatic before the browser tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
