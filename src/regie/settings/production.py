"""Production: PostgreSQL from DATABASE_URL, secrets from the environment, HTTPS everywhere."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

try:
    SECRET_KEY = os.environ["REGIE_SECRET_KEY"]
except KeyError as exc:
    raise ImproperlyConfigured("Set REGIE_SECRET_KEY in the environment.") from exc
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("REGIE_SECRET_KEY must be at least 50 characters long.")

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("REGIE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("REGIE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
# Persistent connections (CONN_MAX_AGE in base), checked once per request before reuse, so that a
# PostgreSQL restart costs one failed check instead of an error page.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
