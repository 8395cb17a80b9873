"""Settings for the test run. DATABASE_URL selects PostgreSQL; SQLite in memory otherwise."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import DATABASES

if "DATABASE_URL" not in os.environ:
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "OPTIONS": {"init_command": "PRAGMA foreign_keys=ON;"},
        "TEST": {"NAME": ":memory:"},
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never used outside tests
DEBUG = False
ALLOWED_HOSTS = ["*"]
